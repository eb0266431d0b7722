"""``findtime <when> | <when> | …`` and ``findtime close``: find a time most people can attend.

The poll is the event Element sends today (``org.matrix.msc3381.poll.start``, with the stable
``m.poll`` keys beside it) and its text fallback numbers the times. People answer in the
poll (each person's latest answer counts), or, in clients without polls and because Element
lets one pick a single answer only, by reacting 1️⃣…🔟 to it, marking every time that suits
them; removing a reaction takes it back. ``findtime close`` ends the poll (a poll end event)
and schedules the time most people can attend; ties go to the earliest.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import FindTimePoll, PollVote, Salon
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand
from bot.replies import Reply
from handlers.checks import salon_of, still_open
from handlers.describe import salon_translator
from handlers.meeting_text import label, short_when
from handlers.meetings import (
    MeetingWords,
    announce,
    new_meeting,
    read_length,
    read_when,
    zone_name,
)

KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
MIN_TIMES, MAX_TIMES = 2, 10
POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"
CLOSE_WORDS = frozenset({"close", "luk", "lukk", "stäng", "end", "slut", "afslut", "avslutt"})


def keycap_index(key: str) -> int | None:
    folded = key.replace("\ufe0f", "")
    for index, cap in enumerate(KEYCAPS):
        if cap.replace("\ufe0f", "") == folded:
            return index
    return None


def poll_content(t: Translator, question: str, options: list[str]) -> dict[str, Any]:
    """The poll as Element sends it, with the stable keys and the numbered text fallback."""
    fallback = "\n".join([question, *(f"{KEYCAPS[i]} {o}" for i, o in enumerate(options))])
    answers = [{"id": f"t{i + 1}", TEXT: option} for i, option in enumerate(options)]
    return {
        "event_type": POLL_START,
        POLL_START: {
            "question": {TEXT: question, "body": question, "msgtype": "m.text"},
            "kind": "org.matrix.msc3381.poll.disclosed",
            "max_selections": 1,
            "answers": answers,
        },
        TEXT: fallback,
        "m.poll": {
            "question": {"m.text": [{"body": question}]},
            "kind": "m.disclosed",
            "max_selections": 1,
            "answers": [{"m.id": a["id"], "m.text": [{"body": a[TEXT]}]} for a in answers],
        },
        "m.text": [{"body": fallback}],
    }


def _times(poll: FindTimePoll) -> list[datetime]:
    return [datetime.fromisoformat(value) for value in json.loads(poll.options)]


def open_poll(ctx: Context, salon: Salon) -> FindTimePoll | None:
    return ctx.session.scalar(select(FindTimePoll).where(
        FindTimePoll.salon_id == salon.id, FindTimePoll.status == "open")
        .order_by(FindTimePoll.id.desc()).limit(1))


async def findtime(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "findtime")
    words = " ".join(command.args).strip()
    if words.casefold() in CLOSE_WORDS:
        return close(ctx, salon, command)
    parts = [p.strip() for p in words.split("|")]
    if len([p for p in parts if p]) < MIN_TIMES or len(parts) > MAX_TIMES or not all(parts):
        raise UsageError(t._("Give between {low} and {high} times, separated by |, like "
                             "{prefix} findtime torsdag kl. 19 | fredag kl. 17 | lørdag kl. 10."
                             ).format(low=MIN_TIMES, high=MAX_TIMES, prefix=ctx.prefix))
    times = [read_when(ctx, part, salon).local for part in parts]
    if len(set(times)) != len(times):
        raise UsageError(t._("Two of the times are the same; give each time once."))
    if open_poll(ctx, salon) is not None:
        raise Refusal(t._("A poll for a time is already open here. Close it first with "
                          "{prefix} findtime close.").format(prefix=ctx.prefix))
    poll = FindTimePoll(salon_id=salon.id, options=json.dumps([x.isoformat() for x in times]),
                        status="open", created_by=ctx.sender, created_at=ctx.clock.now())
    ctx.session.add(poll)
    ctx.session.flush()
    room_t = salon_translator(ctx, salon)
    zone = zone_of_salon(ctx, salon)
    options = [short_when(room_t, when, zone) for when in times]
    question = room_t._("When can you come? Choose the time that suits you best.")
    fallback_hint = room_t._("Several times suit you, or no poll in your app? React with the "
                             "numbers of all the times that suit you.")
    text = "\n".join([f"**{question}**",
                      *(f"{KEYCAPS[i]} {o}" for i, o in enumerate(options)), fallback_hint])
    reply = t._("The poll is in the room. When people have answered, close it with {prefix} "
                "findtime close, and I plan the time most people can attend.").format(
        prefix=ctx.prefix)
    return [Reply(reply), Reply(text, room_id=salon.room_id, watch=f"poll:{poll.id}",
                                extra=poll_content(room_t, question, options))]


def zone_of_salon(ctx: Context, salon: Salon) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone_name(ctx, salon))


def tally(poll: FindTimePoll, votes: list[PollVote]) -> list[set[str]]:
    """Who can come at each time (a person counts once per time)."""
    people: list[set[str]] = [set() for _ in _times(poll)]
    for vote in votes:
        if 0 <= vote.option < len(people):
            people[vote.option].add(vote.user_id)
    return people


def close(ctx: Context, salon: Salon, command: ParsedCommand) -> list[Reply]:
    t = ctx.t
    poll = open_poll(ctx, salon)
    if poll is None:
        raise Refusal(t._("There is no open poll for a time here. Start one with {prefix} "
                          "findtime <time> | <time>.").format(prefix=ctx.prefix))
    votes = list(ctx.session.scalars(select(PollVote).where(PollVote.poll_id == poll.id)))
    people = tally(poll, votes)
    times = _times(poll)
    # Among the times still ahead: most people, then the earliest.
    ahead = [i for i, when in enumerate(times) if when > ctx.clock.now()] or \
        list(range(len(times)))
    best = max(ahead, key=lambda i: (len(people[i]), -times[i].timestamp()))
    poll.status, poll.closed_at = "closed", ctx.clock.now()
    room_t = salon_translator(ctx, salon)
    zone = zone_of_salon(ctx, salon)
    poll_events = ctx.watch.event_ids(ctx.session, f"poll:{poll.id}")
    replies: list[Reply] = []
    if not people[best]:
        text = room_t._("The poll is closed. Nobody chose a time, so I have planned nothing.")
        replies.append(_end(salon, poll_events, text))
        return [Reply(t._("Closed the poll; nobody had answered.")), *replies]
    if times[best] <= ctx.clock.now():
        text = room_t._("The poll is closed. The time most people chose, {when}, has already "
                        "passed, so I have planned nothing.").format(
            when=short_when(room_t, times[best], zone))
        replies.append(_end(salon, poll_events, text))
        return [Reply(t._("Closed the poll; its best time has passed.")), *replies]
    meeting = new_meeting(ctx, salon, times[best], read_length(ctx, command),
                          MeetingWords(when=""), None)
    poll.meeting_id = meeting.id
    summary = ", ".join(f"{short_when(room_t, when, zone)}: {len(people[i])}"
                        for i, when in enumerate(times))
    text = room_t._("The poll is closed. Most people can come {when} ({n}), so that is "
                    "{meeting}. All answers: {summary}.").format(
        when=short_when(room_t, times[best], zone), n=len(people[best]),
        meeting=label(room_t, meeting), summary=summary)
    replies += [_end(salon, poll_events, text), announce(ctx, salon, meeting)]
    return [Reply(t._("Closed the poll and planned {meeting}.").format(
        meeting=label(t, meeting))), *replies]


def _end(salon: Salon, poll_events: list[str], text: str) -> Reply:
    extra: dict[str, Any] = {"event_type": POLL_END, POLL_END: {}, "m.poll.end": {},
                             TEXT: text, "m.text": [{"body": text}]}
    if poll_events:
        extra["m.relates_to"] = {"rel_type": "m.reference", "event_id": poll_events[0]}
    return Reply(text, room_id=salon.room_id, extra=extra)


def _poll(ctx: Context, payload: dict[str, Any]) -> FindTimePoll | None:
    key = payload.get("relates_key") or ""
    if not key.startswith("poll:") or ctx.member is None or not ctx.member.has_joined:
        return None
    number = key.split(":", 1)[1]
    poll = ctx.session.get(FindTimePoll, int(number)) if number.isdigit() else None
    return poll if poll is not None and poll.status == "open" else None


async def on_poll_response(ctx: Context, payload: dict[str, Any]) -> None:
    """The person's latest answer in the poll replaces their earlier poll answers."""
    poll = _poll(ctx, payload)
    if poll is None:
        return
    chosen = []
    for answer in payload.get("answers") or []:
        if (isinstance(answer, str) and answer.startswith("t") and answer[1:].isascii()
                and answer[1:].isdecimal() and len(answer) <= 3):
            chosen.append(int(answer[1:]) - 1)
    ctx.session.execute(delete(PollVote).where(PollVote.poll_id == poll.id,
                                               PollVote.user_id == ctx.sender,
                                               PollVote.via == "poll"))
    for option in sorted(set(chosen))[:1]:
        ctx.session.add(PollVote(poll_id=poll.id, user_id=ctx.sender, option=option, via="poll",
                                 event_id=payload.get("event_id"), voted_at=ctx.clock.now()))


