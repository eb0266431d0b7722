"""Minute items: ``idea|question|agree|action|note|proposal <text>``, ``items`` and ``undo``.

An item is kept only for someone in the salon who said yes to being recorded; anyone else
is told how to say yes, and nothing of what they wrote is stored. Items are numbered per
salon and belong to the running capture (and its meeting), if minutes are being taken. The
command message is watched: an edit of it changes the item, a redaction removes it.

``action @user <text> [by <date>]`` names who does it (a Matrix id of someone in the salon)
and, optionally, by when: the date is read as said (``by friday``, ``inden 12. marts``,
``senast 2026-03-12``) in the salon's zone, and the reply spells out how it was read.
Wherever items are shown later, people appear by name only with ``consent named``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import func, select

from bot import consent
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.db import ConsentLevel, MinuteItem, Salon
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand, split
from bot.replies import Reply, escape_markup
from bot.summariser.model import ITEM_KIND_LABELS, ITEM_KINDS
from bot.summariser.text import shorten
from bot.when import nordic
from handlers.capture import running_capture
from handlers.checks import salon_of, still_open
from handlers.people import user_id_problem

KINDS: Final = ITEM_KINDS
#: One item, as a reader would name it ("Idea 3 is noted").
KIND_NAMES: Final = {
    "idea": N_("Idea"),
    "question": N_("Question"),
    "agree": N_("Agreement"),
    "action": N_("Action"),
    "note": N_("Note"),
    "proposal": N_("Proposal"),
}
TEXT_MAX: Final = 1000
#: Lines ``items`` shows in the room, and how long each may be there (a Matrix event holds
#: at most 64 KiB); the minutes file has them all, in full.
LIST_MAX: Final = 50
LIST_TEXT_MAX: Final = 200
#: Words before a due date: ``by friday``, ``inden 12. marts``, ``senast 2026-03-12``.
DUE_WORDS: Final = frozenset({"by", "before", "due", "inden", "senest", "frist", "innen",
                              "senast", "innan", "före"})
WATCH_PREFIX: Final = "item:"


def watch_key(item: MinuteItem) -> str:
    return f"{WATCH_PREFIX}{item.id}"


def kind_name(t: Translator, kind: str) -> str:
    return t._(KIND_NAMES[kind])


def kind_heading(t: Translator, kind: str) -> str:
    """``Ideas``, ``Actions``: the summariser's headings, so both read the same."""
    return t._(ITEM_KIND_LABELS[kind])


def due_words(t: Translator, due: date) -> str:
    return format_date(due, format="full", locale=t.locale)


def salon_zone(ctx: Context, salon: Salon) -> ZoneInfo:
    return ZoneInfo(salon.timezone or ctx.config.bot.timezone)


@dataclass(frozen=True, slots=True)
class ItemWords:
    text: str
    assignee: str | None = None
    due: date | None = None
    #: What followed a due word but is not a date: kept in the text, and said so.
    not_a_date: str | None = None


def _date_problem(t: Translator, text: str, *, past: bool = False) -> str:
    shown = escape_markup(text) or "-"
    if past:
        head = t._("“{text}” is in the past; give a date ahead for the action.").format(
            text=shown)
    else:
        head = t._("I can't tell for sure which date “{text}” means, and I don't want to "
                   "guess.").format(text=shown)
    return head + " " + t._("Write the date like this: by 2026-03-12, by 12 March or by "
                            "Friday.")


def read_due(ctx: Context, salon: Salon, text: str) -> date | None:
    """The date a due phrase names, in the salon's zone; None when it is not a date at all
    (then it stays part of the text). A date we could read but not be sure of is refused."""
    today = ctx.clock.now().astimezone(salon_zone(ctx, salon)).date()
    try:
        words = nordic.read_words(text)
        if words.every or words.until is not None:
            raise nordic.Refused("ambiguous", "series")
        day = nordic.day_of(words, today)
    except nordic.NotOurs:
        return None
    except nordic.Refused:
        raise UsageError(_date_problem(ctx.t, text)) from None
    if day < today:
        raise UsageError(_date_problem(ctx.t, text, past=True))
    return day


def read_item(ctx: Context, salon: Salon, kind: str, args: tuple[str, ...]) -> ItemWords:
    """What an item command says; raises UsageError when it can't be kept as written."""
    t = ctx.t
    words = list(args)
    assignee = None
    if kind == "action" and words and words[0].startswith("@"):
        who = words.pop(0)
        problem = user_id_problem(t, who, ctx.sender)
        if problem is not None:
            raise UsageError(f"“{escape_markup(who)}”: {problem}")
        member = salon.member(who)
        if member is None or member.status == "left":
            raise UsageError(t._("{user} is not in this salon, so I can't give them an "
                                 "action here.").format(user=escape_markup(who)))
        assignee = who
    due = None
    not_a_date = None
    if kind == "action":
        for index in range(len(words) - 2, 0, -1):
            if words[index].casefold() in DUE_WORDS:
                tail = " ".join(words[index + 1:])
                due = read_due(ctx, salon, tail)
                if due is None:
                    not_a_date = tail
                else:
                    words = words[:index]
                break
    text = " ".join(words).strip()
    if not text:
        raise UsageError(t._("Write what the item says after the command."))
    if len(text) > TEXT_MAX:
        raise UsageError(t._("An item can be at most {limit} characters long; this one has "
                             "{length}.").format(limit=TEXT_MAX, length=len(text)))
    return ItemWords(text=text, assignee=assignee, due=due, not_a_date=not_a_date)


