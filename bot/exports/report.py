"""One salon as a report: read once from the database into plain values, laid out once as
``bot.documents`` blocks, and written from those as the final report ``close`` posts (the
reply's markup), as Markdown and as a page of the HTML site.

What it holds: the salon (title, topic, status, dates, closing statement), who took part by
role (hosts and others named only with ``consent named``, otherwise the installation's
stable pseudonym from ``bot.exports.people``), the meetings (time in words, place, status,
RSVP counts, and attendance by role where minutes were taken), the minute items by kind,
the outcomes with their status history and answers (staff shown by role, named only with
their consent) and the latest stored summary of each capture.

What it may show of people is decided by the rules the tables follow
(``bot.exports.scope``), applied as the report is read, so no layout can show more: every
Matrix id inside any text it carries (the salon's title, topic and closing statement, a
meeting's title and place, items, outcomes, their answers and the reasons given with a
status, summaries) appears as that person may be shown in that salon; an item's words only
while its author consents; a summary of minutes that recorded someone who has since
withdrawn is left out. The report holds no message's own text (only counts and the stored
summaries, which stay after retention as in the tables).

Nothing here knows the handlers: the labels it shares with them are the same message ids,
translated once in their catalogs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import words
from bot.db import (
    Capture,
    CaptureCount,
    Meeting,
    MeetingStatus,
    Member,
    MinuteItem,
    RecordedMessage,
    Role,
    Salon,
    SalonStatus,
    StoredSummary,
)
from bot.db.models import SETTLED, Outcome, OutcomeEvent
from bot.documents import Block, Line, anchor, bold, clean, nested, text
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.scope import Scope
from bot.i18n import N_, Translator, translator
from bot.summariser.model import ITEM_KIND_LABELS, ITEM_KINDS
from bot.summariser.text import shorten
from bot.words import kind_name, role_name, status_name

ROLES: Final = (Role.CITIZEN.value, Role.POLITICIAN.value, Role.STAFF.value)
#: In a chat message: the first items, shortened; the attached report has them all.
ITEMS_IN_ROOM: Final = 20
ITEM_TEXT_IN_ROOM: Final = 200

#: Where an outcome stands and what it is: the words the outcome commands use
#: (``handlers.outcomes``), so the report, the salon and the staff room say the same.
#: Who moved an outcome on, by role (``OutcomeEvent.by_role``).
ACTOR_WORDS: Final = {
    "host": N_("a host of the salon"),
    "staff": N_("a staff member of the municipality"),
    "politician": N_("a politician"),
    "citizen": N_("a citizen"),
}
MEETING_STATUS: Final = {
    "held": N_("held"),
    "planned": N_("planned"),
    "cancelled": N_("cancelled"),
    "not-held": N_("not held: the salon was closed before"),
}


# --- the report as plain values ----------------------------------------------------------


@dataclass
class Attendance:
    """Who was in the room while a meeting's minutes were taken (from when each joined and
    left), counted by role; names only for those who chose ``consent named``."""

    started_at: datetime
    ended_at: datetime | None
    by_role: dict[str, int]
    named: list[tuple[str, str]]
    unnamed: int
    recorded: int
    counted: int

    @property
    def total(self) -> int:
        return sum(self.by_role.values())


@dataclass
class MeetingPart:
    number: int
    title: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str | None
    url: str | None
    #: ``held``, ``planned``, ``cancelled`` or ``not-held`` (the salon closed before it).
    state: str
    yes: int
    maybe: int
    no: int
    waiting: int
    capacity: int | None
    attendance: Attendance | None = None


@dataclass
class ItemPart:
    number: int
    kind: str
    #: None: its author no longer consents, so their words are not shown.
    text: str | None
    author: str
    assignee: str | None
    due: date | None
    meeting: int | None
    created_at: datetime


@dataclass
class OutcomeStep:
    action: str
    status: str
    text: str | None
    by: str
    at: datetime


@dataclass
class OutcomePart:
    ref: str
    kind: str
    text: str
    status: str
    answer: str | None
    answered_at: datetime | None
    created_at: datetime
    created_by: str
    history: list[OutcomeStep]

    @property
    def is_open(self) -> bool:
        return self.status not in SETTLED


@dataclass
class SummaryPart:
    meeting: int | None
    meeting_title: str | None
    started_at: datetime
    ended_at: datetime | None
    language: str
    method: str
    version: str
    created_at: datetime
    blocks: list[Block]
    #: Left out: the minutes recorded someone who has since withdrawn (``blocks`` empty).
    withdrawn: bool = False


@dataclass
class SalonReport:
    id: int
    room_id: str
    title: str
    topic: str | None
    status: str
    is_public: bool
    created_at: datetime
    closed_at: datetime | None
    closing_statement: str | None
    hosts: list[str]
    #: Everyone who ever joined, by role.
    by_role: dict[str, int]
    #: Those who chose to be named: (name, role).
    named: list[tuple[str, str]]
    meetings: list[MeetingPart] = field(default_factory=list)
    items: list[ItemPart] = field(default_factory=list)
    outcomes: list[OutcomePart] = field(default_factory=list)
    summaries: list[SummaryPart] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.status == SalonStatus.OPEN.value

    @property
    def participants(self) -> int:
        return sum(self.by_role.values())

    @property
    def held(self) -> list[MeetingPart]:
        return [m for m in self.meetings if m.state == "held"]

    @property
    def open_outcomes(self) -> list[OutcomePart]:
        return [o for o in self.outcomes if o.is_open]


# --- reading it ----------------------------------------------------------------------------


def salon_ids(session: Session, options: ExportOptions) -> list[int]:
    """The salons an export covers: one (``--salon``) or all, and with ``since`` those with
    anything created or changed since then (opened, closed, joined or left, a meeting, an
    item, an outcome or a step of one, a summary). A salon's report is then whole: what came
    before gives the new parts their sense."""
    query = select(Salon.id).order_by(Salon.id)
    if options.salon_id is not None:
        query = query.where(Salon.id == options.salon_id)
    since = options.since
    if since is not None:
        touched = [
            select(Meeting.salon_id).where(Meeting.updated_at >= since),
            select(MinuteItem.salon_id).where(MinuteItem.created_at >= since),
            select(Outcome.salon_id).where(Outcome.updated_at >= since),
            select(Outcome.salon_id).join(OutcomeEvent).where(OutcomeEvent.at >= since),
            select(StoredSummary.salon_id).where(StoredSummary.created_at >= since),
            select(Member.salon_id).where(or_(Member.joined_at >= since,
                                              Member.left_at >= since)),
        ]
        query = query.where(or_(Salon.created_at >= since, Salon.closed_at >= since,
                                *[Salon.id.in_(q) for q in touched]))
    return list(session.scalars(query))


def salon_reports(session: Session, options: ExportOptions, people: People,
                  now: datetime) -> Iterator[SalonReport]:
    """One report after the other, so a large database is read one salon at a time."""
    scope = Scope(people, options, now)
    for salon_id in salon_ids(session, options):
        salon = session.get(Salon, salon_id)
        if salon is not None:
            yield build(session, salon, scope, lang=options.language)


def write_reports(session: Session, out_dir: Path, options: ExportOptions, people: People,
                  now: datetime, *, suffix: str,
                  salon_page: Callable[[SalonReport, Layout], str],
                  index_page: Callable[[list[IndexRow], Layout], str]) -> list[Path]:
    """A page per salon (``salon-<id><suffix>``) and an index linking them
    (``index<suffix>``), written one salon at a time; the paths, the index first. The
    Markdown and HTML exports differ only in how a page is written."""
    layout = Layout(translator(options.language), ZoneInfo(options.timezone))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[IndexRow] = []
    written: list[Path] = []
    for report in salon_reports(session, options, people, now):
        path = out_dir / f"salon-{report.id}{suffix}"
        path.write_text(salon_page(report, layout), encoding="utf-8")
        written.append(path)
        rows.append(IndexRow.of(report, path.name))
    index = out_dir / f"index{suffix}"
    index.write_text(index_page(rows, layout), encoding="utf-8")
    return [index, *written]


def build(session: Session, salon: Salon, scope: Scope, *,
          lang: str | None = None) -> SalonReport:
    """The salon as it stands at ``scope.now``, showing of people what ``scope`` allows;
    ``lang`` picks the stored summary in that language where there is one."""
    people, now, sid = scope.people, scope.now, salon.id

    def masked(value: str) -> str:
        return scope.masked(value, sid) or value

    def maybe(value: str | None) -> str | None:
        return scope.masked(value, sid)

    took_part = [m for m in salon.members if m.joined_at is not None]
    report = SalonReport(
        id=sid, room_id=salon.room_id, title=masked(salon.title), topic=maybe(salon.topic),
        status=salon.status, is_public=salon.is_public, created_at=salon.created_at,
        closed_at=salon.closed_at, closing_statement=maybe(salon.closing_statement),
        hosts=[scope.shown(m.user_id, sid) for m in salon.hosts()],
        by_role=_by_role(took_part),
        named=[(name, m.role) for m in took_part
               if (name := people.name(m.user_id, sid)) is not None],
    )
    meetings = list(session.scalars(select(Meeting).where(Meeting.salon_id == salon.id)
                                    .order_by(Meeting.starts_at, Meeting.number)))
    numbers = {m.id: m for m in meetings}
    captures = list(session.scalars(select(Capture).where(Capture.salon_id == salon.id)
                                    .order_by(Capture.started_at, Capture.id)))
    latest: dict[int, Capture] = {}
    for capture in captures:
        if capture.meeting_id is not None:
            latest[capture.meeting_id] = capture  # the last one counts, as in the minutes
    for meeting in meetings:
        capture = latest.get(meeting.id)
        part = _meeting(meeting, now, _attendance(
            session, salon, capture, people, now) if capture else None,
            closed_at=salon.closed_at)
        part.title, part.place, part.url = maybe(part.title), maybe(part.place), maybe(part.url)
        report.meetings.append(part)
    for item in session.scalars(select(MinuteItem).where(MinuteItem.salon_id == sid)
                                .order_by(MinuteItem.number, MinuteItem.id)):
        meeting = numbers.get(item.meeting_id) if item.meeting_id else None
        report.items.append(ItemPart(
            number=item.number, kind=item.kind, text=scope.words(item.user_id, sid, item.text),
            author=scope.shown(item.user_id, sid),
            assignee=scope.shown(item.assignee, sid) if item.assignee else None,
            due=item.due, meeting=meeting.number if meeting else None,
            created_at=item.created_at))
    for outcome in session.scalars(select(Outcome).where(Outcome.salon_id == sid)
                                   .order_by(Outcome.created_at, Outcome.id)):
        report.outcomes.append(OutcomePart(
            ref=outcome.ref, kind=outcome.kind, text=masked(outcome.text),
            status=outcome.status, answer=maybe(outcome.answer),
            answered_at=outcome.answered_at, created_at=outcome.created_at,
            created_by=scope.shown(outcome.created_by, sid),
            history=[OutcomeStep(action=e.action, status=e.status, text=maybe(e.text),
                                 by=_actor(people, e.by_user, e.by_role, sid), at=e.at)
                     for e in outcome.events]))
    withdrawn = scope.withdrawn_captures(session)
    for capture in captures:
        found = _stored_summary(session, capture, lang)
        if found is None:
            continue
        meeting = numbers.get(capture.meeting_id) if capture.meeting_id else None
        left_out = capture.id in withdrawn
        report.summaries.append(SummaryPart(
            meeting=meeting.number if meeting else None,
            meeting_title=maybe(meeting.title) if meeting else None,
            started_at=capture.started_at, ended_at=capture.ended_at,
            language=found.language, method=found.method, version=found.version,
            created_at=found.created_at, withdrawn=left_out,
            blocks=[] if left_out else _masked(_summary_blocks(found), maybe)))
    return report


def _masked(value: Any, mask: Callable[[str | None], str | None]) -> Any:
    """A summary's blocks with ``mask`` applied to every text in them: headings, lines,
    table cells, a link's label and address (a link to a person is their id)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked(v, mask) for v in value]
    return value


