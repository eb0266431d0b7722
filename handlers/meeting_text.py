"""How a meeting reads in a reply, an announcement, a reminder and a list: one place."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot.db import Meeting, MeetingStatus, Rsvp, RsvpAnswer, Salon
from bot.i18n import Translator
from bot.replies import escape_markup
from handlers.describe import link

#: The reactions that answer an announcement, and what they mean.
YES_KEYS = ("✅", "✔️", "✔", "☑️", "👍")
MAYBE_KEYS = ("❔", "❓", "🤔")
NO_KEYS = ("❌", "✖️", "👎")


def answer_of(key: str) -> RsvpAnswer | None:
    """What a reaction answers; None when it is some other emoji."""
    key = key.strip().replace("\ufe0f", "")
    for keys, answer in ((YES_KEYS, RsvpAnswer.YES), (MAYBE_KEYS, RsvpAnswer.MAYBE),
                         (NO_KEYS, RsvpAnswer.NO)):
        if key in {k.replace("\ufe0f", "") for k in keys}:
            return answer
    return None


def zone_of(meeting: Meeting) -> ZoneInfo:
    return ZoneInfo(meeting.timezone)


def when_words(t: Translator, meeting: Meeting) -> str:
    """``torsdag den 5. marts 2026 kl. 19.00–21.00`` in the meeting's zone."""
    zone = zone_of(meeting)
    start, end = meeting.starts_at.astimezone(zone), meeting.ends_at.astimezone(zone)
    day = format_date(start, format="full", locale=t.locale)
    begin = format_time(start, format="short", locale=t.locale)
    finish = format_time(end, format="short", locale=t.locale)
    if end.date() != start.date():
        finish = format_date(end, format="medium", locale=t.locale) + " " + finish
    return t._("{day}, {start}–{end}").format(day=day, start=begin, end=finish)


def short_when(t: Translator, when: datetime, zone: ZoneInfo) -> str:
    local = when.astimezone(zone)
    return t._("{date} at {time}").format(
        date=format_date(local, format="medium", locale=t.locale),
        time=format_time(local, format="short", locale=t.locale))


def label(t: Translator, meeting: Meeting) -> str:
    """``meeting 3 “Bænke på torvet”``: the number people type, and its title."""
    if meeting.title:
        return t._("meeting {n} “{title}”").format(n=meeting.number,
                                                  title=escape_markup(meeting.title))
    return t._("meeting {n}").format(n=meeting.number)


def where_words(t: Translator, meeting: Meeting) -> str | None:
    if meeting.place:
        return t._("Place: {place}").format(place=escape_markup(meeting.place))
    if meeting.url:
        return t._("Online: {link}").format(link=link(escape_markup(meeting.url), meeting.url))
    return None


def counts(t: Translator, meeting: Meeting) -> str:
    """``3 yes, 1 maybe, 0 no (2 on the waiting list)``."""
    yes = [r for r in meeting.rsvps if r.answer == RsvpAnswer.YES.value and not r.waitlisted]
    waiting = [r for r in meeting.rsvps if r.answer == RsvpAnswer.YES.value and r.waitlisted]
    maybe = [r for r in meeting.rsvps if r.answer == RsvpAnswer.MAYBE.value]
    no = [r for r in meeting.rsvps if r.answer == RsvpAnswer.NO.value]
    text = t._("{yes} yes, {maybe} maybe, {no} no").format(yes=len(yes), maybe=len(maybe),
                                                          no=len(no))
    if meeting.capacity:
        text += " · " + t._("{free} of {capacity} places free").format(
            free=max(0, meeting.capacity - len(yes)), capacity=meeting.capacity)
    if waiting:
        text += " · " + t.ngettext("{n} on the waiting list", "{n} on the waiting list",
                                   len(waiting)).format(n=len(waiting))
    return text


def coming(meeting: Meeting, *, waiting_too: bool = False) -> list[Rsvp]:
    """Those who said yes (with a place) or maybe: they are reminded. Told of changes are
    also those waiting for a place (``waiting_too``)."""
    return [r for r in meeting.rsvps
            if (r.answer == RsvpAnswer.YES.value and (waiting_too or not r.waitlisted))
            or r.answer == RsvpAnswer.MAYBE.value]


def upcoming(salon: Salon, meetings: list[Meeting], now: datetime) -> list[Meeting]:
    return [m for m in meetings if m.salon_id == salon.id and m.ends_at > now
            and m.status == MeetingStatus.SCHEDULED.value]


def announcement(t: Translator, meeting: Meeting, prefix: str) -> str:
    """The message people answer with a reaction."""
    lines = [t._("**New meeting: {meeting}**").format(meeting=label(t, meeting)),
             when_words(t, meeting) + f" ({meeting.timezone})"]
    where = where_words(t, meeting)
    if where:
        lines.append(where)
    if meeting.capacity:
        lines.append(t.ngettext("Room for {n} person; after that you go on a waiting list.",
                                "Room for {n} people; after that you go on a waiting list.",
                                meeting.capacity).format(n=meeting.capacity))
    lines.append(t._("Will you come? React to this message with ✅ (yes), ❔ (maybe) or "
                     "❌ (no), or write {prefix} rsvp yes {n}.").format(prefix=prefix,
                                                                      n=meeting.number))
    return "\n".join(lines)


def mention_list(user_ids: list[str]) -> str:
    return ", ".join(user_ids)
