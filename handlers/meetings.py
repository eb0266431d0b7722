"""Meetings: ``schedule`` (once or every week), ``meetings``, ``reschedule``, ``cancel``.

A host writes the time as they would say it ("torsdag kl. 19"); ``bot.when`` reads it in the
salon's zone and the reply spells out how it was read, so a misreading is caught at once.
What cannot be read with certainty is refused with examples, never guessed. Each meeting
gets an announcement in the room that people answer with a reaction (``handlers.rsvp``),
and reminders and a nudge after it (``handlers.reminders``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date, format_time
from sqlalchemy import func, select

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import Meeting, MeetingSeries, MeetingStatus, Salon
from bot.durations import parse_duration
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand
from bot.replies import Reply, escape_markup
from bot.when import Moment, Series, is_series, occurrences, read_series, read_time, spell
from handlers import reminders
from handlers.checks import salon_of, still_open
from handlers.describe import salon_translator
from handlers.meeting_text import (
    announcement,
    coming,
    counts,
    label,
    mention_list,
    when_words,
    where_words,
    zone_of,
)

ANNOUNCE = "meeting.announce"
TITLE_MAX = 120
#: Meetings further ahead than this are surely a misreading (or a typo in the year).
FARTHEST_AHEAD = timedelta(days=2 * 366)
PLACE_MAX = 200
#: Occurrences made at once for a weekly series without an end date.
SERIES_AHEAD = 12
SERIES_MAX = 52
PLACE_WORDS = frozenset({"at", "sted", "stedet", "plass", "plats", "where", "hvor", "var"})
ONLINE_WORDS = frozenset({"online", "nett", "digitalt", "digital", "video"})
#: A link people can click as it is shown (no brackets or stars that would break the markup).
_URL = re.compile(r"^https?://[^\s()<>*\[\]]+$")
_HOURS = re.compile(r"^(\d+)(t|timer|time|timmar|timme|tim)$")
_MINUTES = re.compile(r"^(\d+)(min|minutter|minuter|minutes?)$")


@dataclass
class MeetingWords:
    when: str
    place: str | None = None
    url: str | None = None
    title: str | None = None


def read_words(words: tuple[str, ...], t: Translator) -> MeetingWords:
    """The time, then ``at "<place>"`` or ``online <url>`` and ``: "<title>"`` in any order.

    "at" also belongs to times ("next Tuesday at 7pm"), so a place needs its quotes."""
    when: list[str] = []
    found = MeetingWords(when="")
    i = 0
    while i < len(words):
        word = words[i]
        quoted = bool(getattr(word, "quoted", False))
        folded = word.casefold()
        following = words[i + 1] if i + 1 < len(words) else None
        if word == ":" or (word.startswith(":") and not quoted):
            rest = [word[1:]] if word != ":" else []
            found.title = " ".join([*rest, *words[i + 1:]]).strip() or None
            break
        if folded in PLACE_WORDS and following is not None and getattr(following, "quoted",
                                                                       False):
            found.place = " ".join(following.split())
            i += 2
            continue
        if folded in ONLINE_WORDS:
            if following is None or not _URL.match(following):
                raise UsageError(t._("After “online”, write the meeting's link, starting with "
                                     "https://."))
            found.url = str(following)
            i += 2
            continue
        if quoted and found.title is None and when:
            # A quoted text after the time is the title; one before it is the time itself
            # (``schedule "den 12. marts kl. 19"``).
            found.title = " ".join(word.split())
            i += 1
            continue
        when.append(word)
        i += 1
    found.when = " ".join(when).strip()
    if found.title is not None and len(found.title) > TITLE_MAX:
        raise UsageError(t._("The title is {length} characters long, but it may be at most "
                             "{limit}. Please shorten it.").format(length=len(found.title),
                                                                    limit=TITLE_MAX))
    if found.place is not None and len(found.place) > PLACE_MAX:
        raise UsageError(t._("The place is {length} characters long, but it may be at most "
                             "{limit}. Please shorten it.").format(length=len(found.place),
                                                                    limit=PLACE_MAX))
    return found


def read_length(ctx: Context, command: ParsedCommand) -> timedelta:
    value = command.option("for")
    if value is None:
        return parse_duration(ctx.config.meetings.default_duration)
    text = str(value).strip().lower().replace(" ", "")
    text = _HOURS.sub(r"\1h", _MINUTES.sub(r"\1m", text))
    try:
        length = parse_duration(text)
    except (ValueError, OverflowError):
        length = timedelta(0)
    if not timedelta(minutes=5) <= length <= timedelta(hours=24):
        raise UsageError(ctx.t._("I can't read “{value}” as the meeting's length. Write it "
                                 "like --for 2h, --for 90m or --for 1h30m (5 minutes to 24 "
                                 "hours).").format(value=escape_markup(str(value))))
    return length


def small_number(text: str) -> int | None:
    """A plain number people type (``3``, ``#3``); None for anything else (``²``, huge)."""
    text = text.strip().removeprefix("#")
    if text.isascii() and text.isdecimal() and len(text) <= 6:
        return int(text)
    return None


def read_capacity(ctx: Context, command: ParsedCommand) -> int | None:
    value = command.option("capacity")
    if value is None:
        return None
    number = small_number(str(value))
    if number is None or not 1 <= number <= 10_000:
        raise UsageError(ctx.t._("The capacity must be a whole number of people, like "
                                 "--capacity 20.").format())
    return number


def zone_name(ctx: Context, salon: Salon) -> str:
    return salon.timezone or ctx.config.bot.timezone


def time_examples(t: Translator, prefix: str) -> str:
    return t._("For example: {prefix} schedule torsdag kl. 19, {prefix} schedule i morgen "
               "kl. 18, {prefix} schedule \"den 12. marts kl. 19\" or {prefix} schedule "
               "2026-03-12 19:00. Every week: {prefix} schedule hver torsdag kl. 19 indtil "
               "1. juni.").format(prefix=prefix)


def refusal_text(t: Translator, reason: str, text: str, prefix: str,
                 examples: tuple[str, ...] = ()) -> str:
    shown = escape_markup(text) or "-"
    if reason == "past":
        head = t._("“{text}” is in the past, so I can't plan a meeting then.").format(text=shown)
    elif reason == "no-time":
        head = t._("“{text}” has no time of day. Write the time too, like “kl. 19”.").format(
            text=shown)
    elif reason == "ambiguous":
        head = t._("I can't tell for sure which time “{text}” means, and I don't want to "
                   "guess.").format(text=shown)
    else:
        head = t._("I can't read “{text}” as a time.").format(text=shown)
    if examples:
        quoted = ", ".join(t._("“{text}”").format(text=escape_markup(e)) for e in examples[:3])
        return head + " " + t._("You could write: {examples}.").format(examples=quoted)
    return head + " " + time_examples(t, prefix)


def read_when(ctx: Context, text: str, salon: Salon) -> Moment:
    if not text:
        raise UsageError(ctx.t._("Write when the meeting is.") + " "
                         + time_examples(ctx.t, ctx.prefix))
    reading = read_time(text, now=ctx.clock.now(), zone=zone_name(ctx, salon), lang=ctx.lang)
    if not isinstance(reading, Moment):
        raise UsageError(refusal_text(ctx.t, reading.reason, text, ctx.prefix,
                                      reading.examples))
    if reading.local - ctx.clock.now() > FARTHEST_AHEAD:
        raise UsageError(ctx.t._("“{text}” is more than two years ahead; plan meetings closer "
                                 "to the time.").format(text=escape_markup(text)))
    return reading


def next_number(ctx: Context, salon: Salon) -> int:
    return int(ctx.session.scalar(select(func.coalesce(func.max(Meeting.number), 0))
                                  .where(Meeting.salon_id == salon.id)) or 0) + 1


def new_meeting(ctx: Context, salon: Salon, start: datetime, length: timedelta,
                words: MeetingWords, capacity: int | None,
                series: MeetingSeries | None = None) -> Meeting:
    now = ctx.clock.now()
    meeting = Meeting(salon_id=salon.id, number=next_number(ctx, salon),
                      series_id=series.id if series else None, title=words.title,
                      place=words.place, url=words.url, starts_at=start, ends_at=start + length,
                      timezone=zone_name(ctx, salon), capacity=capacity,
                      status=MeetingStatus.SCHEDULED.value, sequence=0,
                      created_by=ctx.sender, created_at=now, updated_at=now)
    ctx.session.add(meeting)
    ctx.session.flush()
    reminders.plan(ctx, meeting, salon.room_id)
    return meeting


def announce(ctx: Context, salon: Salon, meeting: Meeting) -> Reply:
    """The announcement, in the salon's language, watched so its reactions are answers."""
    room_t = salon_translator(ctx, salon)
    return Reply(announcement(room_t, meeting, ctx.prefix), room_id=salon.room_id,
                 watch=f"meeting:{meeting.id}:announcement")


async def schedule(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "schedule")
    words = read_words(command.args, t)
    length = read_length(ctx, command)
    capacity = read_capacity(ctx, command)
    if is_series(words.when):
        return schedule_series(ctx, salon, words, length, capacity)
    moment = read_when(ctx, words.when, salon)
    meeting = new_meeting(ctx, salon, moment.local, length, words, capacity)
    read_as = spell(moment.local, lang=t.lang, zone=meeting.timezone)
    reply = "\n".join([
        t._("Planned: {meeting}.").format(meeting=label(t, meeting)),
        t._("I read “{text}” as {time}. If that is wrong, write {prefix} reschedule {n} "
            "and the right time.").format(text=escape_markup(words.when), time=read_as,
                                          prefix=ctx.prefix, n=meeting.number),
    ])
    return [Reply(reply), announce(ctx, salon, meeting)]


def schedule_series(ctx: Context, salon: Salon, words: MeetingWords, length: timedelta,
                    capacity: int | None) -> list[Reply]:
    t = ctx.t
    zone = zone_name(ctx, salon)
    reading = read_series(words.when, now=ctx.clock.now(), zone=zone, lang=ctx.lang)
    if not isinstance(reading, Series):
        raise UsageError(refusal_text(t, reading.reason, words.when, ctx.prefix,
                                      reading.examples))
    limit = SERIES_MAX if reading.until is not None else SERIES_AHEAD
    starts = occurrences(reading, zone, limit)
    if not starts:
        raise UsageError(t._("“{text}” has no meeting before it ends.").format(
            text=escape_markup(words.when)))
    series = MeetingSeries(salon_id=salon.id, weekday=reading.weekday,
                           local_time=reading.at.strftime("%H:%M"), until=reading.until,
                           timezone=zone, status=MeetingStatus.SCHEDULED.value,
                           created_by=ctx.sender, created_at=ctx.clock.now())
    ctx.session.add(series)
    ctx.session.flush()
    meetings = [new_meeting(ctx, salon, start, length, words, capacity, series)
                for start in starts]
    # Each later meeting is announced when the one before it has ended, so the room gets
    # one announcement to answer at a time instead of a dozen at once.
    for before, meeting in zip(meetings, meetings[1:], strict=False):
        ctx.jobs.schedule(ctx.session, kind=ANNOUNCE, key=f"meeting:{meeting.id}",
                          due_at=before.ends_at, room_id=salon.room_id,
                          useful_until=meeting.starts_at, payload={"meeting": meeting.id})
    first, last = meetings[0], meetings[-1]
    reply = "\n".join([
        t.ngettext("Planned: {n} meeting, every week.", "Planned: {n} meetings, every week.",
                   len(meetings)).format(n=len(meetings)),
        t._("I read “{text}” as every {weekday} at {time}, from {first} to {last} "
            "(meetings {a}–{b}).").format(
            text=escape_markup(words.when), weekday=weekday_name(t, first),
            time=local_time_text(t, first), first=spell(first.starts_at, lang=t.lang,
                                                        zone=zone),
            last=spell(last.starts_at, lang=t.lang, zone=zone), a=first.number, b=last.number),
    ])
    if reading.until is None:
        reply += "\n" + t._("It has no end date, so I planned the next {n}; say when it ends "
                            "with “until”, like hver torsdag kl. 19 indtil 1. juni.").format(
            n=len(meetings))
    return [Reply(reply), announce(ctx, salon, first)]


def weekday_name(t: Translator, meeting: Meeting) -> str:
    return format_date(meeting.starts_at.astimezone(zone_of(meeting)), "EEEE", locale=t.locale)


def local_time_text(t: Translator, meeting: Meeting) -> str:
    return format_time(meeting.starts_at.astimezone(zone_of(meeting)), "short", locale=t.locale)


def find_meeting(ctx: Context, salon: Salon, text: str | None) -> Meeting:
    t = ctx.t
    if text is None:
        raise UsageError(t._("Write the meeting's number; {prefix} meetings shows them.").format(
            prefix=ctx.prefix))
    number = small_number(text)
    if number is None:
        raise UsageError(t._("“{text}” is not a meeting number; {prefix} meetings shows "
                             "them.").format(text=escape_markup(text), prefix=ctx.prefix))
    meeting = ctx.session.scalar(select(Meeting).where(Meeting.salon_id == salon.id,
                                                       Meeting.number == number))
    if meeting is None:
        raise Refusal(t._("This salon has no meeting {n}; {prefix} meetings shows them.").format(
            n=number, prefix=ctx.prefix))
    return meeting


def still_ahead(ctx: Context, meeting: Meeting) -> None:
    """A meeting that has ended can no longer be moved or cancelled."""
    if meeting.ends_at <= ctx.clock.now():
        raise Refusal(ctx.t._("{meeting} has already taken place, so it can't be changed any "
                              "more.").format(meeting=label(ctx.t, meeting)))


def upcoming_meetings(ctx: Context, salon: Salon) -> list[Meeting]:
    return list(ctx.session.scalars(
        select(Meeting).where(Meeting.salon_id == salon.id, Meeting.ends_at > ctx.clock.now(),
                              Meeting.status == MeetingStatus.SCHEDULED.value)
        .order_by(Meeting.starts_at, Meeting.number)))


async def list_meetings(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    meetings = upcoming_meetings(ctx, salon)
    if not meetings:
        return Reply(t._("No meetings are planned. A host plans one with {prefix} schedule, "
                         "for example {prefix} schedule torsdag kl. 19.").format(
            prefix=ctx.prefix))
    lines = [t._("**Upcoming meetings:**")]
    for meeting in meetings[:20]:
        line = f"- **{meeting.number}.** {when_words(t, meeting)}"
        if meeting.title:
            line += f" · {escape_markup(meeting.title)}"
        where = where_words(t, meeting)
        if where:
            line += f" · {where}"
        lines.append(line + f" · {counts(t, meeting)}")
    if len(meetings) > 20:
        lines.append(t._("… and {n} more.").format(n=len(meetings) - 20))
    lines.append(t._("Answer with {prefix} rsvp yes|maybe|no and the number, or react to the "
                     "announcement.").format(prefix=ctx.prefix))
    return Reply("\n".join(lines))


def _changed(ctx: Context, salon: Salon, meetings: list[Meeting], text: str,
             watch: str | None = None) -> Reply:
    """A change everyone who answered yes or maybe (also on the waiting list) is told
    about, in the salon's language."""
    people = sorted({r.user_id for meeting in meetings
                     for r in coming(meeting, waiting_too=True)})
    if people:
        text += "\n" + salon_translator(ctx, salon)._("For: {people}").format(
            people=mention_list(people))
    return Reply(text, room_id=salon.room_id, mentions=tuple(people), watch=watch)


async def reschedule(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "reschedule")
    meeting = find_meeting(ctx, salon, command.args[0] if command.args else None)
    if meeting.is_cancelled:
        raise Refusal(t._("{meeting} is cancelled; plan a new one with {prefix} schedule.")
                      .format(meeting=label(t, meeting), prefix=ctx.prefix))
    still_ahead(ctx, meeting)
    words = read_words(command.args[1:], t)
    moment = read_when(ctx, words.when, salon)
    length = meeting.ends_at - meeting.starts_at
    if command.option("for") is not None:
        length = read_length(ctx, command)
    old = when_words(salon_translator(ctx, salon), meeting)
    meeting.starts_at, meeting.ends_at = moment.local, moment.local + length
    if words.place:
        meeting.place, meeting.url = words.place, None
    if words.url:
        meeting.url, meeting.place = words.url, None
    if words.title:
        meeting.title = words.title
    meeting.sequence += 1
    meeting.updated_at = ctx.clock.now()
    reminders.plan(ctx, meeting, salon.room_id)
    room_t = salon_translator(ctx, salon)
    notice = "\n".join([
        room_t._("**Moved: {meeting}**").format(meeting=label(room_t, meeting)),
        room_t._("Now: {new} (was: {old}).").format(
            new=when_words(room_t, meeting) + f" ({meeting.timezone})", old=old),
        room_t._("Your answer still counts; react again if it changes."),
    ])
    reply = t._("Moved {meeting}. I read “{text}” as {time}.").format(
        meeting=label(t, meeting), text=escape_markup(words.when),
        time=spell(moment.local, lang=t.lang, zone=meeting.timezone))
    # People answer the notice like the announcement: it is watched under the same key.
    return [Reply(reply), _changed(ctx, salon, [meeting], notice,
                                   watch=f"meeting:{meeting.id}:announcement")]


async def cancel(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    meeting = find_meeting(ctx, salon, command.args[0] if command.args else None)
    whole_series = command.option("series") is True
    if whole_series and meeting.series_id is None:
        raise UsageError(t._("{meeting} is not part of a weekly series; leave out --series.")
                         .format(meeting=label(t, meeting)))
    if meeting.is_cancelled and not whole_series:
        return [Reply(t._("{meeting} was already cancelled.").format(
            meeting=label(t, meeting)))]
    still_ahead(ctx, meeting)
    targets = [meeting]
    if whole_series:
        # The rest of the series from this one on, as long as it has not taken place.
        targets = list(ctx.session.scalars(
            select(Meeting).where(Meeting.series_id == meeting.series_id,
                                  Meeting.starts_at >= meeting.starts_at,
                                  Meeting.ends_at > ctx.clock.now(),
                                  Meeting.status == MeetingStatus.SCHEDULED.value)
            .order_by(Meeting.starts_at)))
        series = ctx.session.get(MeetingSeries, meeting.series_id)
        if series is not None:
            series.status = MeetingStatus.CANCELLED.value
    if not targets:
        return [Reply(t._("{meeting} was already cancelled.").format(
            meeting=label(t, meeting)))]
    room_t = salon_translator(ctx, salon)
    for target in targets:
        target.status = MeetingStatus.CANCELLED.value
        target.sequence += 1
        target.updated_at = ctx.clock.now()
        reminders.unplan(ctx, target)
        ctx.jobs.cancel(ctx.session, kind=ANNOUNCE, key=f"meeting:{target.id}")
    first = targets[0]
    notice = room_t._("**Cancelled: {meeting}**, {when}.").format(
        meeting=label(room_t, first), when=when_words(room_t, first))
    if whole_series:
        notice += "\n" + room_t.ngettext(
            "The weekly series is cancelled from here on: {n} meeting.",
            "The weekly series is cancelled from here on: {n} meetings.",
            len(targets)).format(n=len(targets))
    reply = t.ngettext("Cancelled {n} meeting.", "Cancelled {n} meetings.", len(targets)).format(
        n=len(targets))
    return [Reply(reply), _changed(ctx, salon, targets, notice)]


async def announce_job(ctx: Context) -> Reply | None:
    """A series' next meeting, announced once the one before it has ended."""
    assert ctx.job is not None
    meeting = ctx.session.get(Meeting, json.loads(ctx.job.payload).get("meeting"))
    salon = ctx.salon
    if meeting is None or meeting.is_cancelled or salon is None or not salon.is_open:
        return None
    return announce(ctx, salon, meeting)


async def next_meeting(ctx: Context, payload: dict[str, Any]) -> Reply | None:
    """``info``'s line about the next meeting."""
    salon = ctx.session.get(Salon, payload.get("salon_id"))
    if salon is None:
        return None
    meetings = upcoming_meetings(ctx, salon)
    if not meetings:
        return None
    meeting = meetings[0]
    text = f"{label(ctx.t, meeting)}, {when_words(ctx.t, meeting)} · {counts(ctx.t, meeting)}"
    return Reply(text)


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="schedule", handler=schedule,
        usage=N_("{prefix} schedule <when> [at \"<place>\" | online <link>] [: \"<title>\"] "
                 "[--for 2h] [--capacity <n>]"),
        summary=N_("Plans a meeting, once or every week; write the time as you would say it"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("planlæg", "møde"), "nb": ("planlegg", "møte"),
                 "sv": ("planera", "möte")},
        value_options=frozenset({"for", "capacity"}),
    ))
    registry.add(CommandSpec(
        name="meetings", handler=list_meetings,
        usage=N_("{prefix} meetings"),
        summary=N_("Shows the upcoming meetings, numbered, with who comes"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("møder",), "nb": ("møter",), "sv": ("möten",)},
    ))
    registry.add(CommandSpec(
        name="reschedule", handler=reschedule,
        usage=N_("{prefix} reschedule <number> <when>"),
        summary=N_("Moves a meeting to another time; those who answered are told"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("flyt",), "nb": ("flytt",), "sv": ("flytta",)},
        value_options=frozenset({"for"}),
    ))
    registry.add(CommandSpec(
        name="cancel", handler=cancel,
        usage=N_("{prefix} cancel <number> [--series]"),
        summary=N_("Cancels a meeting (or the rest of its weekly series); those who answered "
                   "are told"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("aflys",), "nb": ("avlys",), "sv": ("ställ-in", "avboka")},
        flags=frozenset({"series"}),
    ))
    registry.on("next-meeting", next_meeting)
    registry.job(ANNOUNCE, announce_job)
    reminders.register(registry)