def _by_role(members: Sequence[Member]) -> dict[str, int]:
    counts = dict.fromkeys(ROLES, 0)
    for member in members:
        counts[member.role if member.role in counts else Role.CITIZEN.value] += 1
    return counts


def _actor(people: People, user_id: str | None, role: str, salon_id: int) -> str:
    """``staff`` (a role word is filled in later) and the name only with consent; kept as
    ``role`` or ``role\tname`` so the layout translates the role."""
    name = people.name(user_id, salon_id)
    return f"{role}\t{name}" if name else role


def _meeting(meeting: Meeting, now: datetime, attendance: Attendance | None, *,
             closed_at: datetime | None = None) -> MeetingPart:
    if meeting.status == MeetingStatus.CANCELLED.value:
        state = "cancelled"
    elif closed_at is not None and meeting.starts_at >= closed_at:
        # Planned, but the salon closed first: nobody was reminded, so it did not happen.
        state = "not-held"
    elif meeting.starts_at <= now:
        state = "held"
    else:
        state = "planned"
    yes = [r for r in meeting.rsvps if r.answer == "yes" and not r.waitlisted]
    return MeetingPart(
        number=meeting.number, title=meeting.title, starts_at=meeting.starts_at,
        ends_at=meeting.ends_at, timezone=meeting.timezone, place=meeting.place,
        url=meeting.url, state=state, yes=len(yes),
        maybe=len([r for r in meeting.rsvps if r.answer == "maybe"]),
        no=len([r for r in meeting.rsvps if r.answer == "no"]),
        waiting=len([r for r in meeting.rsvps if r.answer == "yes" and r.waitlisted]),
        capacity=meeting.capacity, attendance=attendance)


