"""The record path on a real Synapse: in a recording room, talk, edits and redactions reach
the hooks; a reaction reaches them when it is about a watched bot message; everything else
costs no database work at all; and a restart that sees the same events again runs no hook
twice.

The hooks (``ports_registry``) answer each event they see with a reply to it, and leave an
effect row in the bot's database in the same transaction as the event's handled mark.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, RunningBot, raw_event
from nio import Api, RoomRedactResponse, RoomSendResponse
from ports_registry import EFFECTS_TABLE, ports_registry
from sqlalchemy import event
from sqlalchemy.engine import Engine


class Statements:
    """Every SQL statement any engine in this process runs, with its parameters."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str, str]] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, parameters: Any,
                 context: Any, executemany: bool) -> None:
        self.seen.append((time.monotonic(), statement, repr(parameters)))

    def mentioning(self, value: str, since: float = 0.0) -> list[str]:
        return [s for at, s, p in self.seen if at >= since and value in p]


@pytest.fixture
def statements() -> Iterator[Statements]:
    recorder = Statements()
    event.listen(Engine, "before_cursor_execute", recorder)
    try:
        yield recorder
    finally:
        event.remove(Engine, "before_cursor_execute", recorder)


def _db(bot: RunningBot) -> sqlite3.Connection:
    return sqlite3.connect(bot.config.database.url.removeprefix("sqlite:///"))


def _handled(bot: RunningBot, event_id: str) -> bool:
    with _db(bot) as connection:
        return connection.execute("SELECT 1 FROM handled_events WHERE event_id = ?",
                                  (event_id,)).fetchone() is not None


def _effects(bot: RunningBot) -> list[tuple[str, str]]:
    with _db(bot) as connection:
        exists = connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                                    (EFFECTS_TABLE,)).fetchone()
        if not exists:
            return []
        return [(str(k), str(e)) for k, e in
                connection.execute(f"SELECT kind, event_id FROM {EFFECTS_TABLE}")]


def _position(bot: RunningBot) -> str:
    with _db(bot) as connection:
        row = connection.execute("SELECT value FROM sync_state WHERE key = 'next_batch'"
                                 ).fetchone()
    assert row is not None
    return str(row[0])


def _set_position(bot: RunningBot, token: str) -> None:
    with _db(bot) as connection:
        connection.execute("UPDATE sync_state SET value = ? WHERE key = 'next_batch'", (token,))


async def _send(citizen: Citizen, room: str, event_type: str, content: dict[str, Any]) -> str:
    response = await citizen.client.room_send(room, event_type, content,
                                              ignore_unverified_devices=True)
    assert isinstance(response, RoomSendResponse), response
    return response.event_id


async def _edit(citizen: Citizen, room: str, original: str, body: str) -> str:
    return await _send(citizen, room, "m.room.message", {
        "msgtype": "m.text", "body": f"* {body}",
        "m.new_content": {"msgtype": "m.text", "body": body},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original},
    })


async def _react(citizen: Citizen, room: str, target: str, key: str = "✅") -> str:
    """A reaction as Element sends it: encrypted in an encrypted room (nio's ``room_send``
    never encrypts reactions), with the relation in the clear."""
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}
    if not citizen.client.rooms[room].encrypted:
        return await _send(citizen, room, "m.reaction", content)
    event_type, encrypted = citizen.client.encrypt(room, "m.reaction", content)
    method, path, data = Api.room_send(citizen.client.access_token, room, event_type,
                                       encrypted, uuid.uuid4())
    response = await citizen.client._send(RoomSendResponse, method, path, data, (room,))
    assert isinstance(response, RoomSendResponse), response
    return response.event_id


async def _redact(citizen: Citizen, room: str, target: str) -> str:
    response = await citizen.client.room_redact(room, target)
    assert isinstance(response, RoomRedactResponse), response
    return response.event_id


def _answers(citizen: Citizen, event_id: str) -> list[Any]:
    """The bot's messages about ``event_id``: a hook's message is one of its own (not a
    reply to a reaction or to talk), marked with the event it is about."""
    return [m for _, m in citizen.seen if m.sender != citizen.user_id
            and getattr(m, "body", "").startswith(f"[{event_id}] ")]


async def _hook_reply(citizen: Citizen, event_id: str, what: str) -> str:
    await citizen.until(lambda: _answers(citizen, event_id), what=what)
    [reply] = _answers(citizen, event_id)
    assert citizen.replies_to(event_id) == [], "not posted as a reply to the event"
    return reply.body.removeprefix(f"[{event_id}] ")