def may_record(ctx: Context, salon: Salon) -> bool:
    return ctx.member is not None and consent.allows_recording(
        consent.level_of(ctx.session, ctx.sender, salon.id))


def consent_needed(ctx: Context) -> str:
    return ctx.t._(
        "I keep items only from people who said yes to being recorded, so I have stored "
        "nothing of this. Say yes with {prefix} consent yes (or {prefix} consent named to be "
        "shown with your name), then write the item again.").format(prefix=ctx.prefix)


def next_number(ctx: Context, salon: Salon) -> int:
    return int(ctx.session.scalar(select(func.coalesce(func.max(MinuteItem.number), 0))
                                  .where(MinuteItem.salon_id == salon.id)) or 0) + 1


def item_line(t: Translator, item: MinuteItem, who: str | None = None) -> str:
    """``3. Bænke ved søen`` (+ who does an action, and by when), escaped for a reply."""
    line = f"{item.number}. {escape_markup(shorten(item.text, LIST_TEXT_MAX))}"
    extra = []
    if item.assignee and who:
        extra.append(t._("for {user}").format(user=who))
    if item.due:
        extra.append(t._("by {date}").format(date=due_words(t, item.due)))
    return line + (f" ({', '.join(extra)})" if extra else "")


def _confirmation(ctx: Context, item: MinuteItem, words: ItemWords, capturing: bool) -> str:
    t = ctx.t
    lines = [t._("**{kind} {n} is noted:** {text}").format(
        kind=kind_name(t, item.kind), n=item.number, text=escape_markup(item.text))]
    if item.assignee:
        lines.append(t._("Who does it: {user}.").format(user=item.assignee))
    if item.due:
        lines.append(t._("By: {date}.").format(date=due_words(t, item.due)))
    if words.not_a_date:
        lines.append(t._("I did not read “{text}” as a date, so it stays in the text.").format(
            text=escape_markup(words.not_a_date)))
    if not capturing:
        lines.append(t._("No minutes are being taken right now; the item is kept for the "
                         "salon and shown with {prefix} items.").format(prefix=ctx.prefix))
    lines.append(t._("To take it back: {prefix} undo, or delete your message.").format(
        prefix=ctx.prefix))
    return "\n".join(lines)


def add_item(ctx: Context, kind: str, command: ParsedCommand) -> Reply:
    salon = salon_of(ctx)
    still_open(ctx, salon, kind)
    if not may_record(ctx, salon):
        raise Refusal(consent_needed(ctx))
    words = read_item(ctx, salon, kind, command.args)
    capture = running_capture(ctx, salon)
    now = ctx.clock.now()
    item = MinuteItem(
        salon_id=salon.id, capture_id=capture.id if capture else None,
        meeting_id=capture.meeting_id if capture else None, number=next_number(ctx, salon),
        kind=kind, text=words.text, user_id=ctx.sender, assignee=words.assignee,
        due=words.due, event_id=ctx.event_id, created_at=now)
    ctx.session.add(item)
    ctx.session.flush()
    if ctx.event_id:
        ctx.watch.watch_event(ctx.session, event_id=ctx.event_id, room_id=ctx.room_id,
                              key=watch_key(item), at=now)
    mentions = (words.assignee,) if words.assignee else ()
    return Reply(_confirmation(ctx, item, words, capture is not None), mentions=mentions)


def _handler(kind: str) -> Any:
    async def handle(command: ParsedCommand, ctx: Context) -> Reply:
        return add_item(ctx, kind, command)

    handle.__name__ = f"{kind}_item"
    return handle


def salon_items(ctx: Context, salon: Salon) -> list[MinuteItem]:
    return list(ctx.session.scalars(select(MinuteItem).where(MinuteItem.salon_id == salon.id)
                                    .order_by(MinuteItem.number, MinuteItem.id)))


def shown_name(ctx: Context, salon: Salon, user_id: str | None) -> str | None:
    """A person as minutes show them: the Matrix id with ``consent named``, else a
    pseudonym that does not reveal it (the member's number in the salon, which never
    changes)."""
    if user_id is None:
        return None
    if consent.level_of(ctx.session, user_id, salon.id) is ConsentLevel.NAMED:
        return user_id
    member = salon.member(user_id)
    if member is None:
        return ctx.t._("a former participant")
    return ctx.t._("Participant {n}").format(n=member.id)