def _attendance(session: Session, salon: Salon, capture: Capture, people: People,
                now: datetime) -> Attendance:
    """As ``handlers.minutes.present`` reads it: everyone in the room during the capture
    (from when each last joined and left), and everyone whose words were recorded then."""
    end = capture.ended_at or now
    writers = set(session.scalars(select(RecordedMessage.user_id).where(
        RecordedMessage.capture_id == capture.id)))
    found: list[Member] = []
    for member in salon.members:
        if member.user_id in writers:
            found.append(member)
        elif member.joined_at is None or member.joined_at > end:
            continue
        elif member.status == "joined" or member.left_at is None \
                or member.left_at >= capture.started_at or member.left_at < member.joined_at:
            found.append(member)
    named = [(m.user_id, m.role) for m in found if people.is_named(m.user_id, salon.id)]
    recorded = len(list(session.scalars(select(RecordedMessage.id).where(
        RecordedMessage.capture_id == capture.id))))
    counted = sum(c.messages for c in session.scalars(
        select(CaptureCount).where(CaptureCount.capture_id == capture.id)))
    return Attendance(started_at=capture.started_at, ended_at=capture.ended_at,
                      by_role=_by_role(found), named=named, unnamed=len(found) - len(named),
                      recorded=recorded, counted=counted)