async def test_talk_edits_and_redactions_of_an_encrypted_recording_room_reach_the_hooks(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot(registry=ports_registry)
    citizen: Citizen = await make_citizen()
    room = await citizen.open_chat_with(bot.user_id, encrypted=True)
    assert (await citizen.ask(room, "!salon record-on")).body == "recording on"

    said = await citizen.say(room, "the bench in the park is broken")
    body = await _hook_reply(citizen, said, "the talk hook's reply")
    assert body.startswith(
        f"hook talk: the bench in the park is broken by={citizen.user_id} reply_to=None ts=")
    [own] = [m for m in citizen.messages(room, citizen.user_id) if m.event_id == said]
    assert int(body.rsplit("ts=", 1)[1]) == own.server_timestamp

    answer = await _send(citizen, room, "m.room.message", {
        "msgtype": "m.text", "body": "> the bench\n\nI saw it too",
        "m.relates_to": {"m.in_reply_to": {"event_id": said}}})
    assert f"reply_to={said}" in await _hook_reply(citizen, answer, "the hook's reply to a reply")

    edit = await _edit(citizen, room, said, "the bench by the pond is broken")
    assert await _hook_reply(citizen, edit, "the edit hook's reply") == \
        f"hook edit of {said}: the bench by the pond is broken"

    redaction = await _redact(citizen, room, said)
    assert await _hook_reply(citizen, redaction, "the redaction hook's reply") == \
        f"hook redaction of {said}"

    await citizen.ask(room, "!salon echo barrier")
    for event_id in (said, answer, edit, redaction):
        assert len(_answers(citizen, event_id)) == 1
        assert _handled(bot, event_id)
    assert sorted(_effects(bot)) == sorted([("talk", said), ("talk", answer), ("edit", edit),
                                            ("redaction", redaction)])


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_room_that_is_not_recording_costs_no_database_work_except_watched_events(
        make_bot, make_citizen, statements: Statements, encrypted: bool) -> None:
    bot: RunningBot = await make_bot(registry=ports_registry)
    citizen: Citizen = await make_citizen()
    room = await citizen.open_chat_with(bot.user_id, encrypted=encrypted)

    command = await citizen.say(room, "!salon watched react here")
    await citizen.until(lambda: citizen.replies_to(command), what="the watched message")
    [watched] = citizen.replies_to(command)
    unwatched = (await citizen.ask(room, "!salon echo not watched")).event_id

    plain = await citizen.say(room, "just chatting, nothing for the bot")
    edit = await _edit(citizen, room, plain, "just chatting, edited")
    on_unwatched = await _react(citizen, room, unwatched)
    redaction = await _redact(citizen, room, plain)
    on_watched = await _react(citizen, room, watched.event_id)
    if encrypted:
        assert (await raw_event(citizen.client, room, on_watched))["type"] == \
            "m.room.encrypted", "the reaction went encrypted, as Element sends it"
    assert await _hook_reply(citizen, on_watched, "the reaction hook's reply") == \
        f"hook reaction ✅ on {watched.event_id} relates_key=test:{command}"
    await citizen.ask(room, "!salon echo barrier")  # everything before it is handled

    for ignored in (plain, edit, on_unwatched, redaction):
        assert _answers(citizen, ignored) == [], "no hook saw it"
        assert not _handled(bot, ignored), "no handled mark"
        assert statements.mentioning(ignored) == [], \
            f"{ignored} reached the database: {statements.mentioning(ignored)}"
    assert _effects(bot) == [("reaction", on_watched)]
    assert _handled(bot, on_watched)
    assert statements.mentioning(on_watched), "the recorder sees the statements"


async def test_hooks_run_once_across_a_restart_that_sees_the_same_events_again(
        make_bot, make_citizen, statements: Statements) -> None:
    bot: RunningBot = await make_bot(registry=ports_registry)
    citizen: Citizen = await make_citizen()
    room = await citizen.open_chat_with(bot.user_id, encrypted=True)
    await citizen.ask(room, "!salon record-on")
    command = await citizen.say(room, "!salon watched react here")
    await citizen.until(lambda: citizen.replies_to(command), what="the watched message")
    watched = citizen.replies_to(command)[0].event_id
    assert await bot.stop() == 0
    earlier = _position(bot)

    await bot.start()
    said = await citizen.say(room, "said before the restart")
    await _hook_reply(citizen, said, "the talk hook's reply")
    reaction = await _react(citizen, room, watched)
    assert (await _hook_reply(citizen, reaction, "the reaction hook's reply")).endswith(
        f"relates_key=test:{command}")
    assert await bot.stop() == 0

    # Back to a position before those events, as after a crash before the position was
    # stored: the next start sees them again.
    _set_position(bot, earlier)
    while_down = await citizen.say(room, "said while the bot was down")
    edit = await _edit(citizen, room, said, "said before the restart, edited")
    restarted = time.monotonic()
    await bot.start()
    await _hook_reply(citizen, while_down, "the talk hook's reply after the restart")
    await _hook_reply(citizen, edit, "the edit hook's reply after the restart")
    await citizen.ask(room, "!salon echo barrier")

    assert any("handled_events" in s for s in statements.mentioning(said, since=restarted)), \
        "the restarted bot saw the event again (and found it handled)"
    for event_id in (said, reaction, while_down, edit):
        assert len(_answers(citizen, event_id)) == 1, f"{event_id} answered more than once"
    assert sorted(_effects(bot)) == sorted([("talk", said), ("reaction", reaction),
                                            ("talk", while_down), ("edit", edit)])
