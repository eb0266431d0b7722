"""Who comes: ``rsvp yes|maybe|no [<n>]`` and ✅ ❔ ❌ reactions on an announcement.

The last answer counts. Removing the reaction withdraws it (the reaction is watched, so its
redaction reaches us). With a capacity, a yes beyond it waits on a list, first come first
served, and moves up, with a notice, when a place frees. Reactions of people who are not in
the salon are ignored (the bot's own never arrive).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import Meeting, Rsvp, RsvpAnswer, Salon
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand, read_choice
from bot.replies import Reply
from handlers.checks import salon_of, still_open
from handlers.describe import salon_translator
from handlers.meeting_text import answer_of, label, when_words
from handlers.meetings import find_meeting, upcoming_meetings

ANSWER_WORDS = {
    RsvpAnswer.YES: ("yes", "ja", "jo", "y", "kommer"),
    RsvpAnswer.MAYBE: ("maybe", "måske", "kanskje", "kanske", "kanskje"),
    RsvpAnswer.NO: ("no", "nej", "nei", "n"),
}


def read_answer(word: str) -> RsvpAnswer | None:
    return read_choice(word, ANSWER_WORDS)


def _confirmed(meeting: Meeting) -> list[Rsvp]:
    return [r for r in meeting.rsvps if r.answer == RsvpAnswer.YES.value and not r.waitlisted]


def _waiting(meeting: Meeting) -> list[Rsvp]:
    return sorted((r for r in meeting.rsvps if r.answer == RsvpAnswer.YES.value and r.waitlisted),
                  key=lambda r: (r.answered_at, r.id))


def answer(ctx: Context, meeting: Meeting, answer: RsvpAnswer, *, via: str,
           reaction_event_id: str | None = None) -> tuple[Rsvp, list[Reply]]:
    """Records the sender's answer; returns it and the notices it causes (a place freed)."""
    now = ctx.clock.now()
    rsvp = next((r for r in meeting.rsvps if r.user_id == ctx.sender), None)
    had_place = rsvp is not None and rsvp.answer == RsvpAnswer.YES.value and not rsvp.waitlisted
    was_yes = rsvp is not None and rsvp.answer == RsvpAnswer.YES.value
    if rsvp is None:
        rsvp = Rsvp(user_id=ctx.sender, answer=answer.value, waitlisted=False, via=via,
                    answered_at=now)
        meeting.rsvps.append(rsvp)
    elif not (was_yes and answer is RsvpAnswer.YES):
        rsvp.answered_at = now  # a new yes queues anew; the same yes keeps its place
    rsvp.answer, rsvp.via = answer.value, via
    rsvp.reaction_event_id = reaction_event_id
    if answer is RsvpAnswer.YES and not was_yes:
        full = meeting.capacity is not None and len(
            [r for r in _confirmed(meeting) if r is not rsvp]) >= meeting.capacity
        rsvp.waitlisted = full
    elif answer is not RsvpAnswer.YES:
        rsvp.waitlisted = False
    ctx.session.flush()
    notices = move_up(ctx, meeting) if had_place and answer is not RsvpAnswer.YES else []
    return rsvp, notices


def withdraw(ctx: Context, meeting: Meeting, rsvp: Rsvp) -> list[Reply]:
    had_place = rsvp.answer == RsvpAnswer.YES.value and not rsvp.waitlisted
    meeting.rsvps.remove(rsvp)
    ctx.session.flush()
    return move_up(ctx, meeting) if had_place else []


def move_up(ctx: Context, meeting: Meeting) -> list[Reply]:
    """The first on the waiting list gets the freed place, and is told in the room."""
    if meeting.capacity is None or len(_confirmed(meeting)) >= meeting.capacity:
        return []
    waiting = _waiting(meeting)
    if not waiting:
        return []
    first = waiting[0]
    first.waitlisted = False
    salon = ctx.session.get(Salon, meeting.salon_id)
    if salon is None:
        return []
    room_t = salon_translator(ctx, salon)
    text = room_t._("A place has become free at {meeting}: {user}, you have it now. See you "
                    "{when}!").format(meeting=label(room_t, meeting), user=first.user_id,
                                      when=when_words(room_t, meeting))
    return [Reply(text, room_id=salon.room_id, mentions=(first.user_id,))]


def position(meeting: Meeting, rsvp: Rsvp) -> int:
    return _waiting(meeting).index(rsvp) + 1


