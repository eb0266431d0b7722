"""Minutes capture: ``start [<n>]`` and ``end`` by hosts, and the record path while it runs.

While a capture runs the room is recording (``bot.watch``): the messages of people who
consented are stored with their time, event id and reply relation; an edit updates the
record and a redaction removes it. Of everyone else only a count by role is kept: no word,
no user id. Rooms not recording never reach this module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot import consent
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope
from bot.context import Context
from bot.db import Capture, CaptureCount, Member, RecordedMessage, Role, Salon
from bot.i18n import N_
from bot.parser import ParsedCommand
from bot.replies import Reply
from handlers.checks import salon_of, still_open
from handlers.describe import moment
from handlers.meeting_text import label, mention_list
from handlers.meetings import find_meeting


def running_capture(ctx: Context, salon: Salon) -> Capture | None:
    return ctx.session.scalar(select(Capture).where(Capture.salon_id == salon.id,
                                                    Capture.ended_at.is_(None))
                              .order_by(Capture.id.desc()).limit(1))


def recorded_people(ctx: Context, salon: Salon) -> list[Member]:
    return [m for m in salon.active_members() if m.has_joined and m.user_id != ctx.bot_user_id
            and consent.allows_recording(consent.level_of(ctx.session, m.user_id, salon.id))]


async def start(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "start")
    if running_capture(ctx, salon) is not None:
        raise Refusal(t._("Minutes are already being taken here. End them with {prefix} end.")
                      .format(prefix=ctx.prefix))
    meeting = find_meeting(ctx, salon, command.args[0]) if command.args else None
    capture = Capture(salon_id=salon.id, meeting_id=meeting.id if meeting else None,
                      started_by=ctx.sender, started_at=ctx.clock.now())
    ctx.session.add(capture)
    ctx.session.flush()
    ctx.watch.start_recording(ctx.session, room_id=salon.room_id, by=ctx.sender,
                              at=ctx.clock.now())
    people = [m.user_id for m in recorded_people(ctx, salon)]
    what = label(t, meeting) if meeting else t._("this conversation")
    lines = [t._("**Minutes are being taken now**, for {what}.").format(what=what)]
    if people:
        lines.append(t._("I record what these people write, because they said yes: {people}.")
                     .format(people=mention_list(people)))
    else:
        lines.append(t._("Nobody has said yes to being recorded yet, so I only count how many "
                         "messages are written."))
    lines.append(t._("Everyone else: I record nothing you write, only the number of "
                     "messages. Say yes with {prefix} consent yes, or no at any time with "
                     "{prefix} consent no. The hosts end the minutes with {prefix} end.")
                 .format(prefix=ctx.prefix))
    return Reply("\n".join(lines))


async def end(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    capture = running_capture(ctx, salon)
    if capture is None:
        raise Refusal(t._("No minutes are being taken here. Start them with {prefix} start.")
                      .format(prefix=ctx.prefix))
    capture.ended_at = ctx.clock.now()
    ctx.watch.stop_recording(ctx.session, salon.room_id)
    recorded = ctx.session.scalars(select(RecordedMessage)
                                   .where(RecordedMessage.capture_id == capture.id)).all()
    counted = sum(c.messages for c in ctx.session.scalars(
        select(CaptureCount).where(CaptureCount.capture_id == capture.id)))
    people = len({r.user_id for r in recorded})
    return Reply(" ".join([
        t._("**The minutes have ended.**"),
        t.ngettext("I recorded {n} message", "I recorded {n} messages", len(recorded)).format(
            n=len(recorded)),
        t.ngettext("from {n} person who said yes.", "from {n} people who said yes.",
                   people).format(n=people),
        t.ngettext("Of the others, {n} message was counted, not recorded.",
                   "Of the others, {n} messages were counted, not recorded.", counted).format(
            n=counted),
        t._("Write {prefix} summary for a summary.").format(prefix=ctx.prefix),
    ]))


def _capture_here(ctx: Context) -> Capture | None:
    return running_capture(ctx, ctx.salon) if ctx.salon is not None else None


def _sent_at(payload: dict[str, Any], ctx: Context) -> datetime:
    ts = payload.get("ts")
    return datetime.fromtimestamp(ts / 1000, UTC) if isinstance(ts, int) else ctx.clock.now()


async def on_talk(ctx: Context, payload: dict[str, Any]) -> None:
    capture = _capture_here(ctx)
    if capture is None or ctx.salon is None:
        return
    role = ctx.member.role if ctx.member is not None else Role.CITIZEN.value
    level = consent.level_of(ctx.session, ctx.sender, ctx.salon.id)
    if ctx.member is not None and consent.allows_recording(level):
        event_id = str(payload.get("event_id"))
        if ctx.session.scalar(select(RecordedMessage.id)
                              .where(RecordedMessage.event_id == event_id)) is None:
            ctx.session.add(RecordedMessage(
                capture_id=capture.id, event_id=event_id, user_id=ctx.sender, role=role,
                body=str(payload.get("body") or ""), reply_to=payload.get("reply_to"),
                sent_at=_sent_at(payload, ctx)))
        return
    count = ctx.session.get(CaptureCount, (capture.id, role))
    if count is None:
        ctx.session.add(CaptureCount(capture_id=capture.id, role=role, messages=1))
    else:
        count.messages += 1


async def on_edit(ctx: Context, payload: dict[str, Any]) -> None:
    record = ctx.session.scalar(select(RecordedMessage).where(
        RecordedMessage.event_id == payload.get("replaces")))
    if record is None or record.user_id != ctx.sender or record.body is None:
        return
    if not consent.allows_recording(consent.level_of(
            ctx.session, ctx.sender, ctx.salon.id if ctx.salon else None)):
        return
    record.body = str(payload.get("body") or "")
    record.edited_at = _sent_at(payload, ctx)


async def on_redaction(ctx: Context, payload: dict[str, Any]) -> None:
    """A message removed in the room is removed from the minutes too (by whoever removed it:
    it is gone for everyone)."""
    record = ctx.session.scalar(select(RecordedMessage).where(
        RecordedMessage.event_id == payload.get("redacts")))
    if record is not None:
        ctx.session.delete(record)


async def minutes_status(ctx: Context, payload: dict[str, Any]) -> Reply | None:
    """``info``'s line: whether minutes are being taken, and how long words are kept."""
    salon = ctx.session.get(Salon, payload.get("salon_id"))
    if salon is None:
        return None
    t = ctx.t
    days = ctx.config.privacy.retention_days
    capture = running_capture(ctx, salon)
    if capture is not None:
        since = moment(ctx, capture.started_at, salon)
        text = t.ngettext("Minutes: being taken since {since}. The words of those who said "
                          "yes are kept for {n} day.",
                          "Minutes: being taken since {since}. The words of those who said "
                          "yes are kept for {n} days.", days).format(since=since, n=days)
    else:
        text = t.ngettext("Minutes: not being taken now. When they are, the words of those "
                          "who said yes are kept for {n} day.",
                          "Minutes: not being taken now. When they are, the words of those "
                          "who said yes are kept for {n} days.", days).format(n=days)
    return Reply(text)


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="start", handler=start,
        usage=N_("{prefix} start [<meeting number>]"),
        summary=N_("Starts taking minutes: I record the words of those who said yes"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("start", "referat"), "nb": ("start", "referat"),
                 "sv": ("starta", "protokoll")},
    ))
    registry.add(CommandSpec(
        name="end", handler=end,
        usage=N_("{prefix} end"),
        summary=N_("Ends the minutes"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("slut",), "nb": ("slutt",), "sv": ("avsluta",)},
    ))
    registry.on("minutes-status", minutes_status)
    registry.on("talk", on_talk)
    registry.on("edit", on_edit)
    registry.on("redaction", on_redaction)
