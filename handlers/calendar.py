"""``calendar [<n>]``: the salon's upcoming meetings (or one) as an .ics file.

Each meeting keeps one UID for its life, its SEQUENCE grows with every change and a
cancelled meeting is sent with ``STATUS:CANCELLED``, so a calendar app that imports the file
again updates the event instead of adding a second one. Times carry the salon's zone
(with its VTIMEZONE), so they are right on both sides of a daylight-saving change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope
from bot.context import Context
from bot.db import Meeting, Salon
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand
from bot.replies import Attachment, Reply
from handlers.checks import salon_of
from handlers.describe import salon_label
from handlers.meetings import find_meeting

if TYPE_CHECKING:
    from icalendar import Event

MIMETYPE = "text/calendar"


def uid(ctx: Context, meeting: Meeting) -> str:
    server = ctx.bot_user_id.split(":", 1)[-1]
    return f"salonbot-meeting-{meeting.id}@{server}"


def event_for(ctx: Context, t: Translator, salon: Salon, meeting: Meeting) -> Event:
    zone = ZoneInfo(meeting.timezone)
    link = ctx.rooms.room_link(salon.room_id)
    from icalendar import Event  # loaded on first use, not at every start

    event = Event()
    event.add("uid", uid(ctx, meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    title = f"{salon.title}: {meeting.title}" if meeting.title else salon.title
    event.add("summary", title)
    lines = [t._("A meeting of the citizen salon “{salon}”.").format(salon=salon.title)]
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


def calendar_bytes(ctx: Context, t: Translator, salon: Salon, meetings: list[Meeting]) -> bytes:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//salonbot//citizen salons//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", salon.title)
    for meeting in meetings:
        calendar.add_component(event_for(ctx, t, salon, meeting))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


async def calendar_command(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    if command.args:
        meetings = [find_meeting(ctx, salon, command.args[0])]
    else:
        # Cancelled ones too, so a calendar that has them learns they are off.
        meetings = list(ctx.session.scalars(
            select(Meeting).where(Meeting.salon_id == salon.id,
                                  Meeting.ends_at > ctx.clock.now())
            .order_by(Meeting.starts_at)))
    if not meetings:
        raise Refusal(t._("No meetings are planned, so there is no calendar yet. A host plans "
                          "one with {prefix} schedule.").format(prefix=ctx.prefix))
    data = calendar_bytes(ctx, t, salon, meetings)
    name = f"salon-{salon.id}.ics" if not command.args else \
        f"salon-{salon.id}-meeting-{meetings[0].number}.ics"
    text = t.ngettext("The calendar of {salon}: {n} meeting. Open the file to add it to your "
                      "calendar.",
                      "The calendar of {salon}: {n} meetings. Open the file to add them to your "
                      "calendar.", len(meetings)).format(salon=salon_label(t, salon),
                                                         n=len(meetings))
    return Reply(text, attachment=Attachment(filename=name, mimetype=MIMETYPE, data=data))


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="calendar", handler=calendar_command,
        usage=N_("{prefix} calendar [<number>]"),
        summary=N_("Sends the salon's meetings as a calendar file for your calendar app"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("kalender",), "nb": ("kalender",), "sv": ("kalender",)},
    ))