def _stored_summary(session: Session, capture: Capture, lang: str | None) -> StoredSummary | None:
    query = select(StoredSummary).where(StoredSummary.capture_id == capture.id).order_by(
        StoredSummary.created_at.desc(), StoredSummary.id.desc()).limit(1)
    if lang is not None:
        found = session.scalar(query.where(StoredSummary.language == lang))
        if found is not None:
            return found
    return session.scalar(query)


def _summary_blocks(summary: StoredSummary) -> list[Block]:
    """The stored summary's blocks without its title, period and items (the report has
    those), or its text line by line if it was stored without blocks."""
    try:
        data: Any = json.loads(summary.data or "{}")
    except ValueError:
        data = {}
    blocks = data.get("blocks") if isinstance(data, dict) else None
    if not isinstance(blocks, list):
        return [["para", [text(line)]] for line in summary.source.splitlines() if line.strip()]
    kept: list[Block] = []
    skipping = False
    for block in blocks:
        if not isinstance(block, list) or len(block) < 2:
            continue
        kind, tag = block[0], (block[2] if len(block) > 2 else None)
        if kind == "title":
            continue
        if kind == "heading":
            skipping = tag == "items"
        if not skipping and tag != "period":
            kept.append(block[:2])
    return kept


# --- laying it out -------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How to write a report: for whom (``t``), in which zone, and where: ``in_room`` keeps a
    chat message short (the first items, shortened); ``top`` is the level of the title."""

    t: Translator
    zone: ZoneInfo
    in_room: bool = False
    top: str = "title"


def salon_name(t: Translator, report: SalonReport) -> str:
    return t._("#{id} “{title}”").format(id=report.id, title=report.title)


def day_words(layout: Layout, when: datetime) -> str:
    return format_date(when.astimezone(layout.zone), format="long", locale=layout.t.locale)


def moment_words(layout: Layout, when: datetime) -> str:
    local = when.astimezone(layout.zone)
    return layout.t._("{date} at {time}").format(
        date=format_date(local, format="long", locale=layout.t.locale),
        time=format_time(local, format="short", locale=layout.t.locale))


def role_counts(t: Translator, by_role: dict[str, int]) -> str:
    """``2 citizens, 1 politician and 1 staff member`` (the same words as ``info``)."""
    return words.role_counts(t, by_role) or t._("nobody")


def meeting_name(t: Translator, number: int | None, title: str | None) -> str:
    if number is None:
        return t._("this conversation")
    if title:
        return t._("meeting {n} “{title}”").format(n=number, title=title)
    return t._("meeting {n}").format(n=number)


def meeting_when(layout: Layout, meeting: MeetingPart) -> str:
    """``torsdag den 5. marts 2026, 19.00–21.00`` in the export's or salon's zone."""
    t = layout.t
    start, end = meeting.starts_at.astimezone(layout.zone), meeting.ends_at.astimezone(
        layout.zone)
    begin = format_time(start, format="short", locale=t.locale)
    finish = format_time(end, format="short", locale=t.locale)
    if end.date() != start.date():
        finish = format_date(end, format="medium", locale=t.locale) + " " + finish
    return t._("{day}, {start}–{end}").format(
        day=format_date(start, format="full", locale=t.locale), start=begin, end=finish)


def meeting_where(t: Translator, meeting: MeetingPart) -> Line:
    if meeting.place:
        return [text(meeting.place)]
    if meeting.url:
        if meeting.url.startswith(("https://", "http://")):
            return [anchor(t._("online meeting link"), meeting.url)]
        return [text(meeting.url)]
    return [text("-")]


def rsvp_words(t: Translator, meeting: MeetingPart) -> str:
    words = t._("{yes} yes, {maybe} maybe, {no} no").format(
        yes=meeting.yes, maybe=meeting.maybe, no=meeting.no)
    if meeting.waiting:
        words += " · " + t.ngettext("{n} on the waiting list", "{n} on the waiting list",
                                    meeting.waiting).format(n=meeting.waiting)
    return words


def attendance_words(t: Translator, meeting: MeetingPart) -> str:
    found = meeting.attendance
    if found is None:
        if meeting.state == "held":
            return t._("no minutes taken")
        return "-"
    return t.ngettext("{n} person: {roles}", "{n} people: {roles}", found.total).format(
        n=found.total, roles=role_counts(t, found.by_role))


def actor_words(t: Translator, actor: str) -> str:
    role, _, name = actor.partition("\t")
    word = t._(ACTOR_WORDS.get(role, ACTOR_WORDS["citizen"]))
    return f"{word} ({name})" if name else word


def _heading(layout: Layout, depth: int) -> str:
    """The heading kind ``depth`` levels below the report's title."""
    levels = ("title", "heading", "subheading", "minor")
    return levels[min(len(levels) - 1, levels.index(layout.top) + depth)]


