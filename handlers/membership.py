"""Who is in a salon: ``invite``, ``cohost``, ``leave``, and the room's own membership events.

The database follows the room: whatever people do in their Matrix client (accept, decline,
leave, get kicked or banned) arrives as a ``member`` event and updates the member here.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import Member, MemberStatus, Role, Salon, Standing
from bot.i18n import N_
from bot.parser import ParsedCommand
from bot.replies import Reply, escape_markup
from bot.rooms import MODERATOR, RoomError
from bot.words import role_name
from handlers.checks import salon_of, still_open
from handlers.describe import room_problem
from handlers.people import read_invitees, user_id_problem

log = logging.getLogger("salonbot.handlers.membership")


async def invite(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "invite")
    wanted = read_invitees(t, command.args)
    if not wanted.people:
        raise UsageError(t._("Write who to invite, like @name:example.org."))
    invited: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    for person in wanted.people:
        reason = await _invite_one(ctx, salon, person, wanted.role)
        if reason is None:
            member = salon.member(person)
            invited.append((person, member.role if member else Role.CITIZEN.value))
        else:
            refused.append((person, reason))
    lines: list[str] = []
    if invited:
        lines.append(t._("**Invited:**"))
        lines += [f"- {escape_markup(person)} ({role_name(t, role)})" for person, role in invited]
        lines.append(t.ngettext("The invitation is waiting in their Matrix app.",
                                "The invitations are waiting in their Matrix apps.",
                                len(invited)))
    if refused:
        if lines:
            lines.append("")
        lines.append(t._("**Not invited:**"))
        lines += [f"- {escape_markup(person)}: {reason}" for person, reason in refused]
    return Reply("\n".join(lines))


async def _invite_one(ctx: Context, salon: Salon, person: str, role: Role | None) -> str | None:
    """None when invited; otherwise why not, in words the host can act on."""
    t = ctx.t
    problem = user_id_problem(t, person, ctx.sender)
    if problem is not None:
        return problem
    if person == ctx.bot_user_id:
        return t._("That is me, and I am already here.")
    member = salon.member(person)
    if member is not None and member.status == MemberStatus.JOINED.value:
        return t._("Already in the salon.")
    if member is not None and member.status == MemberStatus.INVITED.value:
        return t._("Already invited, but has not accepted yet.")
    if not await ctx.rooms.user_exists(person):
        return room_problem(t, RoomError("unknown-user"))
    try:
        await ctx.rooms.invite(salon.room_id, person)
    except RoomError as err:
        if err.code == "forbidden":
            return t._("The server did not allow the invitation. Perhaps they are banned "
                       "from the room.")
        return room_problem(t, err)
    salon.add_member(person, MemberStatus.INVITED, ctx.clock.now(), role=role,
                     invited_by=ctx.sender)
    return None


async def cohost(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    if len(command.args) != 1:
        raise UsageError(t._("Write the one person who should be co-host, like "
                             "@name:example.org."))
    person = command.args[0]
    problem = user_id_problem(t, person, ctx.sender)
    if problem is not None:
        raise UsageError(f"{escape_markup(person)}: {problem}")
    still_open(ctx, salon, "cohost")
    member = salon.member(person)
    shown = escape_markup(person)
    if member is None or member.status == MemberStatus.LEFT.value:
        raise Refusal(t._("{user} is not in the salon. Invite them first with "
                          "{prefix} invite {user}.").format(user=shown, prefix=ctx.prefix))
    if member.standing == Standing.HOST.value:
        raise Refusal(t._("{user} is already the salon's host.").format(user=shown))
    if member.standing == Standing.COHOST.value:
        raise Refusal(t._("{user} is already co-host.").format(user=shown))
    if not member.has_joined:
        # A co-host who never joins would count as a host nobody can reach.
        raise Refusal(t._("{user} is invited but has not joined the salon yet. Once they have "
                          "accepted the invitation, make them co-host with {prefix} cohost "
                          "{user}.").format(user=shown, prefix=ctx.prefix))
    try:
        await ctx.rooms.set_power_level(salon.room_id, person, MODERATOR)
    except RoomError as err:
        raise Refusal(t._("I could not make {user} a moderator of the room. {reason}").format(
            user=shown, reason=room_problem(t, err))) from err
    member.standing = Standing.COHOST.value
    return Reply(t._("{user} is now co-host and may invite people, set the topic and close "
                     "the salon.").format(user=shown))


async def leave(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    member = ctx.member
    if member is None:  # the router's permission check makes this unreachable
        raise RuntimeError("leave without membership")
    if salon.is_open and member.is_host and not member.fellow_hosts():
        raise Refusal(t._("You are the salon's only host, so you can't leave it yet. First make "
                          "someone co-host with {prefix} cohost @name:server, or close the salon "
                          "with {prefix} close.").format(prefix=ctx.prefix))
    try:
        await ctx.rooms.kick(salon.room_id, ctx.sender,
                             reason=t._("Left the salon at their own request."))
    except RoomError as err:
        raise Refusal(t._("I could not take you out of the room. {reason} You can also leave "
                          "with the Leave button in your Matrix app.").format(
            reason=room_problem(t, err))) from err
    await _step_down(ctx, salon, member)
    return Reply(t._("{user} has left the salon. Thank you for taking part!").format(
        user=escape_markup(ctx.sender)))


async def follow_membership(ctx: Context, payload: dict[str, Any]) -> None:
    """Keeps the members table in step with the room; the bot's own membership is not one."""
    salon = ctx.salon
    user_id = payload.get("user_id") or ctx.sender
    if salon is None or user_id == ctx.bot_user_id:
        return None
    membership = payload.get("membership")
    member = salon.member(user_id)
    now = ctx.clock.now()
    gone = member is None or member.status == MemberStatus.LEFT.value
    if membership == "join" and (member is None or not member.has_joined):
        salon.add_member(user_id, MemberStatus.JOINED, now)
    elif membership in ("leave", "ban") and member is not None and not gone:
        await _step_down(ctx, salon, member)
    elif membership == "invite" and gone:
        salon.add_member(user_id, MemberStatus.INVITED, now)
    return None