def confirmation(t: Translator, meeting: Meeting, rsvp: Rsvp) -> str:
    if rsvp.waitlisted:
        return t._("{meeting} is full, so you are number {n} on the waiting list. I will tell "
                   "you when a place frees.").format(meeting=label(t, meeting),
                                                     n=position(meeting, rsvp))
    if rsvp.answer == RsvpAnswer.YES.value:
        return t._("Noted: you come to {meeting}, {when}.").format(
            meeting=label(t, meeting), when=when_words(t, meeting))
    if rsvp.answer == RsvpAnswer.MAYBE.value:
        return t._("Noted: maybe you come to {meeting}.").format(meeting=label(t, meeting))
    return t._("Noted: you don't come to {meeting}.").format(meeting=label(t, meeting))


async def rsvp_command(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "rsvp")
    chosen = read_answer(command.args[0]) if command.args else None
    if chosen is None:
        raise UsageError(t._("Answer yes, maybe or no, and the meeting's number if there is "
                             "more than one, like {prefix} rsvp yes 2.").format(
            prefix=ctx.prefix))
    if len(command.args) > 1:
        meeting = find_meeting(ctx, salon, command.args[1])
    else:
        meetings = upcoming_meetings(ctx, salon)
        if not meetings:
            raise Refusal(t._("No meetings are planned, so there is nothing to answer yet."))
        meeting = meetings[0]
    if meeting.is_cancelled or meeting.ends_at <= ctx.clock.now():
        raise Refusal(t._("{meeting} is over or cancelled, so it can't be answered any more.")
                      .format(meeting=label(t, meeting)))
    rsvp, notices = answer(ctx, meeting, chosen, via="command")
    return [Reply(confirmation(t, meeting, rsvp)), *notices]


def _announced(ctx: Context, payload: dict[str, Any]) -> Meeting | None:
    key = payload.get("relates_key") or ""
    if not (key.startswith("meeting:") and key.endswith(":announcement")):
        return None
    number = key.split(":")[1]
    meeting = ctx.session.get(Meeting, int(number)) if number.isdigit() else None
    if meeting is None or meeting.is_cancelled or meeting.ends_at <= ctx.clock.now():
        return None
    return meeting


async def on_reaction(ctx: Context, payload: dict[str, Any]) -> list[Reply]:
    meeting = _announced(ctx, payload)
    if (meeting is None or ctx.member is None or not ctx.member.has_joined
            or ctx.salon is None or not ctx.salon.is_open):
        return []
    chosen = answer_of(str(payload.get("key", "")))
    if chosen is None:
        return []
    event_id = str(payload.get("event_id"))
    rsvp, notices = answer(ctx, meeting, chosen, via="reaction", reaction_event_id=event_id)
    ctx.watch.watch_event(ctx.session, event_id=event_id, room_id=ctx.room_id,
                          key=f"rsvp:{meeting.id}", at=ctx.clock.now())
    if rsvp.waitlisted:
        notices.append(Reply(confirmation(ctx.t, meeting, rsvp), direct_to=ctx.sender))
    return notices


async def on_redaction(ctx: Context, payload: dict[str, Any]) -> list[Reply]:
    """A removed ✅ withdraws the answer it gave (if it is still the person's last one and
    the meeting is still ahead)."""
    key = payload.get("relates_key") or ""
    if not key.startswith("rsvp:"):
        return []
    redacted = payload.get("redacts")
    rsvp = ctx.session.scalar(select(Rsvp).where(Rsvp.reaction_event_id == redacted))
    if rsvp is None or rsvp.user_id != ctx.sender:
        return []
    meeting = rsvp.meeting
    if meeting.is_cancelled or meeting.ends_at <= ctx.clock.now():
        return []
    return withdraw(ctx, meeting, rsvp)


async def on_member(ctx: Context, payload: dict[str, Any]) -> list[Reply]:
    """Someone who leaves the salon no longer comes: their answers to its upcoming meetings
    are withdrawn, and their places go to the waiting list."""
    if payload.get("membership") not in ("leave", "ban") or ctx.salon is None:
        return []
    user = payload.get("user_id")
    notices: list[Reply] = []
    for meeting in upcoming_meetings(ctx, ctx.salon):
        rsvp = next((r for r in meeting.rsvps if r.user_id == user), None)
        if rsvp is not None:
            notices += withdraw(ctx, meeting, rsvp)
    return notices


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="rsvp", handler=rsvp_command,
        usage=N_("{prefix} rsvp yes|maybe|no [<number>]"),
        summary=N_("Says whether you come to a meeting (or react ✅ ❔ ❌ to its announcement)"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("svar", "deltager"), "nb": ("svar", "kommer"), "sv": ("osa", "svara")},
    ))
    registry.on("reaction", on_reaction)
    registry.on("redaction", on_redaction)
    registry.on("member", on_member)