def report_title(t: Translator, report: SalonReport) -> str:
    return t._("Report of the salon {salon}").format(salon=salon_name(t, report))


def report_blocks(report: SalonReport, layout: Layout) -> list[Block]:
    """The whole report: the salon, who took part, meetings, minutes, items, outcomes and
    summaries."""
    t = layout.t
    blocks: list[Block] = [[_heading(layout, 0), report_title(t, report)]]
    blocks += overview_blocks(report, layout)
    blocks += meeting_blocks(report, layout)
    blocks += item_section(report, layout)
    blocks += outcome_blocks(report, layout)
    blocks += summary_section(report, layout)
    return blocks


def overview_blocks(report: SalonReport, layout: Layout) -> list[Block]:
    t = layout.t
    blocks: list[Block] = []
    if report.topic:
        blocks.append(["para", [bold(t._("Topic:")), text(" " + report.topic)]])
    if report.is_open:
        status = t._("open since {date}").format(date=day_words(layout, report.created_at))
    else:
        status = t._("opened on {opened}, closed on {closed}").format(
            opened=day_words(layout, report.created_at),
            closed=day_words(layout, report.closed_at or report.created_at))
    blocks.append(["para", [bold(t._("Status:")), text(" " + status)]])
    if report.closing_statement:
        blocks.append(["para", [bold(t._("Closing statement:")),
                                text(" " + report.closing_statement)]])
    blocks.append(["para", [bold(t._("In numbers:")), text(" " + counts_words(t, report))]])
    blocks.append([_heading(layout, 1), t._("Who took part")])
    blocks.append(["para", [text(t._("Took part: {roles}.").format(
        roles=role_counts(t, report.by_role)))]])
    if report.hosts:
        blocks.append(["para", [text(t._("Hosts: {hosts}").format(
            hosts=", ".join(report.hosts)))]])
    if report.named:
        blocks.append(["para", [text(t._("Named, as they chose: {people}.").format(
            people=", ".join(f"{name} ({role_name(t, role)})" for name, role in report.named)))]])
    blocks.append(["para", [text(t._(
        "People are named only if they chose to be; everyone else is counted by role or shown "
        "under a pseudonym (P-…) that is the same in every report and export of this "
        "installation and does not reveal who they are."))]])
    return blocks


