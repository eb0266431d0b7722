"""A salon's life: ``open``, ``list``, ``join``, ``info``, ``topic`` and ``close``.

Inviting, co-hosts, leaving and the room's membership events live in ``handlers.membership``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from babel.dates import format_timedelta
from sqlalchemy import select

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import Member, MemberStatus, Salon, SalonStatus, Standing
from bot.db.models import TITLE_MAX
from bot.durations import parse_duration
from bot.exports.people import People
from bot.i18n import N_
from bot.parser import ParsedCommand
from bot.replies import Reply, escape_markup
from bot.rooms import RoomError
from handlers.checks import salon_of, still_open
from handlers.describe import (
    day,
    ever_joined,
    host_labels,
    joined,
    moment,
    role_counts,
    room_link,
    room_problem,
    salon_label,
    salon_translator,
)
from handlers.refs import BadReference, find_salon
from handlers.report import final_report

log = logging.getLogger("salonbot.handlers.salons")

TOPIC_MAX = 1000
LIST_MAX = 30


def _words(command: ParsedCommand) -> str:
    """The arguments as one text: quotes are optional when someone forgets them."""
    return " ".join(" ".join(command.args).split())


async def open_salon(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    title = _title(command, ctx)
    if len(title) > TITLE_MAX:
        raise UsageError(t._("The title is {length} characters long, but it may be at most "
                             "{limit}. Please shorten it.").format(length=len(title),
                                                                    limit=TITLE_MAX))
    topic = _topic_option(command, ctx)
    public = command.option("public") is True
    _check_open_limit(ctx)
    try:
        created = await ctx.rooms.create_room(
            name=title, topic=topic, encrypted=ctx.config.matrix.encrypt_new_rooms,
            invite=[ctx.sender], moderators=[ctx.sender])
    except RoomError as err:
        raise Refusal(t._("I could not create the salon's room. {reason}").format(
            reason=room_problem(t, err))) from err
    now = ctx.clock.now()
    salon = Salon(room_id=created.room_id, title=title, topic=topic, is_public=public,
                  status=SalonStatus.OPEN.value, language=ctx.lang, created_by=ctx.sender,
                  created_at=now)
    host = salon.add_member(ctx.sender, MemberStatus.INVITED, now, invited_by=ctx.sender)
    host.standing = Standing.HOST.value
    ctx.session.add(salon)
    ctx.session.flush()
    lines = [
        t._("Your salon **{salon}** is open, and you are its host.").format(
            salon=salon_label(t, salon)),
        t._("I have invited you to its room: {link}. Accept the invitation, then invite "
            "others from the room with {prefix} invite @name:server.").format(
            link=room_link(ctx, salon), prefix=ctx.prefix),
    ]
    if public:
        lines.append(t._("It is public: others find it with {prefix} list and join with "
                         "{prefix} join #{id}.").format(prefix=ctx.prefix, id=salon.id))
    else:
        lines.append(t._("It is private: only the people you invite can join."))
    return Reply("\n".join(lines))


def _check_open_limit(ctx: Context) -> None:
    """``bot.open_limit`` salons per person per ``bot.open_limit_period``, counted from the
    salons table; checked before the room exists, so a refused ``open`` leaves nothing."""
    limit = ctx.config.bot.open_limit
    if not limit:
        return
    period = parse_duration(ctx.config.bot.open_limit_period)
    now = ctx.clock.now()
    recent = list(ctx.session.scalars(
        select(Salon.created_at).where(Salon.created_by == ctx.sender,
                                       Salon.created_at > now - period)
        .order_by(Salon.created_at)))
    if len(recent) < limit:
        return
    # The day the oldest salon that still counts stops counting; shown to the minute, so
    # rounded up to it: at the time the reply names, opening works.
    free_at = _ceil_minute(recent[len(recent) - limit] + period)
    raise Refusal(ctx.t._("You have opened as many salons as one person may: {limit} per "
                          "{period}. You can open another one on {when}.").format(
        limit=limit, period=format_timedelta(period, threshold=2, locale=ctx.t.locale),
        when=moment(ctx, free_at)))


def _ceil_minute(when: datetime) -> datetime:
    floor = when.replace(second=0, microsecond=0)
    return floor if floor == when else floor + timedelta(minutes=1)


def _title(command: ParsedCommand, ctx: Context) -> str:
    """The title: one argument (quoted if it has spaces), or unquoted words that come first
    with nothing but options after them.

    ``open Trafik på Skolevej`` is the friendliest way to type it, so it works. But words
    after a quoted title or after an option (``--topic Parkering ved skolen``) would silently
    become part of the title, so those are refused with a hint to use quotes.
    """
    t = ctx.t
    words = " ".join(command.args)
    typed = " ".join(command.rest.split())
    if len(command.args) < 2 or typed == words or typed.startswith(words + " "):
        title = " ".join(words.split())
        if not title:
            raise UsageError(t._("A salon needs a title. Write it in quotes after the command."))
        return title
    raise UsageError(t._("I can't tell where the title ends. Put the title in quotes, and the "
                         "topic too, like this: {prefix} open \"Traffic on School Road\" "
                         "--topic \"Parking by the school\". Without quotes, the title must "
                         "come first, with nothing but options after it.").format(
        prefix=ctx.prefix))


def _topic_option(command: ParsedCommand, ctx: Context) -> str | None:
    value = command.option("topic")
    if value is None:
        return None
    topic = " ".join(str(value).split()) if isinstance(value, str) else ""
    if not topic:
        raise UsageError(ctx.t._("After --topic, write the topic in quotes."))
    _check_topic_length(topic, ctx)
    return topic


def _check_topic_length(topic: str, ctx: Context) -> None:
    if len(topic) > TOPIC_MAX:
        raise UsageError(ctx.t._("The topic is {length} characters long, but it may be at most "
                                 "{limit}. Please shorten it.").format(length=len(topic),
                                                                        limit=TOPIC_MAX))


async def list_salons(command: ParsedCommand, ctx: Context) -> Reply:
    if not ctx.is_direct:
        return _list_public(ctx)
    t = ctx.t
    mine = list(ctx.session.scalars(
        select(Salon).join(Member).where(Member.user_id == ctx.sender,
                                         Member.status != MemberStatus.LEFT.value)
        .order_by(Salon.status.desc(), Salon.id)))
    public = [s for s in _public_salons(ctx) if s not in mine]
    if not mine and not public:
        return Reply(t._("There are no public salons yet, and you are not in any. Open one "
                         "with {prefix} open \"title\" --public, and others can join it.")
                     .format(prefix=ctx.prefix))
    lines: list[str] = []
    if mine:
        lines.append(t._("**Your salons:**"))
        lines += [_list_line(ctx, salon, own=True) for salon in mine[:LIST_MAX]]
    if public:
        if lines:
            lines.append("")
        lines.append(t._("**Public salons you can join:**"))
        lines += [_list_line(ctx, salon, own=False) for salon in public[:LIST_MAX]]
        lines += ["", _join_hint(ctx, public[0])]
    hidden = max(0, len(mine) - LIST_MAX) + max(0, len(public) - LIST_MAX)
    if hidden:
        lines.append(t._("… and {n} more.").format(n=hidden))
    return Reply("\n".join(lines))


def _list_public(ctx: Context) -> Reply:
    """``list`` in a room others read: open public salons only, whoever asks. A private
    salon's title, and which salons the caller is in, are shown only in a direct chat."""
    t = ctx.t
    public = _public_salons(ctx)
    own_hint = t._("In a direct chat with me, {prefix} list also shows your own salons.").format(
        prefix=ctx.prefix)
    if not public:
        return Reply(t._("There are no public salons yet. Open one with {prefix} open "
                         "\"title\" --public, and others can join it.").format(
            prefix=ctx.prefix) + "\n" + own_hint)
    lines = [t._("**Public salons:**")]
    lines += [_list_line(ctx, salon, own=False) for salon in public[:LIST_MAX]]
    if len(public) > LIST_MAX:
        lines.append(t._("… and {n} more.").format(n=len(public) - LIST_MAX))
    lines += ["", _join_hint(ctx, public[0]), own_hint]
    return Reply("\n".join(lines))


