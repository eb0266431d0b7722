"""The staff room: ``respond``, ``status``, ``outcomes``, ``salons`` and ``digest``.

Only ``bot.staff`` may use these, and only in the configured staff room (the one permission
check, ``bot.permissions``, refuses everyone else everywhere). An answer or a status change
is stored in the outcome's history and posted into the salon as a reply to the outcome's
announcement, in the salon's language, with the staff member shown by role: by name only
when they chose ``consent named`` for that salon. A closed salon's outcome can still be
answered: that is the point of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import func, select

from bot import consent
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import (
    ConsentLevel,
    ExportRecord,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeEvent,
    OutcomeStatus,
    RsvpAnswer,
    Salon,
    SalonStatus,
)
from bot.db.models import SETTLED
from bot.exports.options import REPORT_FORMATS
from bot.exports.people import People
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand, read_choice
from bot.replies import Reply, escape_markup
from bot.summariser.text import shorten
from bot.when.since import (
    EARLIEST,
    Ahead,
    TooEarly,
    past_day,
    since_moment,
    without_since_word,
)
from handlers.checks import verb_in
from handlers.describe import joined, role_counts, salon_label, salon_translator
from handlers.meeting_text import label as meeting_label
from handlers.minutes import capture_of, present
from handlers.outcomes import (
    SHORT_TEXT,
    TEXT_MAX,
    announcement_event,
    deadline,
    find_outcome,
    for_staff,
    kind_name,
    plan_overdue,
    read_status,
    staff_people,
    state_words,
    status_name,
    status_word,
)
from handlers.salons import _next_meeting

#: Lines a staff list shows (a Matrix event holds at most 64 KiB).
LIST_MAX: Final = 30
#: Lines each part of the digest shows.
DIGEST_MAX: Final = 15
DIGEST_DAYS: Final = 7
#: A status staff may set, and the words for choosing which outcomes to list.
CHOOSABLE: Final = (OutcomeStatus.RECEIVED, OutcomeStatus.IN_PROGRESS, OutcomeStatus.ANSWERED,
                    OutcomeStatus.DECLINED)
LIST_WORDS: Final = {
    "open": ("open", "åbne", "åpne", "öppna", "aabne", "ubesvarede", "ubesvarte", "obesvarade"),
    "all": ("all", "alle", "alla"),
}


def _staff_shown(ctx: Context, t: Translator, salon: Salon) -> str:
    """How the salon sees who acted: by role, named only with ``consent named``."""
    if consent.level_of(ctx.session, ctx.sender, salon.id) is ConsentLevel.NAMED:
        return t._("{user}, a staff member of the municipality").format(user=ctx.sender)
    return t._("a staff member of the municipality")


def _salon_of(ctx: Context, outcome: Outcome) -> Salon:
    salon = ctx.session.get(Salon, outcome.salon_id)
    if salon is None:  # the salon's row cascades to its outcomes; this cannot happen
        raise Refusal(ctx.t._("The salon of {ref} no longer exists.").format(ref=outcome.ref))
    return salon


def _to_salon(ctx: Context, salon: Salon, outcome: Outcome, source: str) -> Reply:
    return Reply(source, room_id=salon.room_id, in_reply_to=announcement_event(ctx, outcome))


def _text_of(ctx: Context, words: tuple[str, ...]) -> str:
    text = " ".join(" ".join(words).split())
    if len(text) > TEXT_MAX:
        raise UsageError(ctx.t._("An answer can be at most {limit} characters long; this one "
                                 "has {length}. Please shorten it.").format(
            limit=TEXT_MAX, length=len(text)))
    return text


def _record(ctx: Context, outcome: Outcome, *, action: str, status: str,
            text: str | None) -> datetime:
    now = ctx.clock.now()
    ctx.session.add(OutcomeEvent(outcome_id=outcome.id, action=action, status=status, text=text,
                                 by_user=ctx.sender, by_role="staff", at=now))
    outcome.status = status
    outcome.updated_at = now
    return now


def _ref_and_rest(ctx: Context, args: tuple[str, ...]) -> tuple[Outcome, tuple[str, ...]]:
    """The outcome the first word names (``U-12``, ``u12``, ``12``, ``#12``, or ``U 12`` as a
    phone may split it) and the words after it."""
    if not args:
        raise _ref_missing(ctx)
    if args[0].casefold() in ("u", "u-") and len(args) > 1 and args[1].isdecimal():
        return find_outcome(ctx, args[1]), args[2:]
    return find_outcome(ctx, args[0]), args[1:]


def _ref_missing(ctx: Context) -> UsageError:
    return UsageError(ctx.t._("Write which outcome you mean, like U-12. {prefix} {verb} lists "
                              "the open ones.").format(prefix=ctx.prefix,
                                                       verb=verb_in(ctx, "outcomes")))


async def respond(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    outcome, rest = _ref_and_rest(ctx, command.args)
    text = _text_of(ctx, rest)
    if not text:
        raise UsageError(t._("Write the answer in quotes after {ref}.").format(ref=outcome.ref))
    salon = _salon_of(ctx, outcome)
    again = outcome.answer is not None
    now = _record(ctx, outcome, action="answer", status=OutcomeStatus.ANSWERED.value,
                  text=text)
    outcome.answer, outcome.answered_at = text, now
    plan_overdue(ctx, outcome)
    room_t = salon_translator(ctx, salon)
    head = (room_t._("**The municipality has changed its answer to {ref}** ({kind}: "
                     "“{text}”):") if again else
            room_t._("**The municipality has answered {ref}** ({kind}: “{text}”):"))
    posted = "\n".join([
        head.format(ref=outcome.ref, kind=kind_name(room_t, outcome.kind),
                    text=escape_markup(shorten(outcome.text, SHORT_TEXT))),
        escape_markup(text),
        room_t._("Answered by {who}.").format(who=_staff_shown(ctx, room_t, salon)),
    ])
    lines = [t._("Your answer to {ref} is stored and posted in {salon}.").format(
        ref=outcome.ref, salon=salon_label(t, salon))]
    if again:
        lines.append(t._("It replaces the earlier answer; the history keeps both."))
    if not salon.is_open:
        lines.append(t._("The salon is closed, but its room still gets the answer."))
    return [Reply("\n".join(lines)), _to_salon(ctx, salon, outcome, posted)]


def _status_choices(t: Translator) -> str:
    return ", ".join(status_word(t.lang, status) for status in CHOOSABLE)


def _read_status_words(ctx: Context, words: tuple[str, ...]) -> tuple[OutcomeStatus, int]:
    """The status the words start with, and how many words it took (``in progress`` is
    two when typed without its dash)."""
    t = ctx.t
    if not words:
        raise UsageError(t._("Write the new status after the outcome: {choices}.").format(
            choices=_status_choices(t)))
    for count in (1, 2, 3):
        if count > len(words):
            break
        status = read_status("-".join(words[:count]))
        if status is not None and status in CHOOSABLE:
            return status, count
    raise UsageError(t._("“{word}” is not a status I know. Choose {choices}.").format(
        word=escape_markup(words[0]), choices=_status_choices(t)))


async def set_status(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    outcome, rest = _ref_and_rest(ctx, command.args)
    status, used = _read_status_words(ctx, rest)
    reason = _text_of(ctx, rest[used:]) or None
    if outcome.status == status.value:
        raise Refusal(t._("{ref} is already “{status}”. I have changed nothing.").format(
            ref=outcome.ref, status=status_name(t, status.value)))
    if status is OutcomeStatus.DECLINED and not reason:
        raise UsageError(t._("Say why it is declined, in quotes after the status: the salon "
                             "deserves to know why."))
    if status is OutcomeStatus.ANSWERED and not reason and outcome.answer is None:
        raise UsageError(t._("There is no answer to {ref} yet. Write it with {prefix} {verb} "
                             "{ref} \"the answer\", or give a reason in quotes after the "
                             "status.").format(ref=outcome.ref, prefix=ctx.prefix,
                                               verb=verb_in(ctx, "respond")))
    salon = _salon_of(ctx, outcome)
    reopened = outcome.is_settled and status.value not in SETTLED
    now = _record(ctx, outcome, action="status", status=status.value, text=reason)
    if status is OutcomeStatus.ANSWERED:
        outcome.answered_at = now
    plan_overdue(ctx, outcome)
    room_t = salon_translator(ctx, salon)
    lines = [room_t._("**News from the municipality about {ref}** ({kind}: “{text}”): it is "
                      "now {status}.").format(
        ref=outcome.ref, kind=kind_name(room_t, outcome.kind),
        text=escape_markup(shorten(outcome.text, SHORT_TEXT)),
        status=status_name(room_t, status.value))]
    if reason:
        lines.append(room_t._("Reason: {reason}").format(reason=escape_markup(reason)))
    lines.append(room_t._("Set by {who}.").format(who=_staff_shown(ctx, room_t, salon)))
    confirm = t._("{ref} is now “{status}”; I have told {salon}.").format(
        ref=outcome.ref, status=status_name(t, status.value), salon=salon_label(t, salon))
    if reopened:
        # Going back from answered or declined is allowed (a mistake, or new facts), but
        # never silently: it waits for the municipality again.
        confirm += " " + t._("It was settled; now it is open again, and I will remind you "
                             "here if it stays without an answer.")
    return [Reply(confirm), _to_salon(ctx, salon, outcome, "\n".join(lines))]


# ------------------------------------------------------------------ lists


def _age(ctx: Context, t: Translator, outcome: Outcome) -> str:
    now = ctx.clock.now()
    days = max(0, (now - outcome.created_at).days)
    parts = [t.ngettext("{n} day old", "{n} days old", days).format(n=days)]
    if not outcome.is_settled:
        left = deadline(ctx, outcome) - now
        if left > timedelta(0):
            n = left.days
            parts.append(t.ngettext("{n} day left", "{n} days left", n).format(n=n))
        elif (-left).days == 0:
            parts.append(t._("**the answer is due today**"))
        else:
            n = (-left).days
            parts.append(t.ngettext("**{n} day overdue**", "**{n} days overdue**", n).format(
                n=n))
    return ", ".join(parts)


async def list_outcomes(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    which = "open"
    if command.args:
        chosen = read_choice(command.args[0], LIST_WORDS)
        if chosen is None:
            raise UsageError(t._("“{word}” is not a choice here: write open or all.").format(
                word=escape_markup(command.args[0])))
        which = chosen
    query = select(Outcome).order_by(Outcome.created_at, Outcome.id)
    if which == "open":
        query = query.where(Outcome.status.not_in(
            [OutcomeStatus.ANSWERED.value, OutcomeStatus.DECLINED.value]))
    outcomes = list(ctx.session.scalars(query.limit(LIST_MAX + 1)))
    total = int(ctx.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)
    if not outcomes:
        if which == "open":
            return Reply(t._("No outcome is waiting for an answer. {prefix} {verb} all lists "
                             "every one.").format(prefix=ctx.prefix,
                                                  verb=verb_in(ctx, "outcomes")))
        return Reply(t._("No salon has sent an outcome yet."))
    heading = (t.ngettext("**{n} outcome waits for an answer:**",
                          "**{n} outcomes wait for an answer:**", total) if which == "open"
               else t.ngettext("**{n} outcome in all:**", "**{n} outcomes in all:**", total))
    lines = [heading.format(n=total)]
    salons = {s.id: s for s in ctx.session.scalars(select(Salon).where(
        Salon.id.in_({o.salon_id for o in outcomes})))}
    people = staff_people(ctx)
    for outcome in outcomes[:LIST_MAX]:
        salon = salons[outcome.salon_id]
        lines.append(
            f"- **{outcome.ref}** · {salon_label(t, salon)} · {kind_name(t, outcome.kind)} · "
            f"{state_words(ctx, outcome, salon)} · {_age(ctx, t, outcome)}: "
            f"{escape_markup(shorten(for_staff(people, outcome.text, salon.id), SHORT_TEXT))}")
    if total > LIST_MAX:
        lines.append(t._("… and {n} more.").format(n=total - LIST_MAX))
    lines.append(t._("Answer with {prefix} {respond} U-12 \"…\"; say where one stands with "
                     "{prefix} {status} U-12 {word}.").format(
        prefix=ctx.prefix, respond=verb_in(ctx, "respond"),
        status=verb_in(ctx, "status"),
        word=status_word(ctx.lang, OutcomeStatus.IN_PROGRESS)))
    return Reply("\n".join(lines))


async def list_salons(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salons = list(ctx.session.scalars(select(Salon).where(
        Salon.status == SalonStatus.OPEN.value).order_by(Salon.id).limit(LIST_MAX + 1)))
    if not salons:
        return Reply(t._("No salon is open right now."))
    total = int(ctx.session.scalar(select(func.count(Salon.id)).where(
        Salon.status == SalonStatus.OPEN.value)) or 0)
    waiting = dict(ctx.session.execute(
        select(Outcome.salon_id, func.count(Outcome.id))
        .where(Outcome.salon_id.in_([s.id for s in salons]),
               Outcome.status.not_in([OutcomeStatus.ANSWERED.value,
                                      OutcomeStatus.DECLINED.value]))
        .group_by(Outcome.salon_id)).all())
    lines = [t.ngettext("**{n} open salon:**", "**{n} open salons:**", total).format(n=total)]
    for salon in salons[:LIST_MAX]:
        people = joined(salon)
        who = (t._("{n} taking part ({roles})").format(n=len(people),
                                                       roles=role_counts(t, people))
               if people else t._("nobody has joined yet"))
        open_outcomes = int(waiting.get(salon.id, 0))
        lines.append(
            f"- **{salon_label(t, salon)}** ({ctx.rooms.room_link(salon.room_id)}) · {who} · "
            + t._("next meeting: {meeting}").format(meeting=await _next_meeting(ctx, salon))
            + " · " + t.ngettext("{n} open outcome", "{n} open outcomes",
                                 open_outcomes).format(n=open_outcomes))
    if total > LIST_MAX:
        lines.append(t._("… and {n} more.").format(n=total - LIST_MAX))
    return Reply("\n".join(lines))


# ------------------------------------------------------------------ digest


def _zone(ctx: Context) -> ZoneInfo:
    return ZoneInfo(ctx.config.bot.timezone)


def _since_examples(ctx: Context) -> str:
    return ctx.t._("For example: {prefix} {verb} since 2026-03-01, {prefix} {verb} since "
                   "1 March or {prefix} {verb} since Monday.").format(
        prefix=ctx.prefix, verb=verb_in(ctx, "digest"))


def read_since(ctx: Context, words: tuple[str, ...]) -> date | None:
    """The day ``since <date>`` names, in the past (``bot.when.since``). None when nothing
    was written."""
    t = ctx.t
    words = tuple(words)
    rest = without_since_word(words)
    if words and not rest:
        raise UsageError(t._("Write the date after “since”.") + " " + _since_examples(ctx))
    text = " ".join(rest).strip()
    if not text:
        return None
    return past_day_or_refuse(ctx, text, _since_examples(ctx))


def past_day_or_refuse(ctx: Context, text: str, examples: str) -> date:
    """``bot.when.since.past_day`` with each refusal said in the reader's language."""
    today = ctx.clock.now().astimezone(_zone(ctx)).date()
    try:
        return past_day(text, today)
    except ValueError as err:
        raise _refusal(ctx, err, text, examples) from None