async def _step_down(ctx: Context, salon: Salon, member: Member) -> None:
    """Marks ``member`` as gone (``Member.leave`` decides whether a host keeps the standing).

    A host who hands the standing back also goes back to the room's default power level,
    which Matrix would otherwise keep at moderator, so they return as a participant. That
    is best effort: the departure is recorded even when the homeserver cannot be reached.
    """
    was_host = member.is_host
    member.leave(ctx.clock.now())
    if not was_host or member.is_host:
        return
    try:
        await ctx.rooms.reset_power_level(salon.room_id, member.user_id)
    except Exception:  # a refusal, a timeout or a dropped connection: the departure stands
        log.warning("could not take moderator power from %s in room %s (salon %s)",
                    member.user_id, salon.room_id, salon.id, exc_info=True)


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="invite", handler=invite,
        usage=N_("{prefix} invite @name:server ... [as citizen|politician|staff]"),
        summary=N_("Invites people into the salon, tagged as citizen, politician or staff"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("inviter", "invitér"), "nb": ("inviter",), "sv": ("bjud-in", "bjud")},
    ))
    registry.add(CommandSpec(
        name="cohost", handler=cohost,
        usage=N_("{prefix} cohost @name:server"),
        summary=N_("Makes a participant co-host, with the same rights as you"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("medvært",), "nb": ("medvert",), "sv": ("medvärd",)},
    ))
    registry.add(CommandSpec(
        name="leave", handler=leave,
        usage=N_("{prefix} leave"),
        summary=N_("Takes you out of the salon"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("forlad",), "nb": ("forlat",), "sv": ("lämna",)},
    ))
    registry.on("member", follow_membership)
