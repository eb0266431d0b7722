"""``calendar [<n>]``: the salon's upcoming meetings (or one) as an .ics file.

The file is built by ``bot.calendar``, which the ``ics`` export shares: stable UIDs, a
higher SEQUENCE after a change, ``STATUS:CANCELLED`` after a cancel, the zone's VTIMEZONE.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.calendar import MIMETYPE, calendar_bytes, meeting_event, meeting_uid
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope
from bot.context import Context
from bot.db import Meeting
from bot.i18n import N_
from bot.parser import ParsedCommand
from bot.replies import Attachment, Reply
from handlers.checks import salon_of
from handlers.describe import salon_label
from handlers.meetings import find_meeting


def uid(ctx: Context, meeting: Meeting) -> str:
    return meeting_uid(meeting.id, ctx.bot_user_id.split(":", 1)[-1])


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
    link = ctx.rooms.room_link(salon.room_id)
    data = calendar_bytes(salon.title, (meeting_event(t, salon.title, meeting,
                                                      uid=uid(ctx, meeting), link=link)
                                        for meeting in meetings))
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