def since_or_refuse(ctx: Context, text: str, examples: str) -> datetime:
    """``since <date>`` as a moment (an ISO time, or midnight of the day the words name, in
    ``bot.timezone``), each refusal said in the reader's language: the digest's words for
    a day, read the same for ``export``."""
    try:
        return since_moment(text, ctx.config.bot.timezone, ctx.clock.now())
    except ValueError as err:
        raise _refusal(ctx, err, text, examples) from None


def _refusal(ctx: Context, err: ValueError, text: str, examples: str) -> UsageError:
    """What was wrong with the day ``text`` (``bot.when.since``'s reasons), and examples."""
    t = ctx.t
    shown = escape_markup(text)
    if isinstance(err, Ahead):
        problem = t._("“{text}” has not come yet; write a day that has passed.").format(
            text=shown)
    elif isinstance(err, TooEarly):
        problem = t._("“{text}” is before any salon was held here; write a day from {year} "
                      "on.").format(text=shown, year=EARLIEST.year)
    else:
        problem = t._("I can't tell for sure which day “{text}” means, and I don't want to "
                      "guess.").format(text=shown)
    return UsageError(problem + " " + examples)


def _part(t: Translator, heading: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    shown = [f"**{heading}**", *lines[:DIGEST_MAX]]
    if len(lines) > DIGEST_MAX:
        shown.append(t._("… and {n} more.").format(n=len(lines) - DIGEST_MAX))
    return shown


def _short_day(t: Translator, when: datetime, zone: ZoneInfo) -> str:
    return format_date(when.astimezone(zone), format="medium", locale=t.locale)


def _meeting_lines(ctx: Context, since: datetime, now: datetime) -> list[str]:
    t = ctx.t
    lines = []
    meetings = ctx.session.scalars(select(Meeting).where(
        Meeting.status == MeetingStatus.SCHEDULED.value, Meeting.ends_at >= since,
        Meeting.ends_at <= now).order_by(Meeting.starts_at, Meeting.id))
    for meeting in meetings:
        salon = ctx.session.get(Salon, meeting.salon_id)
        if salon is None:
            continue
        yes = sum(1 for r in meeting.rsvps
                  if r.answer == RsvpAnswer.YES.value and not r.waitlisted)
        line = (f"- {salon_label(t, salon)}, {meeting_label(t, meeting)}, "
                f"{_short_day(t, meeting.starts_at, ZoneInfo(meeting.timezone))}: "
                + t.ngettext("{n} said yes", "{n} said yes", yes).format(n=yes))
        capture = capture_of(ctx, salon, meeting)
        if capture is not None:
            people = present(ctx, salon, capture)
            line += "; " + (t.ngettext("minutes taken, {n} there ({roles})",
                                       "minutes taken, {n} there ({roles})",
                                       len(people)).format(n=len(people),
                                                           roles=role_counts(t, people))
                            if people else t._("minutes taken, nobody there"))
        lines.append(line)
    return lines


def _who(ctx: Context, people: People, user_id: str | None, salon_id: int | None,
         nobody: str) -> str:
    """Staff by their id (colleagues in their own room); anyone else as the exports show
    them; ``nobody`` for an id forget-me took away."""
    if user_id is None:
        return nobody
    return user_id if user_id in ctx.config.bot.staff else people.shown(user_id, salon_id)


def _event_line(ctx: Context, people: People, event: OutcomeEvent, outcome: Outcome,
                salon: Salon, zone: ZoneInfo) -> str:
    t = ctx.t
    when = _short_day(t, event.at, zone)
    who = _who(ctx, people, event.by_user, salon.id,
               t._("someone who has since been forgotten"))
    if event.action == "answer":
        what = t._("answered by {who}: “{text}”").format(
            who=who, text=escape_markup(shorten(for_staff(people, event.text or "", salon.id),
                                                SHORT_TEXT)))
    else:
        what = t._("now {status}, set by {who}").format(
            status=status_name(t, event.status), who=who)
        if event.text:
            what += " " + t._("(reason: “{text}”)").format(
                text=escape_markup(shorten(for_staff(people, event.text, salon.id),
                                           SHORT_TEXT)))
    return f"- {when} · **{outcome.ref}** ({salon_label(t, salon)}): {what}"


async def digest(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    zone = _zone(ctx)
    now = ctx.clock.now()
    first = read_since(ctx, command.args)
    if first is None:
        since = now - timedelta(days=DIGEST_DAYS)
    else:
        since = datetime.combine(first, time(0), zone)
    session = ctx.session
    opened = [f"- {salon_label(t, s)} ({_short_day(t, s.created_at, zone)})"
              for s in session.scalars(select(Salon).where(Salon.created_at >= since)
                                       .order_by(Salon.created_at, Salon.id))]
    closed = [f"- {salon_label(t, s)} ({_short_day(t, s.closed_at, zone)})"
              for s in session.scalars(select(Salon).where(Salon.closed_at >= since)
                                       .order_by(Salon.closed_at, Salon.id))
              if s.closed_at is not None]
    submitted = []
    changes = []
    events = session.execute(
        select(OutcomeEvent, Outcome, Salon).join(Outcome, OutcomeEvent.outcome_id == Outcome.id)
        .join(Salon, Outcome.salon_id == Salon.id).where(OutcomeEvent.at >= since)
        .order_by(OutcomeEvent.at, OutcomeEvent.id)).all()
    people = staff_people(ctx)
    for event, outcome, salon in events:
        if event.action == "submitted":
            submitted.append(
                f"- {_short_day(t, event.at, zone)} · **{outcome.ref}** "
                f"({salon_label(t, salon)}, {kind_name(t, outcome.kind)}): "
                f"{escape_markup(shorten(for_staff(people, outcome.text, salon.id), SHORT_TEXT))}"
                " · " + t._("now: {state}").format(state=state_words(ctx, outcome, salon)))
        else:
            changes.append(_event_line(ctx, people, event, outcome, salon, zone))
    exports = []
    for record in session.scalars(select(ExportRecord).where(ExportRecord.created_at >= since)
                                  .order_by(ExportRecord.created_at, ExportRecord.id)):
        who = _who(ctx, people, record.by_user, None, t._("someone at the command line"))
        line = f"- {_short_day(t, record.created_at, zone)} · " + t._(
            "{format} export by {who}").format(format=record.format, who=who)
        if record.since is not None:
            line += " · " + t._("covering what happened since {date}").format(
                date=_short_day(t, record.since, zone))
        if record.salon_id is not None:
            line += " · " + t._("only salon #{id}").format(id=record.salon_id)
        if record.format in REPORT_FORMATS:
            line += " · " + t.ngettext("the report of {n} salon exported",
                                       "the reports of {n} salons exported",
                                       record.rows).format(n=record.rows)
        else:
            line += " · " + t.ngettext("{n} row exported", "{n} rows exported",
                                       record.rows).format(n=record.rows)
        exports.append(line)
    lines = [t._("**What happened since {date}:**").format(
        date=format_date(since.astimezone(zone), format="long", locale=t.locale))]
    lines += _part(t, t._("Salons opened"), opened)
    lines += _part(t, t._("Salons closed"), closed)
    lines += _part(t, t._("Meetings held"), _meeting_lines(ctx, since, now))
    lines += _part(t, t._("Outcomes sent to the municipality"), submitted)
    lines += _part(t, t._("Answers and status changes"), changes)
    lines += _part(t, t._("Exports made"), exports)
    if len(lines) == 1:
        lines.append(t._("Nothing happened in this period."))
    return Reply("\n".join(lines))


def register(registry: Registry) -> None:
    staff = {"scope": Scope.STAFF_ROOM, "permission": Permission.STAFF}
    registry.add(CommandSpec(
        name="respond", handler=respond,
        usage=N_("{prefix} respond <outcome, like U-12> \"<answer>\""),
        summary=N_("Answers a salon's outcome; the answer is posted in the salon"),
        aliases={"da": ("besvar",), "nb": ("besvar",), "sv": ("besvara",)}, **staff,
    ))
    registry.add(CommandSpec(
        name="status", handler=set_status,
        usage=N_("{prefix} status <outcome, like U-12> received|in-progress|answered|declined "
                 "[\"<reason>\"]"),
        summary=N_("Says where an outcome stands; the salon is told"),
        aliases={"da": ("status",), "nb": ("status",), "sv": ("status",)}, **staff,
    ))
    registry.add(CommandSpec(
        name="outcomes", handler=list_outcomes,
        usage=N_("{prefix} outcomes [open|all]"),
        summary=N_("Lists the outcomes that wait for an answer (or all of them)"),
        aliases={"da": ("resultater",), "nb": ("resultater",), "sv": ("resultaten",)}, **staff,
    ))
    registry.add(CommandSpec(
        name="salons", handler=list_salons,
        usage=N_("{prefix} salons"),
        summary=N_("Lists the open salons: who takes part, the next meeting, open outcomes"),
        aliases={"da": ("saloner",), "nb": ("salonger",), "sv": ("salonger",)}, **staff,
    ))
    registry.add(CommandSpec(
        name="digest", handler=digest,
        usage=N_("{prefix} digest [since <date>]"),
        summary=N_("What happened in the salons lately (the last 7 days, or since a date)"),
        aliases={"da": ("overblik",), "nb": ("oversikt",), "sv": ("översikt",)}, **staff,
    ))
