"""``summary``: what the running or last capture said, posted in the room and stored.

``bot.summariser`` reads the recorded messages (the words of people who said yes) and the
capture's items; the reply adds what only the bot knows: each key point links to the
messages it rests on (matrix.to permalinks, which Element opens at the message), and the
participation counts include the messages that were only counted. The summary is stored
(``summaries``: method, version, language, time, the capture and the events it covers) with
the text as posted, so staff read the same text; asking again while nothing changed gives
the stored one back. Once the retention job has deleted message text, the stored summary is
what remains and is never replaced by a poorer one.

A summary is laid out once as neutral blocks (``bot.documents``, kept in the stored data) and
written from them as the reply's markup, Markdown or HTML, so the minutes file and the final
report can carry it unchanged.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from sqlalchemy import select

import bot
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope
from bot.context import Context
from bot.db import (
    Capture,
    CaptureCount,
    Meeting,
    MinuteItem,
    RecordedMessage,
    Role,
    Salon,
    StoredSummary,
)
from bot.documents import (  # noqa: F401 - the block model, as the minutes import it
    Block,
    Line,
    Segment,
    anchor,
    bold,
    clean,
    demoted,
    html_document,
    text,
    to_html,
    to_markdown,
    to_source,
)
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand
from bot.replies import Reply, escape_markup
from bot.summariser.model import ITEM_KIND_LABELS, ITEM_KINDS, ROLE_LABELS, ROLES
from bot.summariser.text import shorten
from handlers.capture import running_capture
from handlers.checks import salon_of
from handlers.items import due_words, shown_name

METHOD: Final = "extractive"
#: The summariser has no version of its own: this one changes with the bot and with the
#: layout below, so a stored summary says which code wrote it.
LAYOUT: Final = 1
VERSION: Final = f"{bot.__version__}+layout{LAYOUT}"
POINTS: Final = 5
#: Links shown per point; the stored data keeps every message id.
LINKS_SHOWN: Final = 5
#: Items shown in a message in the room, and how long each may be there (a Matrix event
#: holds at most 64 KiB); the minutes file has them all, in full.
ITEMS_IN_ROOM: Final = 20
ITEM_TEXT_IN_ROOM: Final = 200
#: Roles a member can have (``Member.role``), as the summary counts them.
MEMBER_ROLES: Final = (Role.CITIZEN.value, Role.POLITICIAN.value, Role.STAFF.value)

# --- what the summary rests on ---------------------------------------------------------------


def permalink(ctx: Context, room_id: str, event_id: str) -> str:
    """``https://matrix.to/#/<room>/<event>``, which Element opens at the message; a room id
    without a server (room version 12) needs a server to ask, so the bot's is named."""
    link = (f"https://matrix.to/#/{quote(room_id, safe='!:@.-_')}/"
            f"{quote(event_id, safe='$:.-_')}")
    server = ctx.bot_user_id.split(":", 1)[1] if ":" in ctx.bot_user_id else ""
    return f"{link}?via={quote(server, safe='.-_:')}" if server else link


def zone_of(ctx: Context, salon: Salon) -> ZoneInfo:
    return ZoneInfo(salon.timezone or ctx.config.bot.timezone)


def last_capture(ctx: Context, salon: Salon) -> Capture | None:
    """The running capture, else the one that ended last."""
    running = running_capture(ctx, salon)
    if running is not None:
        return running
    return ctx.session.scalar(select(Capture).where(Capture.salon_id == salon.id)
                              .order_by(Capture.started_at.desc(), Capture.id.desc()).limit(1))


@dataclass
class Basis:
    capture: Capture
    messages: list[RecordedMessage]
    #: Recorded messages whose text the retention job has deleted.
    deleted: int
    items: list[MinuteItem]
    #: Messages of people who did not say yes: only counted, by role.
    counted: dict[str, int]

    @property
    def empty(self) -> bool:
        return not self.messages and not self.items


def basis(ctx: Context, capture: Capture) -> Basis:
    rows = list(ctx.session.scalars(select(RecordedMessage)
                                    .where(RecordedMessage.capture_id == capture.id)
                                    .order_by(RecordedMessage.sent_at, RecordedMessage.id)))
    messages = [r for r in rows if r.body is not None and r.text_deleted_at is None]
    items = list(ctx.session.scalars(select(MinuteItem)
                                     .where(MinuteItem.capture_id == capture.id)
                                     .order_by(MinuteItem.number, MinuteItem.id)))
    counted = {c.role: c.messages for c in ctx.session.scalars(
        select(CaptureCount).where(CaptureCount.capture_id == capture.id)) if c.messages}
    return Basis(capture, messages, len(rows) - len(messages), items, counted)