def counts_words(t: Translator, report: SalonReport) -> str:
    parts = [
        t.ngettext("{n} meeting held", "{n} meetings held", len(report.held)).format(
            n=len(report.held)),
        t.ngettext("{n} item", "{n} items", len(report.items)).format(n=len(report.items)),
        t.ngettext("{n} outcome", "{n} outcomes", len(report.outcomes)).format(
            n=len(report.outcomes)),
    ]
    if report.outcomes:
        open_ = len(report.open_outcomes)
        parts.append(t.ngettext("{n} still waiting for the municipality",
                                "{n} still waiting for the municipality", open_).format(n=open_))
    return ", ".join(parts)


def meeting_blocks(report: SalonReport, layout: Layout) -> list[Block]:
    t = layout.t
    blocks: list[Block] = [[_heading(layout, 1), t._("Meetings")]]
    if not report.meetings:
        blocks.append(["para", [text(t._("No meetings were scheduled."))]])
        return blocks
    head = [t._("Meeting"), t._("When"), t._("Where"), t._("Status"), t._("Answers"),
            t._("Attendance")]
    rows = [[[text(meeting_name(t, m.number, m.title))], [text(meeting_when(layout, m))],
             meeting_where(t, m), [text(t._(MEETING_STATUS[m.state]))],
             [text(rsvp_words(t, m))], [text(attendance_words(t, m))]]
            for m in report.meetings]
    blocks.append(["table", [t._("Meetings of the salon"), head, rows]])
    for meeting in report.meetings:
        found = meeting.attendance
        if found is None:
            continue
        blocks.append([_heading(layout, 2), t._("Minutes of {what}").format(
            what=meeting_name(t, meeting.number, meeting.title))])
        blocks += attendance_blocks(t, found, layout)
        items = [i for i in report.items if i.meeting == meeting.number]
        if items:
            blocks.append(["para", [text(t.ngettext(
                "{n} item was added during the meeting (see Items).",
                "{n} items were added during the meeting (see Items).", len(items)).format(
                n=len(items)))]])
    return blocks