def _public_salons(ctx: Context) -> list[Salon]:
    return list(ctx.session.scalars(
        select(Salon).where(Salon.is_public.is_(True), Salon.status == SalonStatus.OPEN.value)
        .order_by(Salon.id.desc())))


def _join_hint(ctx: Context, salon: Salon) -> str:
    return ctx.t._("Join one with {prefix} join and its number, for example "
                   "{prefix} join #{id}.").format(prefix=ctx.prefix, id=salon.id)


def _list_line(ctx: Context, salon: Salon, *, own: bool) -> str:
    t = ctx.t
    n = len(joined(salon))
    details = [t.ngettext("{n} participant", "{n} participants", n).format(n=n)]
    if own:
        member = salon.member(ctx.sender)
        if member is not None and member.is_host:
            details.append(t._("you are host"))
        if not salon.is_public:
            details.append(t._("private"))
        if not salon.is_open:
            details.append(t._("closed"))
    return f"- **{salon_label(t, salon)}**: {', '.join(details)}"


async def join_salon(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    if not command.args:
        raise UsageError(t._("Write which salon you want to join, for example #12. "
                             "You see the salons with {prefix} list.").format(prefix=ctx.prefix))
    ref = command.args[0]
    try:
        salon = await find_salon(ctx.session, ctx.rooms, ref)
    except BadReference as err:
        raise UsageError(t._("“{ref}” is not a salon number. Use the number from {prefix} list, "
                             "for example #12.").format(ref=escape_markup(ref),
                                                        prefix=ctx.prefix)) from err
    member = salon.member(ctx.sender) if salon else None
    if member is not None and member.status == MemberStatus.JOINED.value:
        return Reply(t._("You are already in **{salon}**. Its room: {link}").format(
            salon=salon_label(t, salon), link=room_link(ctx, salon)))
    invited = member is not None and member.status == MemberStatus.INVITED.value
    # The last host keeps the standing while away; a private salon must let them back in.
    away_host = member is not None and member.standing != Standing.PARTICIPANT.value
    if salon is None or (not salon.is_public and not invited and not away_host):
        raise Refusal(t._("I can't find a public salon {ref}. You see the salons you can join "
                          "with {prefix} list.").format(ref=escape_markup(ref),
                                                        prefix=ctx.prefix))
    if not salon.is_open:
        raise Refusal(t._("**{salon}** is closed, so nobody can join it any more.").format(
            salon=salon_label(t, salon)))
    try:
        await ctx.rooms.invite(salon.room_id, ctx.sender)
    except RoomError as err:
        if not invited:
            raise Refusal(t._("I could not invite you. {reason}").format(
                reason=room_problem(t, err))) from err
        # Already invited: the earlier invitation still stands.
    if not invited:
        salon.add_member(ctx.sender, MemberStatus.INVITED, ctx.clock.now(),
                         invited_by=ctx.sender)
    return Reply(t._("I have invited you to **{salon}**. Accept the invitation in your Matrix "
                     "app: {link}").format(salon=salon_label(t, salon),
                                           link=room_link(ctx, salon)))


async def salon_info(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    lines = [f"**{salon_label(t, salon)}**"]
    if salon.topic:
        lines.append(t._("Topic: {topic}").format(topic=escape_markup(salon.topic)))
    else:
        lines.append(t._("No topic yet. Hosts set one with {prefix} topic \"text\".").format(
            prefix=ctx.prefix))
    lines.append(t._("Hosts: {hosts}").format(hosts=", ".join(host_labels(t, salon)) or "-"))
    present = joined(salon)
    if present:
        lines.append(t._("Participants: {n} ({roles})").format(
            n=len(present), roles=role_counts(t, present)))
    else:
        lines.append(t._("Participants: nobody has joined yet."))
    waiting = [m for m in salon.members if m.status == MemberStatus.INVITED.value]
    if waiting:
        lines.append(t.ngettext("{n} person is invited but has not joined yet.",
                                "{n} people are invited but have not joined yet.",
                                len(waiting)).format(n=len(waiting)))
    lines.append(t._("Next meeting: {meeting}").format(meeting=await _next_meeting(ctx, salon)))
    lines += await _area_lines(ctx, salon, "minutes-status")
    lines += await _area_lines(ctx, salon, "outcomes-status")
    lines.append(_status_line(ctx, salon))
    if salon.closing_statement:
        lines.append(t._("Closing statement: {statement}").format(
            statement=escape_markup(salon.closing_statement)))
    return Reply("\n".join(lines))


async def _next_meeting(ctx: Context, salon: Salon) -> str:
    """Meetings live in another area: it answers through a ``next-meeting`` hook."""
    for hook in ctx.registry.hooks("next-meeting"):
        result = await hook(ctx, {"salon_id": salon.id})
        if isinstance(result, Reply) and result.source:
            return result.source
    return ctx.t._("no meetings scheduled yet.")


async def _area_lines(ctx: Context, salon: Salon, kind: str) -> list[str]:
    """Lines other areas add to ``info`` (minutes being taken, say) through hooks."""
    lines = []
    for hook in ctx.registry.hooks(kind):
        result = await hook(ctx, {"salon_id": salon.id})
        if isinstance(result, Reply) and result.source:
            lines.append(result.source)
    return lines


def _status_line(ctx: Context, salon: Salon) -> str:
    t = ctx.t
    if not salon.is_open:
        return t._("Status: closed on {date}.").format(
            date=day(ctx, salon.closed_at, salon) if salon.closed_at else "-")
    if salon.is_public:
        return t._("Status: open and public. Others join with {prefix} join #{id}.").format(
            prefix=ctx.prefix, id=salon.id)
    return t._("Status: open and private. Only invited people can join.")


async def set_topic(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "topic")
    topic = _words(command)
    if not topic:
        raise UsageError(t._("Write the new topic in quotes after the command."))
    _check_topic_length(topic, ctx)
    try:
        await ctx.rooms.set_topic(salon.room_id, topic)
    except RoomError as err:
        raise Refusal(t._("I could not change the room's topic. {reason}").format(
            reason=room_problem(t, err))) from err
    salon.topic = topic
    return Reply(t._("The salon's topic is now: {topic}").format(topic=escape_markup(topic)))


async def close_salon(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    if not salon.is_open:
        raise Refusal(t._("This salon was already closed on {date}.").format(
            date=day(ctx, salon.closed_at, salon) if salon.closed_at else "-"))
    statement = _words(command) or None
    salon.status = SalonStatus.CLOSED.value
    salon.closed_at = ctx.clock.now()
    salon.closing_statement = statement
    # The room's name is seen by everyone, so it follows the salon's language.
    closed = salon_translator(ctx, salon)._("(closed)")
    try:
        await ctx.rooms.set_name(salon.room_id, f"{salon.title} {closed}")
    except RoomError:
        log.warning("could not rename closed salon %s", salon.id, exc_info=True)
    took_part = ever_joined(salon)
    lines = [t._("**{salon}** is now closed. Thank you all for taking part!").format(
        salon=salon_label(t, salon))]
    if took_part:
        lines.append(t._("Took part: {roles}.").format(roles=role_counts(t, took_part)))
    # Shown as the final report shows it: a person named in it only as they may be.
    people = People.of(ctx.session, salon.closed_at)
    if statement:
        lines.append(t._("Closing statement: {statement}").format(
            statement=escape_markup(people.masked(statement, salon.id) or statement)))
    # The final report follows the closing reply: stored, posted here, told to the staff.
    return [Reply("\n".join(lines)), *final_report(ctx, salon, people)]


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="open", handler=open_salon,
        usage=N_("{prefix} open \"<title>\" [--public] [--topic \"<text>\"]"),
        summary=N_("Opens a new salon with its own room; you become its host"),
        aliases={"da": ("åbn",), "nb": ("åpne",), "sv": ("öppna",)},
        flags=frozenset({"public"}), value_options=frozenset({"topic"}),
    ))
    registry.add(CommandSpec(
        name="list", handler=list_salons,
        usage=N_("{prefix} list"),
        summary=N_("Shows the public salons and your own"),
        aliases={"da": ("liste",), "nb": ("liste",), "sv": ("lista",)},
    ))
    registry.add(CommandSpec(
        name="join", handler=join_salon,
        usage=N_("{prefix} join #<number>"),
        summary=N_("Joins a public salon: I invite you to its room"),
        aliases={"da": ("deltag",), "nb": ("bli-med", "delta"), "sv": ("gå-med", "delta")},
    ))
    registry.add(CommandSpec(
        name="info", handler=salon_info,
        usage=N_("{prefix} info"),
        summary=N_("Tells what the salon is about, who hosts it and who takes part"),
        scope=Scope.SALON,
        aliases={"da": ("info",), "nb": ("info",), "sv": ("info",)},
    ))
    registry.add(CommandSpec(
        name="topic", handler=set_topic,
        usage=N_("{prefix} topic \"<text>\""),
        summary=N_("Sets the salon's topic"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("emne",), "nb": ("tema", "emne"), "sv": ("ämne",)},
    ))
    registry.add(CommandSpec(
        name="close", handler=close_salon,
        usage=N_("{prefix} close [\"<closing statement>\"]"),
        summary=N_("Closes the salon, with a closing statement if you like"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("luk",), "nb": ("lukk",), "sv": ("stäng",)},
    ))