async def on_reaction(ctx: Context, payload: dict[str, Any]) -> None:
    poll = _poll(ctx, payload)
    index = keycap_index(str(payload.get("key", "")))
    if poll is None or index is None or index >= len(_times(poll)):
        return
    event_id = str(payload.get("event_id"))
    ctx.session.add(PollVote(poll_id=poll.id, user_id=ctx.sender, option=index, via="reaction",
                             event_id=event_id, voted_at=ctx.clock.now()))
    ctx.watch.watch_event(ctx.session, event_id=event_id, room_id=ctx.room_id,
                          key=f"pollvote:{poll.id}", at=ctx.clock.now())


async def on_redaction(ctx: Context, payload: dict[str, Any]) -> None:
    key = payload.get("relates_key") or ""
    if not key.startswith("pollvote:"):
        return
    ctx.session.execute(delete(PollVote).where(PollVote.event_id == payload.get("redacts"),
                                               PollVote.user_id == ctx.sender))


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="findtime", handler=findtime,
        usage=N_("{prefix} findtime <when> | <when> | … (2 to 10 times), or {prefix} findtime "
                 "close"),
        summary=N_("Asks the room with a poll which time suits most people, then plans it"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("findtid", "find-tid"), "nb": ("finntid", "finn-tid"),
                 "sv": ("hittatid", "hitta-tid")},
        value_options=frozenset({"for"}),
    ))
    registry.on("poll_response", on_poll_response)
    registry.on("reaction", on_reaction)
    registry.on("redaction", on_redaction)