def attendance_blocks(t: Translator, found: Attendance, layout: Layout) -> list[Block]:
    when = moment_words(layout, found.started_at)
    if found.ended_at is not None:
        when += "–" + format_time(found.ended_at.astimezone(layout.zone), format="short",
                                  locale=t.locale)
    blocks: list[Block] = [["para", [text(t._("Minutes taken: {when}.").format(when=when))]]]
    if found.total:
        blocks.append(["para", [text(t.ngettext(
            "{n} person was in the room while the minutes were taken: {roles}.",
            "{n} people were in the room while the minutes were taken: {roles}.",
            found.total).format(n=found.total, roles=role_counts(t, found.by_role)))]])
    else:
        blocks.append(["para", [text(t._("Nobody was in the room while the minutes were "
                                         "taken."))]])
    if found.named:
        blocks.append(["para", [text(t._("Named, as they chose: {people}.").format(
            people=", ".join(f"{name} ({role_name(t, role)})" for name, role in found.named)))]])
    blocks.append(["para", [text(
        t.ngettext("{n} message was recorded from people who said yes",
                   "{n} messages were recorded from people who said yes", found.recorded)
        .format(n=found.recorded) + "; " + t.ngettext(
            "{n} message of the others was counted, without its words.",
            "{n} messages of the others were counted, without their words.", found.counted)
        .format(n=found.counted))]])
    return blocks


def item_text(t: Translator, item: ItemPart) -> str:
    if item.text is None:
        return t._("(not shown: its author has withdrawn their consent)")
    return item.text


def item_line(t: Translator, item: ItemPart, *, limit: int | None = None) -> Line:
    words = shorten(item_text(t, item), limit) if limit else clean(item_text(t, item))
    extra = [t._("from {user}").format(user=item.author)]
    if item.assignee:
        extra.append(t._("for {user}").format(user=item.assignee))
    if item.due:
        extra.append(t._("by {date}").format(
            date=format_date(item.due, format="full", locale=t.locale)))
    if item.meeting is not None:
        extra.append(meeting_name(t, item.meeting, None))
    return [text(f"{item.number}. {words} ({', '.join(extra)})")]


def item_section(report: SalonReport, layout: Layout) -> list[Block]:
    t = layout.t
    blocks: list[Block] = [[_heading(layout, 1), t._("Items from the minutes")]]
    if not report.items:
        blocks.append(["para", [text(t._("No items were added."))]])
        return blocks
    shown = 0
    for kind in ITEM_KINDS:
        found = [i for i in report.items if i.kind == kind]
        if layout.in_room:
            found = found[:max(0, ITEMS_IN_ROOM - shown)]
        if not found:
            continue
        shown += len(found)
        blocks.append([_heading(layout, 2), t._(ITEM_KIND_LABELS[kind])])
        blocks.append(["ul", [item_line(t, i, limit=ITEM_TEXT_IN_ROOM if layout.in_room
                                        else None) for i in found]])
    if len(report.items) > shown:
        blocks.append(["para", [text(t.ngettext(
            "… and {n} more item: the attached report has them all.",
            "… and {n} more items: the attached report has them all.",
            len(report.items) - shown).format(n=len(report.items) - shown))]])
    return blocks


def outcome_blocks(report: SalonReport, layout: Layout) -> list[Block]:
    t = layout.t
    blocks: list[Block] = [[_heading(layout, 1), t._("Outcomes for the municipality")]]
    if not report.outcomes:
        blocks.append(["para", [text(t._("The salon sent no outcomes to the municipality."))]])
        return blocks
    for outcome in report.outcomes:
        kind = kind_name(t, outcome.kind)
        blocks.append([_heading(layout, 2), f"{outcome.ref}: {kind[:1].upper()}{kind[1:]}"])
        blocks.append(["para", [text(clean(outcome.text))]])
        blocks.append(["para", [bold(t._("Status:")),
                                text(" " + status_name(t, outcome.status))]])
        if outcome.answer:
            blocks.append(["para", [bold(t._("The municipality's answer:")),
                                    text(" " + clean(outcome.answer))]])
        steps = []
        for step in outcome.history:
            line = t._("{when}: {status}, by {who}").format(
                when=moment_words(layout, step.at), status=status_name(t, step.status),
                who=actor_words(t, step.by))
            if step.text and step.action != "submitted":
                line += " · " + clean(step.text)
            steps.append([text(line)])
        if steps:
            blocks.append(["para", [text(t._("History:"))]])
            blocks.append(["ul", steps])
    return blocks


