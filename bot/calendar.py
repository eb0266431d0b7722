"""Meetings as iCalendar (.ics): the ``calendar`` command and the ``ics`` export build it here.

Each meeting keeps one UID for its life (``salonbot-meeting-<id>@<server>``), its SEQUENCE
grows with every change and a cancelled meeting is sent with ``STATUS:CANCELLED``, so a
calendar app that imports the file again updates the event instead of adding a second one.
Times carry the meeting's zone (with its VTIMEZONE), so they are right on both sides of a
daylight-saving change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db import Meeting
from bot.i18n import Translator

if TYPE_CHECKING:
    from icalendar import Event

MIMETYPE = "text/calendar"


def meeting_uid(meeting_id: int, server: str) -> str:
    return f"salonbot-meeting-{meeting_id}@{server}"


def meeting_event(t: Translator, salon_title: str, meeting: Meeting, *, uid: str,
                  link: str) -> Event:
    """One meeting as a VEVENT; ``link`` is the salon room's."""
    zone = ZoneInfo(meeting.timezone)
    from icalendar import Event  # loaded on first use, not at every start

    event = Event()
    event.add("uid", uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    title = f"{salon_title}: {meeting.title}" if meeting.title else salon_title
    event.add("summary", title)
    lines = [t._("A meeting of the citizen salon “{salon}”.").format(salon=salon_title)]
    if meeting.place:
        lines.append(t._("Place: {place}").format(place=meeting.place))
    if meeting.url:
        lines.append(t._("Online: {link}").format(link=meeting.url))
    lines.append(t._("The salon's room: {link}").format(link=link))
    event.add("description", "\n".join(lines))
    if meeting.place or meeting.url:
        event.add("location", meeting.place or meeting.url)
    event.add("url", link)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def calendar_bytes(name: str, events: Iterable[Event]) -> bytes:
    """A calendar called ``name`` with ``events``, and the time zones they use."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//salonbot//citizen salons//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