def fingerprint(found: Basis, lang: str, shown: dict[str, str | None]) -> str:
    """Changes whenever the summary would: a message, an edit, an item, a count, how the
    people it shows are shown (named or not), the language, the code, or the capture
    ending."""
    parts = {
        "version": VERSION, "lang": lang, "running": found.capture.running,
        "shown": sorted(shown.items()),
        "messages": [[m.event_id, m.edited_at.isoformat() if m.edited_at else None]
                     for m in found.messages],
        "items": [[i.id, i.kind, i.text, i.assignee, i.due.isoformat() if i.due else None]
                  for i in found.items],
        "counted": sorted(found.counted.items()),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def stored(ctx: Context, capture: Capture, lang: str | None = None) -> StoredSummary | None:
    """The latest stored summary of a capture (in ``lang``, if given)."""
    query = select(StoredSummary).where(StoredSummary.capture_id == capture.id)
    if lang is not None:
        query = query.where(StoredSummary.language == lang)
    return ctx.session.scalar(query.order_by(StoredSummary.created_at.desc(),
                                             StoredSummary.id.desc()).limit(1))


def data_of(summary: StoredSummary) -> dict[str, Any]:
    try:
        data = json.loads(summary.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def summary_for(ctx: Context, salon: Salon, capture: Capture, *,
                force: bool = False) -> StoredSummary | None:
    """The summary of a capture in the reader's language: the stored one while nothing has
    changed (or once the text is gone), else a new one, stored. None when nothing was
    recorded and no item was added. ``force`` writes a new one anyway (after an erasure)."""
    t = ctx.t
    found = basis(ctx, capture)
    people = {i.assignee for i in found.items if i.assignee}
    mark = fingerprint(found, t.lang, {p: shown_name(ctx, salon, p) for p in people})
    latest = stored(ctx, capture, t.lang)
    if not force:
        if latest is not None and data_of(latest).get("fingerprint") == mark:
            return latest
        if found.deleted:
            kept = latest or stored(ctx, capture)
            if kept is not None:
                return kept
    if found.empty:
        return None
    blocks, result = layout(ctx, salon, found, t)
    now = ctx.clock.now()
    data = {
        "fingerprint": mark,
        "capture_id": capture.id,
        "meeting_id": capture.meeting_id,
        "running": capture.running,
        "event_ids": [m.event_id for m in found.messages],
        "item_ids": [i.id for i in found.items],
        "item_event_ids": [i.event_id for i in found.items if i.event_id],
        "counted": found.counted,
        "summary": result,
        "blocks": blocks,
    }
    row = StoredSummary(salon_id=salon.id, capture_id=capture.id, method=METHOD,
                        version=VERSION, language=t.lang, source=to_source(blocks),
                        data=json.dumps(data, ensure_ascii=False), created_at=now)
    ctx.session.add(row)
    ctx.session.flush()
    return row


# --- the layout --------------------------------------------------------------------------------


def meeting_words(t: Translator, meeting: Meeting | None) -> str:
    """``meeting 3 “Bænke”`` or ``this conversation``, as plain text (blocks escape it)."""
    if meeting is None:
        return t._("this conversation")
    if meeting.title:
        return t._("meeting {n} “{title}”").format(n=meeting.number, title=meeting.title)
    return t._("meeting {n}").format(n=meeting.number)


def period_words(ctx: Context, t: Translator, salon: Salon, capture: Capture) -> str:
    zone = zone_of(ctx, salon)
    start = capture.started_at.astimezone(zone)
    day = format_date(start, format="long", locale=t.locale)
    begin = format_time(start, format="short", locale=t.locale)
    if capture.ended_at is None:
        return t._("{day}, from {start}; minutes are still being taken").format(
            day=day, start=begin)
    end = capture.ended_at.astimezone(zone)
    finish = format_time(end, format="short", locale=t.locale)
    if end.date() != start.date():
        finish = format_date(end, format="long", locale=t.locale) + " " + finish
    return t._("{day}, {start}–{end}").format(day=day, start=begin, end=finish)


def _links(ctx: Context, salon: Salon, ids: Sequence[str],
           times: dict[str, datetime], t: Translator) -> Line:
    """`` (19.04, 19.06, +3)``: the first messages a point rests on, each a link."""
    zone = zone_of(ctx, salon)
    shown = [event_id for event_id in ids if event_id in times][:LINKS_SHOWN]
    if not shown:
        return []
    line: Line = [text(" (")]
    for index, event_id in enumerate(shown):
        if index:
            line.append(text(", "))
        label = format_time(times[event_id].astimezone(zone), format="short", locale=t.locale)
        line.append(anchor(label, permalink(ctx, salon.room_id, event_id)))
    more = len([i for i in ids if i in times]) - len(shown)
    if more > 0:
        line.append(text(", " + t.ngettext("{n} more", "{n} more", more).format(n=more)))
    line.append(text(")"))
    return line


def item_line(ctx: Context, salon: Salon, item: MinuteItem, t: Translator, *,
              author: bool = False, limit: int | None = None) -> Line:
    """``3. Bænke ved søen (for Participant 12, by …) · message``."""
    words = shorten(item.text, limit) if limit else clean(item.text)
    line: Line = [text(f"{item.number}. {words}")]
    extra = []
    if author:
        extra.append(t._("from {user}").format(user=shown_name(ctx, salon, item.user_id)))
    if item.assignee:
        extra.append(t._("for {user}").format(user=shown_name(ctx, salon, item.assignee)))
    if item.due:
        extra.append(t._("by {date}").format(date=due_words(t, item.due)))
    if extra:
        line.append(text(f" ({', '.join(extra)})"))
    if item.event_id:
        line += [text(" · "), anchor(t._("message"), permalink(ctx, salon.room_id,
                                                               item.event_id))]
    return line


def item_blocks(ctx: Context, salon: Salon, items: Sequence[MinuteItem], t: Translator, *,
                author: bool = False, in_room: bool = False) -> list[Block]:
    """The items by kind; ``in_room`` shows the first few, shortened, and says how many
    more the minutes file has."""
    blocks: list[Block] = []
    shown = 0
    for kind in ITEM_KINDS:
        found = [item for item in items if item.kind == kind]
        if in_room:
            found = found[:max(0, ITEMS_IN_ROOM - shown)]
        if found:
            shown += len(found)
            blocks.append(["subheading", t._(ITEM_KIND_LABELS[kind])])
            blocks.append(["ul", [item_line(ctx, salon, item, t, author=author,
                                            limit=ITEM_TEXT_IN_ROOM if in_room else None)
                                  for item in found]])
    if len(items) > shown:
        blocks.append(["para", [text(t._("… and {n} more: {prefix} minutes --file has them "
                                         "all.").format(n=len(items) - shown,
                                                        prefix=ctx.prefix))]])
    return blocks


def participation_lines(found: Basis, t: Translator) -> list[Line]:
    """Per role: recorded messages and the people who wrote them, and what was only
    counted (those who did not say yes)."""
    lines: list[Line] = []
    for role in MEMBER_ROLES:
        recorded = [m for m in found.messages if m.role == role]
        people = len({m.user_id for m in recorded})
        counted = found.counted.get(role, 0)
        if not recorded and not counted:
            continue
        parts = []
        if recorded:
            parts.append(
                t.ngettext("{n} message", "{n} messages", len(recorded)).format(n=len(recorded))
                + " " + t.ngettext("from {n} person", "from {n} people", people).format(
                    n=people))
        if counted:
            parts.append(t.ngettext("{n} message counted, not recorded",
                                    "{n} messages counted, not recorded", counted).format(
                n=counted))
        lines.append([text(t._(ROLE_LABELS[role]) + ": " + "; ".join(parts))])
    return lines


def _messages(found: Basis) -> tuple[list[Any], list[Any]]:
    """Messages and items as the summariser takes them: authors as neutral keys."""
    from bot.summariser import Item, Message

    keys: dict[str, str] = {}

    def key(user_id: str) -> str:
        return keys.setdefault(user_id, f"p{len(keys) + 1}")

    messages = [Message(id=m.event_id, author=key(m.user_id),
                        role=m.role if m.role in ROLES else Role.CITIZEN.value,
                        text=m.body or "", ts=m.sent_at, reply_to=m.reply_to)
                for m in found.messages]
    items = [Item(kind=i.kind, text=i.text, author=key(i.user_id), message_id=i.event_id)
             for i in found.items if i.kind in ITEM_KINDS]
    return messages, items


def layout(ctx: Context, salon: Salon, found: Basis,
           t: Translator) -> tuple[list[Block], dict[str, Any]]:
    """The summary as blocks, and the summariser's result (stored with it)."""
    from bot.summariser import summarise

    messages, items = _messages(found)
    summary = summarise(messages, items, lang=salon.language or ctx.config.bot.default_language,
                        points=POINTS)
    times = {i.event_id: i.created_at for i in found.items if i.event_id}
    times.update({m.event_id: m.sent_at for m in found.messages})
    capture = found.capture
    meeting = ctx.session.get(Meeting, capture.meeting_id) if capture.meeting_id else None
    blocks: list[Block] = [["title", t._("Summary of the discussion")]]
    blocks.append(["para", [text(t._("Minutes of {what}, {when}.").format(
        what=meeting_words(t, meeting), when=period_words(ctx, t, salon, capture)))],
                   "period"])
    people = len({m.user_id for m in found.messages})
    intro = (t.ngettext("{n} message", "{n} messages", len(messages)).format(n=len(messages))
             + " " + t.ngettext("from {n} person", "from {n} people", people).format(n=people))
    counted = sum(found.counted.values())
    if counted:
        intro += "; " + t.ngettext(
            "{n} more message was counted but not recorded, because its writer did not say "
            "yes to being recorded",
            "{n} more messages were counted but not recorded, because their writers did not "
            "say yes to being recorded", counted).format(n=counted)
    blocks.append(["para", [text(intro + ".")]])

    blocks.append(["heading", t._("Key points")])
    if summary.key_points:
        lines = []
        for number, point in enumerate(summary.key_points, 1):
            line: Line = [text(f"{number}. {clean(point.text)}")]
            if point.count > 1:
                line.append(text(" (" + t.ngettext("raised in {n} message",
                                                   "raised in {n} messages", point.count)
                                 .format(n=point.count) + ")"))
            lines.append(line + _links(ctx, salon, point.message_ids, times, t))
        blocks.append(["ul", lines])
    else:
        blocks.append(["para", [text(t._("There is not enough discussion to summarise yet."))]])

    if summary.key_phrases:
        blocks.append(["heading", t._("Key phrases")])
        blocks.append(["para", [text(", ".join(clean(p) for p in summary.key_phrases))]])

    if found.items:
        blocks.append(["heading", t._("Items from the minutes"), "items"])
        blocks += item_blocks(ctx, salon, found.items, t, in_room=True)

    if summary.open_questions:
        blocks.append(["heading", t._("Open questions")])
        blocks.append(["ul", [[text(clean(q.text))] + _links(ctx, salon, q.message_ids, times, t)
                              for q in summary.open_questions]])

    if summary.agreements:
        blocks.append(["heading", t._("Points of agreement")])
        blocks.append(["ul", [
            [text(clean(s.text) + " (" + t.ngettext("{n} in favour", "{n} in favour", s.support)
                  .format(n=s.support) + ")")] + _links(ctx, salon, s.message_ids, times, t)
            for s in summary.agreements]])

    if summary.disagreements:
        blocks.append(["heading", t._("Points of disagreement")])
        blocks.append(["ul", [
            [text(clean(s.text) + " ("
                  + t.ngettext("{n} in favour", "{n} in favour", s.support).format(n=s.support)
                  + ", " + t.ngettext("{n} against", "{n} against", s.objection).format(
                      n=s.objection) + ")")] + _links(ctx, salon, s.message_ids, times, t)
            for s in summary.disagreements]])

    roles = participation_lines(found, t)
    if roles:
        blocks.append(["heading", t._("Who took part")])
        blocks.append(["ul", roles])
    blocks.append(["para", [text(t._(
        "Made automatically from the words of those who said yes to being recorded "
        "(method {method}, version {version}). Each time links to the message.").format(
        method=METHOD, version=VERSION))]])
    return blocks, summary.to_dict()


# --- the command ---------------------------------------------------------------------------------


def no_capture(ctx: Context) -> Refusal:
    return Refusal(ctx.t._("No minutes have been taken in this salon yet, so there is nothing "
                           "to summarise. A host starts them with {prefix} start.").format(
        prefix=ctx.prefix))


def nothing_recorded(ctx: Context, found: Basis) -> str:
    """What a capture holds when nobody who wrote had said yes: only counts."""
    t = ctx.t
    counted = sum(found.counted.values())
    lines = [t._("**Nothing was recorded in these minutes**, so there is nothing to summarise: "
                 "nobody who wrote had said yes to being recorded, and no items were added.")]
    if counted:
        lines.append(t.ngettext("{n} message was counted, without its words:",
                                "{n} messages were counted, without their words:",
                                counted).format(n=counted))
        lines += ["- " + escape_markup(t._(ROLE_LABELS[role])) + ": "
                  + str(found.counted[role]) for role in MEMBER_ROLES if found.counted.get(role)]
    else:
        lines.append(t._("Nobody wrote anything while the minutes were taken."))
    lines.append(t._("Say yes with {prefix} consent yes to be part of the next minutes.").format(
        prefix=ctx.prefix))
    return "\n".join(lines)


async def summary_command(command: ParsedCommand, ctx: Context) -> Reply:
    salon = salon_of(ctx)
    capture = last_capture(ctx, salon)
    if capture is None:
        raise no_capture(ctx)
    result = summary_for(ctx, salon, capture)
    if result is None:
        return Reply(nothing_recorded(ctx, basis(ctx, capture)))
    return Reply(result.source)


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="summary", handler=summary_command,
        usage=N_("{prefix} summary"),
        summary=N_("Summarises the running or last minutes: key points with links to the "
                   "messages, items, open questions, who took part"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("resumé", "opsummering"), "nb": ("sammendrag", "oppsummering"),
                 "sv": ("sammanfattning",)},
    ))