async def list_items(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    items = salon_items(ctx, salon)
    if not items:
        raise Refusal(t._("There are no items yet. Anyone who said yes to being recorded can "
                          "add one, like {prefix} idea benches by the playground.").format(
            prefix=ctx.prefix))
    lines = [t.ngettext("**{n} item in the minutes of this salon**",
                        "**{n} items in the minutes of this salon**", len(items)).format(
        n=len(items))]
    shown = 0
    for kind in KINDS:
        found = [item for item in items if item.kind == kind]
        found = found[:max(0, LIST_MAX - shown)]
        if not found:
            continue
        lines.append(f"**{kind_heading(t, kind)}**")
        lines += ["- " + item_line(t, item, shown_name(ctx, salon, item.assignee))
                  for item in found]
        shown += len(found)
    if shown < len(items):
        lines.append(t.ngettext("… and {n} more item.", "… and {n} more items.",
                                len(items) - shown).format(n=len(items) - shown))
    return Reply("\n".join(lines))


def _unwatch(ctx: Context, item: MinuteItem) -> None:
    ctx.watch.unwatch(ctx.session, watch_key(item))


async def undo(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    salon = salon_of(ctx)
    item = ctx.session.scalar(select(MinuteItem).where(
        MinuteItem.salon_id == salon.id, MinuteItem.user_id == ctx.sender)
        .order_by(MinuteItem.id.desc()).limit(1))
    if item is None:
        raise Refusal(t._("You have no items here to take back."))
    _unwatch(ctx, item)
    ctx.session.delete(item)
    return Reply(t._("{kind} {n} is removed: {text}").format(
        kind=kind_name(t, item.kind), n=item.number, text=escape_markup(item.text)))


def _watched_item(ctx: Context, payload: dict[str, Any]) -> MinuteItem | None:
    key = str(payload.get("relates_key") or "")
    number = key.removeprefix(WATCH_PREFIX)
    if not key.startswith(WATCH_PREFIX) or not number.isdecimal():
        return None
    item = ctx.session.get(MinuteItem, int(number))
    if item is None or ctx.salon is None or item.salon_id != ctx.salon.id:
        return None
    return item


async def on_redaction(ctx: Context, payload: dict[str, Any]) -> None:
    """The command message was deleted in the room: its item goes too."""
    item = _watched_item(ctx, payload)
    if item is not None:
        _unwatch(ctx, item)
        ctx.session.delete(item)


async def on_edit(ctx: Context, payload: dict[str, Any]) -> Reply | None:
    """The author edited the command message: the item says what the message now says."""
    item = _watched_item(ctx, payload)
    if item is None or ctx.salon is None or item.user_id != ctx.sender:
        return None
    if not may_record(ctx, ctx.salon):
        return None
    command = split(str(payload.get("body") or ""), ctx.prefix)
    spec = ctx.registry.resolve(command.verb) if command and command.verb else None
    if command is None or spec is None or spec.name not in KINDS:
        return None
    try:
        words = read_item(ctx, ctx.salon, spec.name, command.words)
    except UsageError as err:
        return Reply(err.message)
    item.kind, item.text = spec.name, words.text
    item.assignee, item.due = words.assignee, words.due
    return None


ALIASES: Final = {
    "idea": {"da": ("idé",), "nb": ("idé",), "sv": ("idé",)},
    "question": {"da": ("spørgsmål",), "nb": ("spørsmål",), "sv": ("fråga",)},
    "agree": {"da": ("enig",), "nb": ("enig",), "sv": ("håller-med",)},
    "action": {"da": ("handling",), "nb": ("tiltak",), "sv": ("åtgärd",)},
    "note": {"da": ("note",), "nb": ("notat",), "sv": ("anteckning",)},
    "proposal": {"da": ("forslag",), "nb": ("forslag",), "sv": ("förslag",)},
}
USAGES: Final = {
    "idea": N_("{prefix} idea <text>"),
    "question": N_("{prefix} question <text>"),
    "agree": N_("{prefix} agree <text>"),
    "action": N_("{prefix} action [@user:server] <text> [by <date>]"),
    "note": N_("{prefix} note <text>"),
    "proposal": N_("{prefix} proposal <text>"),
}
SUMMARIES: Final = {
    "idea": N_("Adds an idea to the minutes"),
    "question": N_("Adds a question to the minutes"),
    "agree": N_("Adds something the salon agrees on to the minutes"),
    "action": N_("Adds an action to the minutes: who does what, and by when"),
    "note": N_("Adds a note to the minutes"),
    "proposal": N_("Adds a proposal to the minutes"),
}


def register(registry: Registry) -> None:
    for kind in KINDS:
        registry.add(CommandSpec(
            name=kind, handler=_handler(kind), usage=USAGES[kind], summary=SUMMARIES[kind],
            scope=Scope.SALON, permission=Permission.MEMBER, aliases=ALIASES[kind],
        ))
    registry.add(CommandSpec(
        name="items", handler=list_items,
        usage=N_("{prefix} items"),
        summary=N_("Lists the salon's minute items by kind, with their numbers"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("punkter",), "nb": ("punkter",), "sv": ("punkter",)},
    ))
    registry.add(CommandSpec(
        name="undo", handler=undo,
        usage=N_("{prefix} undo"),
        summary=N_("Takes back your last minute item"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("fortryd",), "nb": ("angre",), "sv": ("ångra",)},
    ))
    registry.on("redaction", on_redaction)
    registry.on("edit", on_edit)
