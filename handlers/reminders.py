"""The work a meeting leaves for later: reminders before it, a nudge to the hosts after it.

Each is a scheduled job (``bot.jobs``) named for what it is, ``meeting:<id>:<seconds before>``
and ``meeting:<id>``, so a reschedule moves the same jobs and a cancel takes them back; the
runtime runs each exactly once, also across restarts, and skips a reminder that fell due
while the bot was down once the meeting has started.
"""

from __future__ import annotations

import json
from datetime import timedelta

from babel.dates import format_timedelta

from bot.commands import HandlerResult, Registry
from bot.context import Context
from bot.db import Meeting
from bot.durations import parse_duration
from bot.replies import Reply
from handlers.meeting_text import coming, label, mention_list, when_words, where_words

REMINDER = "meeting.reminder"
NUDGE = "meeting.nudge"
#: How long after a meeting the nudge is still worth sending (if the bot was down).
NUDGE_USEFUL_FOR = timedelta(days=3)


def offsets(ctx: Context) -> list[timedelta]:
    return sorted({parse_duration(text) for text in ctx.config.reminders.before}, reverse=True)


def plan(ctx: Context, meeting: Meeting, room_id: str) -> None:
    """(Re)schedules the meeting's reminders and nudge; a reminder already past is dropped.

    Reminders of offsets no longer configured are taken back first (the same key asked for
    again revives its job), so a changed ``reminders.before`` never leaves old ones behind.
    """
    now = ctx.clock.now()
    ctx.jobs.cancel_prefix(ctx.session, kind=REMINDER, key_prefix=f"meeting:{meeting.id}:")
    for offset in offsets(ctx):
        key = f"meeting:{meeting.id}:{int(offset.total_seconds())}"
        due = meeting.starts_at - offset
        if meeting.is_cancelled or due <= now:
            ctx.jobs.cancel(ctx.session, kind=REMINDER, key=key)
            continue
        ctx.jobs.schedule(ctx.session, kind=REMINDER, key=key, due_at=due, room_id=room_id,
                          useful_until=meeting.starts_at,
                          payload={"meeting": meeting.id,
                                   "offset": int(offset.total_seconds())})
    if meeting.is_cancelled:
        ctx.jobs.cancel(ctx.session, kind=NUDGE, key=f"meeting:{meeting.id}")
        return
    ctx.jobs.schedule(ctx.session, kind=NUDGE, key=f"meeting:{meeting.id}",
                      due_at=meeting.ends_at, room_id=room_id,
                      useful_until=meeting.ends_at + NUDGE_USEFUL_FOR,
                      payload={"meeting": meeting.id})


def unplan(ctx: Context, meeting: Meeting) -> None:
    ctx.jobs.cancel_prefix(ctx.session, kind=REMINDER, key_prefix=f"meeting:{meeting.id}:")
    ctx.jobs.cancel(ctx.session, kind=NUDGE, key=f"meeting:{meeting.id}")


def offset_words(offset: timedelta, lang: str) -> str:
    """``24 hours``, ``1 hour``, ``90 minutes``: the offset as configured, in the largest
    unit that says it exactly (days only from two on, "24 hours" reads better than "1 day")."""
    seconds = int(offset.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0 and (unit != "day" or seconds >= 2 * 86400):
            return format_timedelta(offset, granularity=unit, threshold=10**9, locale=lang)
    return format_timedelta(offset, granularity="second", threshold=10**9, locale=lang)


def _meeting(ctx: Context) -> Meeting | None:
    """The job's meeting, if it still takes place in an open salon."""
    assert ctx.job is not None
    meeting = ctx.session.get(Meeting, json.loads(ctx.job.payload).get("meeting"))
    if meeting is None or meeting.is_cancelled or ctx.salon is None or not ctx.salon.is_open:
        return None
    return meeting


async def remind(ctx: Context) -> HandlerResult:
    meeting = _meeting(ctx)
    if meeting is None or ctx.job is None:
        return None
    t = ctx.t
    offset = timedelta(seconds=json.loads(ctx.job.payload).get("offset", 0))
    now = ctx.clock.now()
    if meeting.starts_at - offset != ctx.job.due_at or offset not in offsets(ctx):
        return None  # a reminder of an older time or setting
    if any(smaller < offset and now >= meeting.starts_at - smaller for smaller in offsets(ctx)):
        return None  # sent late (the bot was away): the nearer reminder says it better
    left = meeting.starts_at - now
    if left < offset - timedelta(minutes=1):  # late: say how long it really is
        minutes = max(1, round(left.total_seconds() / 60))
        offset = timedelta(hours=round(minutes / 60)) if minutes >= 120 else \
            timedelta(minutes=minutes)
    people = [r.user_id for r in coming(meeting)]
    lines = [t._("⏰ Reminder: {meeting} begins in {time}.").format(
        meeting=label(t, meeting), time=offset_words(offset, t.locale)),
             when_words(t, meeting) + f" ({meeting.timezone})"]
    where = where_words(t, meeting)
    if where:
        lines.append(where)
    if people:
        lines.append(t._("See you there: {people}").format(people=mention_list(people)))
    elif not meeting.rsvps:
        lines.append(t._("Nobody has answered yet. React to the announcement with ✅ if you "
                         "come."))
    return Reply("\n".join(lines), room_id=ctx.room_id, mentions=tuple(people))


async def nudge(ctx: Context) -> HandlerResult:
    meeting = _meeting(ctx)
    if meeting is None or ctx.salon is None:
        return None
    t = ctx.t
    hosts = [m.user_id for m in ctx.salon.joined_hosts()]
    text = t._("This meeting has ended: {meeting}. Thank you! Hosts ({hosts}): while it is "
               "fresh, please write down what was agreed and what should go to the "
               "municipality.").format(meeting=label(t, meeting),
                                       hosts=mention_list(hosts) or "-")
    return Reply(text, room_id=ctx.room_id, mentions=tuple(hosts))


def register(registry: Registry) -> None:
    registry.job(REMINDER, remind)
    registry.job(NUDGE, nudge)
