"""Outcomes for the municipality: ``outcome "<text>" [--kind …]`` and ``outcome --from <n>``.

A host writes what the salon concludes; it gets a reference (``U-12``), is stored with its
history (``outcome_events``), announced in the salon (the announcement is watched, so the
municipality's answer can be posted as a reply to it) and posted at once to the staff room,
in the staff room's language. Staff answer with ``respond`` and ``status`` (``handlers.staff``).

An outcome nobody has settled (answered or declined) after ``outcomes.answer_within_days`` is
raised again in the staff room, once per such period: a job per outcome and period
(``outcome:<id>:<period>``), so a restart neither loses nor repeats one. ``info`` lists the
salon's outcomes through the ``outcomes-status`` hook.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from bot import consent
from bot.commands import (
    CommandSpec,
    HandlerResult,
    Permission,
    Refusal,
    Registry,
    Scope,
    UsageError,
)
from bot.context import Context
from bot.db import (
    MinuteItem,
    Outcome,
    OutcomeEvent,
    OutcomeKind,
    OutcomeStatus,
    RoomSetting,
    Salon,
)
from bot.exports.people import People
from bot.i18n import N_, Translator, translator
from bot.parser import ParsedCommand, read_choice
from bot.replies import Reply, escape_markup
from bot.summariser.text import shorten
from bot.words import kind_name, status_name
from handlers.checks import salon_of, still_open, verb_in
from handlers.describe import day, room_link, salon_label, salon_translator

TEXT_MAX: Final = 2000
#: How much of an outcome's text a list shows.
SHORT_TEXT: Final = 80
#: Outcomes ``info`` lists (the newest; the staff room and the exports have them all).
INFO_MAX: Final = 10
OVERDUE: Final = "outcome.overdue"
_REF: Final = re.compile(r"^(?:u-?|#)?(\d{1,9})$", re.IGNORECASE)

#: The words a kind is written with, in each language (the first is the one shown in hints).
KIND_WORDS: Final = {
    OutcomeKind.PROPOSAL: {"en": ("proposal",), "da": ("forslag",), "nb": ("forslag",),
                           "sv": ("förslag",)},
    OutcomeKind.RECOMMENDATION: {"en": ("recommendation",), "da": ("anbefaling",),
                                 "nb": ("anbefaling",), "sv": ("rekommendation",)},
    OutcomeKind.QUESTION: {"en": ("question",), "da": ("spørgsmål",), "nb": ("spørsmål",),
                           "sv": ("fråga",)},
}
#: The words staff set a status with (``status U-12 i-gang``); the first is shown in hints.
STATUS_WORDS: Final = {
    OutcomeStatus.RECEIVED: {"en": ("received",), "da": ("modtaget",), "nb": ("mottatt",),
                             "sv": ("mottagen", "mottaget")},
    OutcomeStatus.IN_PROGRESS: {"en": ("in-progress", "working"),
                                "da": ("i-gang", "igang", "under-behandling"),
                                "nb": ("pågår", "under-arbeid", "under-behandling"),
                                "sv": ("pågår", "pågående", "under-behandling")},
    OutcomeStatus.ANSWERED: {"en": ("answered",), "da": ("besvaret",), "nb": ("besvart",),
                             "sv": ("besvarad", "besvarat")},
    OutcomeStatus.DECLINED: {"en": ("declined", "rejected"), "da": ("afvist",),
                             "nb": ("avvist", "avslått"), "sv": ("avslagen", "avslaget",
                                                                  "avvisad")},
}


def _all_words(words: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(word for forms in words.values() for word in forms)


def read_kind(word: str) -> OutcomeKind | None:
    return read_choice(word, {kind: _all_words(w) for kind, w in KIND_WORDS.items()})


def read_status(word: str) -> OutcomeStatus | None:
    return read_choice(word, {status: _all_words(w) for status, w in STATUS_WORDS.items()})


def kind_word(lang: str, kind: OutcomeKind) -> str:
    return KIND_WORDS[kind].get(lang, KIND_WORDS[kind]["en"])[0]


def status_word(lang: str, status: OutcomeStatus) -> str:
    return STATUS_WORDS[status].get(lang, STATUS_WORDS[status]["en"])[0]


def staff_translator(ctx: Context) -> Translator:
    """The staff room's language, as the router decides a room's: its own setting, else the
    configured default."""
    setting = ctx.session.get(RoomSetting, ctx.staff_room_id) if ctx.staff_room_id else None
    return translator((setting.language if setting else None)
                      or ctx.config.bot.default_language)


def staff_people(ctx: Context) -> People:
    """How people are shown in the staff room, where a citizen may sit too: as the exports
    show them (a Matrix id only with ``consent named``, else the installation's pseudonym),
    also inside a host's text. Read once per command."""
    return People.of(ctx.session, ctx.clock.now())


def for_staff(people: People, text: str, salon_id: int) -> str:
    """A salon's text as the staff room may read it (see ``staff_people``)."""
    return people.masked(text, salon_id) or ""


def find_outcome(ctx: Context, ref: str) -> Outcome:
    """The outcome ``U-12``, ``u12``, ``12`` or ``#12`` names; refused with a hint otherwise."""
    t = ctx.t
    match = _REF.match(ref.strip())
    outcome = ctx.session.get(Outcome, int(match.group(1))) if match else None
    if outcome is None:
        raise Refusal(t._("I can't find an outcome “{ref}”. Outcomes are written like U-12; "
                          "{prefix} {verb} all lists them.").format(
            ref=escape_markup(ref), prefix=ctx.prefix, verb=verb_in(ctx, "outcomes")))
    return outcome


def announcement_event(ctx: Context, outcome: Outcome) -> str | None:
    """The event id of the outcome's announcement in the salon, once it has been posted."""
    ids = ctx.watch.event_ids(ctx.session, f"outcome:{outcome.id}:salon")
    return ids[-1] if ids else None


def period(ctx: Context) -> timedelta:
    return timedelta(days=ctx.config.outcomes.answer_within_days)


def deadline(ctx: Context, outcome: Outcome) -> datetime:
    return outcome.created_at + period(ctx)


# ------------------------------------------------------------------ the overdue reminder


def plan_overdue(ctx: Context, outcome: Outcome) -> None:
    """A settled outcome has no reminder; an open one has the next one ahead."""
    prefix = f"outcome:{outcome.id}:"
    if outcome.is_settled:
        ctx.jobs.cancel_prefix(ctx.session, kind=OVERDUE, key_prefix=prefix)
        return
    length = period(ctx)
    elapsed = ctx.clock.now() - outcome.created_at
    number = max(1, int(elapsed / length) + 1)
    ctx.jobs.cancel_prefix(ctx.session, kind=OVERDUE, key_prefix=prefix)
    _schedule_period(ctx, outcome, number)


def _schedule_period(ctx: Context, outcome: Outcome, number: int) -> None:
    ctx.jobs.schedule(ctx.session, kind=OVERDUE, key=f"outcome:{outcome.id}:{number}",
                      due_at=outcome.created_at + number * period(ctx),
                      room_id=ctx.staff_room_id,
                      payload={"outcome": outcome.id, "period": number})


async def overdue(ctx: Context) -> HandlerResult:
    """``U-12 … is still unanswered after 14 days``: once per period, in the staff room."""
    assert ctx.job is not None
    data = json.loads(ctx.job.payload)
    outcome = ctx.session.get(Outcome, data.get("outcome"))
    if outcome is None or outcome.is_settled:
        return None
    number = int(data.get("period", 1))
    # The next period: the first still ahead (a bot that was away for several periods
    # reminds once, not once for each period it missed).
    elapsed = ctx.clock.now() - outcome.created_at
    _schedule_period(ctx, outcome, max(number + 1, int(elapsed / period(ctx)) + 1))
    if ctx.staff_room_id is None:
        return None
    salon = ctx.session.get(Salon, outcome.salon_id)
    if salon is None:
        return None
    t = staff_translator(ctx)
    # Counted from the outcome, not the period: a reminder sent late says how late it is.
    days = max(number * ctx.config.outcomes.answer_within_days,
               (ctx.clock.now() - outcome.created_at).days)
    lines = [
        t.ngettext("⏰ **{ref}** from {salon} is still unanswered after {days} day.",
                   "⏰ **{ref}** from {salon} is still unanswered after {days} days.",
                   days).format(ref=outcome.ref, salon=salon_label(t, salon), days=days),
        t._("Status: {status}.").format(status=status_name(t, outcome.status)),
        f"{kind_name(t, outcome.kind).capitalize()}: "
        f"{escape_markup(shorten(for_staff(staff_people(ctx), outcome.text, salon.id), 300))}",
        how_to_answer(ctx, t, outcome),
    ]
    return Reply("\n".join(lines), room_id=ctx.staff_room_id)


def how_to_answer(ctx: Context, t: Translator, outcome: Outcome) -> str:
    lang = t.lang
    return t._("To answer: {prefix} {respond} {ref} \"your answer\". To say where it stands: "
               "{prefix} {status} {ref} {in_progress} (or {received}, or {declined} "
               "\"why\").").format(
        prefix=ctx.prefix, respond=verb_in(ctx, "respond", lang),
        status=verb_in(ctx, "status", lang),
        ref=outcome.ref, in_progress=status_word(lang, OutcomeStatus.IN_PROGRESS),
        received=status_word(lang, OutcomeStatus.RECEIVED),
        declined=status_word(lang, OutcomeStatus.DECLINED))


# ------------------------------------------------------------------ outcome


def _kind_choices(t: Translator) -> str:
    return ", ".join(kind_word(t.lang, kind) for kind in OutcomeKind)


def _kind_option(ctx: Context, command: ParsedCommand) -> OutcomeKind | None:
    value = command.option("kind")
    if value is None:
        return None
    kind = read_kind(str(value))
    if kind is None:
        raise UsageError(ctx.t._("“{word}” is not a kind of outcome. Choose {choices}.").format(
            word=escape_markup(str(value)), choices=_kind_choices(ctx.t)))
    return kind


def _item_option(ctx: Context, salon: Salon, command: ParsedCommand) -> MinuteItem | None:
    value = command.option("from")
    if value is None:
        return None
    text = str(value).strip().removeprefix("#")
    item = None
    if text.isdecimal():
        item = ctx.session.scalar(select(MinuteItem).where(
            MinuteItem.salon_id == salon.id, MinuteItem.number == int(text)))
    if item is None:
        raise UsageError(ctx.t._("There is no item {ref} in this salon. {prefix} {items} shows "
                                 "the items with their numbers; then write {prefix} {verb} "
                                 "--from 3.").format(
            ref=escape_markup(str(value)), prefix=ctx.prefix,
            items=verb_in(ctx, "items"), verb=verb_in(ctx, "outcome")))
    if not consent.allows_recording(consent.level_of(ctx.session, item.user_id, salon.id)):
        # Its author has withdrawn: their words go nowhere new, least of all to the
        # municipality.
        raise Refusal(ctx.t._("Item {n} can't become an outcome: the person who wrote it has "
                              "withdrawn their consent, so their words are not passed on. "
                              "Write the outcome in your own words instead.").format(
            n=item.number))
    return item


def _kind_of_item(item: MinuteItem) -> OutcomeKind:
    if item.kind == "proposal":
        return OutcomeKind.PROPOSAL
    if item.kind == "question":
        return OutcomeKind.QUESTION
    return OutcomeKind.RECOMMENDATION


async def outcome_command(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    still_open(ctx, salon, "outcome")
    kind = _kind_option(ctx, command)
    item = _item_option(ctx, salon, command)
    text = " ".join(" ".join(command.args).split())
    if not text and item is not None:
        text = " ".join(item.text.split())
    if not text:
        raise UsageError(t._("Write what the salon wants to tell the municipality, in quotes "
                             "after the command, or take it from an item with --from and "
                             "its number."))
    if len(text) > TEXT_MAX:
        raise UsageError(t._("An outcome can be at most {limit} characters long; this one has "
                             "{length}. Please shorten it.").format(limit=TEXT_MAX,
                                                                    length=len(text)))
    if kind is None:
        kind = _kind_of_item(item) if item is not None else OutcomeKind.PROPOSAL
    now = ctx.clock.now()
    outcome = Outcome(salon_id=salon.id, kind=kind.value, text=text,
                      item_id=item.id if item else None, status=OutcomeStatus.SUBMITTED.value,
                      created_by=ctx.sender, created_at=now, updated_at=now)
    ctx.session.add(outcome)
    ctx.session.flush()
    ctx.session.add(OutcomeEvent(outcome_id=outcome.id, action="submitted",
                                 status=OutcomeStatus.SUBMITTED.value, by_user=ctx.sender,
                                 by_role="host", at=now))
    plan_overdue(ctx, outcome)
    replies = [Reply(_announcement(ctx, salon, outcome, item),
                     watch=f"outcome:{outcome.id}:salon")]
    if ctx.staff_room_id is not None:
        replies.append(Reply(_for_staff(ctx, salon, outcome), room_id=ctx.staff_room_id,
                             watch=f"outcome:{outcome.id}:staff"))
    return replies


def _announcement(ctx: Context, salon: Salon, outcome: Outcome, item: MinuteItem | None) -> str:
    t = salon_translator(ctx, salon)
    lines = [t._("**Outcome {ref}** ({kind}) for the municipality:").format(
        ref=outcome.ref, kind=kind_name(t, outcome.kind)), escape_markup(outcome.text)]
    if item is not None:
        lines.append(t._("From item {n} of the minutes.").format(n=item.number))
    if ctx.staff_room_id is not None:
        lines.append(t._("It has been sent to the municipality's staff. Their answer will "
                         "appear here, as a reply to this message."))
    else:
        lines.append(t._("It is stored, but the municipality has no staff room set up with "
                         "me, so nobody there has been told yet. Staff will see it when they "
                         "export the salons' data. Their answer will appear here, as a reply "
                         "to this message."))
    lines.append(t._("Everyone can follow it with {prefix} {info}.").format(
        prefix=ctx.prefix, info=verb_in(ctx, "info", t.lang)))
    return "\n".join(lines)


def _for_staff(ctx: Context, salon: Salon, outcome: Outcome) -> str:
    t = staff_translator(ctx)
    days = ctx.config.outcomes.answer_within_days
    return "\n".join([
        t._("**New outcome {ref}** from {salon}").format(ref=outcome.ref,
                                                          salon=salon_label(t, salon)),
        t._("The salon's room: {link}").format(link=room_link(ctx, salon)),
        t._("Kind: {kind}").format(kind=kind_name(t, outcome.kind)),
        t._("Text: {text}").format(
            text=escape_markup(for_staff(staff_people(ctx), outcome.text, salon.id))),
        t._("Status: {status}.").format(status=status_name(t, outcome.status)),
        t.ngettext("Please answer by {date} (within {days} day).",
                   "Please answer by {date} (within {days} days).", days).format(
            date=day_for(ctx, t, deadline(ctx, outcome), salon), days=days),
        how_to_answer(ctx, t, outcome),
    ])


def day_for(ctx: Context, t: Translator, when: datetime, salon: Salon | None = None) -> str:
    """A date as ``t``'s reader writes it (the staff's, the salon's), in the salon's zone."""
    zone = ZoneInfo((salon.timezone if salon else None) or ctx.config.bot.timezone)
    return format_date(when.astimezone(zone), format="long", locale=t.locale)


# ------------------------------------------------------------------ info


def salon_outcomes(ctx: Context, salon_id: int) -> list[Outcome]:
    return list(ctx.session.scalars(select(Outcome).where(Outcome.salon_id == salon_id)
                                    .order_by(Outcome.id)))


def settled_at(outcome: Outcome) -> datetime | None:
    """When the outcome was last answered or declined."""
    if outcome.status == OutcomeStatus.ANSWERED.value and outcome.answered_at:
        return outcome.answered_at
    return outcome.updated_at if outcome.is_settled else None


def state_words(ctx: Context, outcome: Outcome, salon: Salon | None = None) -> str:
    """``answered on 5 March 2026``, ``being worked on``: the status, dated once settled."""
    t = ctx.t
    when = settled_at(outcome)
    if when is None:
        return status_name(t, outcome.status)
    return t._("{status} on {date}").format(status=status_name(t, outcome.status),
                                            date=day(ctx, when, salon))


async def info_lines(ctx: Context, payload: dict[str, Any]) -> Reply | None:
    """``info``'s lines: the salon's outcomes with their status."""
    salon = ctx.session.get(Salon, payload.get("salon_id"))
    if salon is None:
        return None
    outcomes = salon_outcomes(ctx, salon.id)
    if not outcomes:
        return None
    t = ctx.t
    lines = [t._("Outcomes for the municipality:")]
    for outcome in outcomes[-INFO_MAX:]:
        lines.append(f"- {outcome.ref} ({kind_name(t, outcome.kind)}): "
                     f"{state_words(ctx, outcome, salon)} · "
                     f"{escape_markup(shorten(outcome.text, SHORT_TEXT))}")
    if len(outcomes) > INFO_MAX:
        lines.append(t._("… and {n} more.").format(n=len(outcomes) - INFO_MAX))
    return Reply("\n".join(lines))


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="outcome", handler=outcome_command,
        usage=N_("{prefix} outcome \"<text>\" [--kind proposal|recommendation|question] "
                 "[--from <item number>]"),
        summary=N_("Sends an outcome of the salon to the municipality, which answers it here"),
        scope=Scope.SALON, permission=Permission.HOST,
        aliases={"da": ("resultat", "konklusion"), "nb": ("resultat", "konklusjon"),
                 "sv": ("resultat", "slutsats")},
        value_options=frozenset({"kind", "from"}),
    ))
    registry.on("outcomes-status", info_lines)
    registry.job(OVERDUE, overdue)
