"""Test-only commands, hooks and a job kind that use the runtime's ports (``ctx.jobs``,
``ctx.watch``, ``Reply(watch=...)``, ``Reply(not_before=...)``, ``Reply(direct_to=...)``),
for the end-to-end tests ``test_e2e_scheduled``, ``test_e2e_record`` and ``test_e2e_crash``.

Everything the bot does here is observable from a citizen's side: each command answers,
each job posts a message with its due time, and each hook answers with a reply to the event
it saw. Hooks also leave an effect row (``test_hook_effects``) in the bot's own database, in
the hook's transaction, so a test can count how often each hook's work was committed.

Commands (after the prefix):
- ``remind-in <seconds> <key> <text…> [--useful <seconds>]``: a ``test.remind`` job due in
  ``seconds`` (useful until ``--useful`` seconds after it is due, if given)
- ``unremind <key>``: cancels it
- ``later <seconds> <text…>``: a reply held back (``not_before``) until then
- ``record-on``: the room records its talk
- ``watched <text…>``: a reply whose event is watched (key ``test:<command event id>``)
- ``dm <text…>``: the text in a direct chat with the sender
- ``echo <text…>``: the text, as a reply
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text as sql

from bot.commands import CommandSpec, Registry, UsageError
from bot.replies import Reply, escape_markup
from handlers import build_registry

JOB_KIND = "test.remind"
EFFECTS_TABLE = "test_hook_effects"


def epoch_ms(moment: datetime) -> int:
    return int(round(moment.timestamp() * 1000))


def _seconds(word: str) -> float:
    try:
        return float(word)
    except ValueError as err:
        raise UsageError(f"not a number of seconds: {escape_markup(word)}") from err


async def remind_in(command: Any, ctx: Any) -> Reply:
    if len(command.args) < 3:
        raise UsageError("remind-in needs seconds, a key and a text")
    due_at = ctx.clock.now() + timedelta(seconds=_seconds(command.args[0]))
    key = command.args[1]
    useful = command.option("useful")
    useful_until = (due_at + timedelta(seconds=_seconds(str(useful)))
                    if useful is not None else None)
    ctx.jobs.schedule(ctx.session, kind=JOB_KIND, key=key, due_at=due_at,
                      room_id=ctx.room_id, useful_until=useful_until,
                      payload={"text": " ".join(command.args[2:])})
    return Reply(f"scheduled {escape_markup(key)} due_ms={epoch_ms(due_at)}")


async def unremind(command: Any, ctx: Any) -> Reply:
    key = command.args[0] if command.args else ""
    taken = ctx.jobs.cancel(ctx.session, kind=JOB_KIND, key=key)
    return Reply(f"cancelled {escape_markup(key)}: {taken}")


async def remind_job(ctx: Any) -> Reply:
    job = ctx.job
    payload = json.loads(job.payload or "{}")
    return Reply(f"reminder {escape_markup(job.key)}: {escape_markup(payload.get('text', ''))} "
                 f"due_ms={epoch_ms(job.due_at)}")


async def later(command: Any, ctx: Any) -> Reply:
    if len(command.args) < 2:
        raise UsageError("later needs seconds and a text")
    due_at = ctx.clock.now() + timedelta(seconds=_seconds(command.args[0]))
    words = escape_markup(" ".join(command.args[1:]))
    return Reply(f"later: {words} due_ms={epoch_ms(due_at)}", not_before=due_at)


async def record_on(command: Any, ctx: Any) -> Reply:
    ctx.watch.start_recording(ctx.session, room_id=ctx.room_id, by=ctx.sender,
                              at=ctx.clock.now())
    return Reply("recording on")


async def watched(command: Any, ctx: Any) -> Reply:
    return Reply(f"watched: {escape_markup(' '.join(command.args))}",
                 watch=f"test:{ctx.event_id}")


async def direct(command: Any, ctx: Any) -> Reply:
    return Reply(f"dm: {escape_markup(' '.join(command.args))}", direct_to=ctx.sender)


async def echo(command: Any, ctx: Any) -> Reply:
    return Reply(f"echo: {escape_markup(' '.join(command.args))}")


def _effect(ctx: Any, kind: str, event_id: str | None) -> None:
    """The hook's own work, in the hook's transaction (with the event's handled mark)."""
    ctx.session.execute(sql(f"CREATE TABLE IF NOT EXISTS {EFFECTS_TABLE} "
                            "(kind TEXT NOT NULL, event_id TEXT NOT NULL)"))
    ctx.session.execute(sql(f"INSERT INTO {EFFECTS_TABLE} (kind, event_id) VALUES (:k, :e)"),
                        {"k": kind, "e": event_id or ""})


def _about(payload: dict[str, Any]) -> str:
    """What a hook's message is about: it is a message of its own, not a reply to the event,
    so the tests find it by this prefix."""
    return f"[{payload.get('event_id')}] "


async def on_talk(ctx: Any, payload: dict[str, Any]) -> Reply:
    _effect(ctx, "talk", payload.get("event_id"))
    return Reply(f"{_about(payload)}hook talk: {escape_markup(str(payload.get('body')))} "
                 f"by={ctx.sender} reply_to={payload.get('reply_to')} ts={payload.get('ts')}")


async def on_edit(ctx: Any, payload: dict[str, Any]) -> Reply:
    _effect(ctx, "edit", payload.get("event_id"))
    return Reply(f"{_about(payload)}hook edit of {payload.get('replaces')}: "
                 f"{escape_markup(str(payload.get('body')))}")


async def on_redaction(ctx: Any, payload: dict[str, Any]) -> Reply:
    _effect(ctx, "redaction", payload.get("event_id"))
    return Reply(f"{_about(payload)}hook redaction of {payload.get('redacts')}")


async def on_reaction(ctx: Any, payload: dict[str, Any]) -> Reply:
    _effect(ctx, "reaction", payload.get("event_id"))
    return Reply(f"{_about(payload)}hook reaction {escape_markup(str(payload.get('key')))} "
                 f"on {payload.get('reacts_to')} relates_key={payload.get('relates_key')}")


def ports_registry() -> Registry:
    """The real commands plus the test-only ones above."""
    registry = build_registry()
    for name, handler, usage, values in (
        ("remind-in", remind_in, "{prefix} remind-in <seconds> <key> <text>",
         frozenset({"useful"})),
        ("unremind", unremind, "{prefix} unremind <key>", frozenset()),
        ("later", later, "{prefix} later <seconds> <text>", frozenset()),
        ("record-on", record_on, "{prefix} record-on", frozenset()),
        ("watched", watched, "{prefix} watched <text>", frozenset()),
        ("dm", direct, "{prefix} dm <text>", frozenset()),
        ("echo", echo, "{prefix} echo <text>", frozenset()),
    ):
        registry.add(CommandSpec(name=name, handler=handler, usage=usage,
                                 summary="test only", value_options=values))
    registry.job(JOB_KIND, remind_job)
    registry.on("talk", on_talk)
    registry.on("edit", on_edit)
    registry.on("redaction", on_redaction)
    registry.on("reaction", on_reaction)
    return registry