def summary_section(report: SalonReport, layout: Layout) -> list[Block]:
    t = layout.t
    blocks: list[Block] = [[_heading(layout, 1), t._("Summary of the discussion")]]
    if not report.summaries:
        blocks.append(["para", [text(t._("No summary was made: nothing was recorded, or "
                                         "nobody asked for one."))]])
        return blocks
    for part in report.summaries:
        heading = _heading(layout, 2)
        blocks.append([heading, t._("Summary of {what}, {when}").format(
            what=meeting_name(t, part.meeting, part.meeting_title),
            when=day_words(layout, part.started_at))])
        if part.withdrawn:
            blocks.append(["para", [text(t._(
                "Left out: someone whose words this summary drew on has since withdrawn "
                "their consent. A host can ask for a new summary in the salon."))]])
            continue
        # The summary's own headings (key points, open questions) go one level below it.
        levels = ("title", "heading", "subheading", "minor")
        blocks += [_clear_links(t, block)
                   for block in nested(part.blocks, levels[levels.index(heading) - 1])]
    return blocks


def _clear_links(t: Translator, block: Block) -> Block:
    """A summary links each point to its messages by their time (``19.04``); read out of
    context (a screen reader's list of links) that says little, so the label says it is a
    message, and at what time."""
    kind, body = block[0], block[1]

    def relabel(line: Line) -> Line:
        return [anchor(t._("message at {time}").format(time=s[1]), s[2]) if s[0] == "a" else s
                for s in line]

    if kind == "para":
        return [kind, relabel(body)]
    if kind == "ul":
        return [kind, [relabel(line) for line in body]]
    return block


def in_room_cut(report: SalonReport) -> bool:
    """Whether the chat message leaves something out (then the full report goes along)."""
    return len(report.items) > ITEMS_IN_ROOM or any(
        len(i.text or "") > ITEM_TEXT_IN_ROOM for i in report.items)


# --- the index of an export ----------------------------------------------------------------


@dataclass(frozen=True)
class IndexRow:
    """What the index shows of a salon; kept instead of the whole report, so an export of
    many salons holds one report at a time."""

    id: int
    title: str
    is_open: bool
    created_at: datetime
    closed_at: datetime | None
    held: int
    participants: int
    items: int
    outcomes: int
    waiting: int
    file: str

    @classmethod
    def of(cls, report: SalonReport, file: str) -> IndexRow:
        return cls(id=report.id, title=report.title, is_open=report.is_open,
                   created_at=report.created_at, closed_at=report.closed_at,
                   held=len(report.held), participants=report.participants,
                   items=len(report.items), outcomes=len(report.outcomes),
                   waiting=len(report.open_outcomes), file=file)


def index_title(t: Translator) -> str:
    return t._("Citizen salons: reports for the municipality")


def index_blocks(rows: Sequence[IndexRow], layout: Layout, now: datetime) -> list[Block]:
    t = layout.t
    blocks: list[Block] = [["title", index_title(t)]]
    blocks.append(["para", [text(t.ngettext(
        "Exported on {when}: {n} salon.", "Exported on {when}: {n} salons.", len(rows)).format(
        when=moment_words(layout, now), n=len(rows)))]])
    if not rows:
        blocks.append(["para", [text(t._("There are no salons in this export."))]])
        return blocks
    head = [t._("Salon"), t._("Status"), t._("Opened"), t._("Closed"), t._("Meetings held"),
            t._("Participants"), t._("Items"), t._("Outcomes"),
            t._("Waiting for the municipality")]
    table = []
    for row in rows:
        table.append([
            [anchor(t._("#{id} “{title}”").format(id=row.id, title=row.title), row.file)],
            [text(t._("open") if row.is_open else t._("closed"))],
            [text(day_words(layout, row.created_at))],
            [text(day_words(layout, row.closed_at) if row.closed_at else "-")],
            [text(str(row.held))], [text(str(row.participants))], [text(str(row.items))],
            [text(str(row.outcomes))], [text(str(row.waiting))],
        ])
    blocks.append(["table", [t._("The salons in this export"), head, table]])
    blocks.append(["para", [text(t._(
        "Each salon has a page of its own: its meetings, minutes, items, outcomes with the "
        "municipality's answers, and summary."))]])
    return blocks
