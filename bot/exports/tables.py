"""The entity tables every tabular export writes: one table per entity, each field typed and
described, read as a stream.

Each table is a SQLAlchemy Core select (no ORM objects) read with ``yield_per``, so a
database of millions of rows is exported in bounded memory, and a function that turns one
database row into the exported values, in the order of the table's fields. What a person
may be shown is decided in ``bot.exports.scope`` (the rules the readable reports follow
too), once for every format:

- a user column becomes ``Scope.shown``: the Matrix id only with ``consent named`` for that
  salon, else the installation's stable pseudonym; a Matrix id inside text is replaced the
  same way;
- a person's own words (a recorded message, a minute item) only while they consent (yes or
  named) now; a message's text also not once deleted by retention, nor when it is older than
  ``privacy.retention_days`` (the sweep may not have run yet), and never the quote of
  another person's message a reply carries (``message_text``);
- a summary that drew on the words of someone who has since withdrawn, without its text;
- staff in an outcome's history are shown by role; their name only with ``consent named``.

The column names are English snake_case and stable: machines read them. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, String, or_, select, type_coerce
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from bot.db import (
    Capture,
    ConsentLevel,
    Meeting,
    MeetingStatus,
    Member,
    MemberStatus,
    MinuteItem,
    Outcome,
    OutcomeEvent,
    OutcomeKind,
    OutcomeStatus,
    RecordedMessage,
    Role,
    Rsvp,
    RsvpAnswer,
    Salon,
    SalonStatus,
    Standing,
    StoredSummary,
)
from bot.db.models import UTCDateTime
from bot.exports.options import ExportOptions
from bot.exports.scope import Scope, message_text

#: The version of the tables' layout (the custom ``schema_version`` of the Data Package and
#: the JSON document): raised when a column is renamed, removed or changes meaning.
SCHEMA_VERSION = "1"
#: Rows fetched from the database at a time.
BATCH = 2000

TYPES = frozenset({"string", "integer", "number", "boolean", "date", "datetime"})


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    #: The values the field may hold (a Table Schema ``enum`` constraint); empty: any.
    values: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type


@dataclass(frozen=True)
class ForeignKey:
    field: str
    table: str
    reference: str = "id"


Convert = Callable[[Row[Any], Scope], tuple[Any, ...]]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    query: Callable[[ExportOptions], Select[Any]]
    convert: Convert
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = ()
    #: The timestamp ``--since`` filters on, in words (for the Data Package).
    since: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def rows(self, session: Session, scope: Scope, *,
             raw_times: bool = False) -> Iterator[tuple[Any, ...]]:
        """The exported values, row by row, streamed from the database. Times are aware
        UTC datetimes; with ``raw_times`` on SQLite they may instead be the stored text
        (``2026-03-05 17:00:00.000000``, UTC), which a writer of text turns into ISO 8601
        without making a datetime of each (a third of the time of a CSV export)."""
        if self.name == "summaries":
            scope.withdrawn_captures(session)
        statement = self.query(scope.options)
        if raw_times and session.get_bind().dialect.name == "sqlite":
            statement = statement.with_only_columns(
                *(type_coerce(c, String).label(c.name) if isinstance(c.type, UTCDateTime)
                  else c for c in statement.selected_columns), maintain_column_froms=True)
        statement = statement.execution_options(yield_per=BATCH, stream_results=True)
        convert = self.convert
        # On the session's connection, not through the ORM: plain rows, no ORM loading.
        for partition in session.connection().execute(statement).partitions(BATCH):
            for row in partition:
                yield convert(row, scope)


def _since(options: ExportOptions, *columns: Any) -> list[Any]:
    if options.since is None:
        return []
    return [or_(*(c >= options.since for c in columns))]


def _salon(options: ExportOptions, column: Any) -> list[Any]:
    return [] if options.salon_id is None else [column == options.salon_id]


# ------------------------------------------------------------------------------ salons

_SALONS = (
    Field("id", "integer", "The salon's number (#12 in the bot)."),
    Field("room_id", "string", "The Matrix room of the salon."),
    Field("title", "string", "The salon's title, as its host wrote it."),
    Field("topic", "string", "The salon's topic."),
    Field("is_public", "boolean", "Whether anyone may join the salon (listed publicly)."),
    Field("status", "string", "open or closed.", values=tuple(SalonStatus)),
    Field("language", "string", "The salon's language (da, nb, sv, en); empty: the default."),
    Field("timezone", "string", "The salon's time zone; empty: the bot's."),
    Field("created_by", "string", "Who opened the salon: their Matrix id with consent named, "
          "else their pseudonym (P-…)."),
    Field("created_at", "datetime", "When the salon was opened (UTC)."),
    Field("closed_at", "datetime", "When the salon was closed (UTC); empty while open."),
    Field("closing_statement", "string", "What the host wrote when closing the salon."),
)


def _salons_query(options: ExportOptions) -> Select[Any]:
    s = Salon
    return (select(s.id, s.room_id, s.title, s.topic, s.is_public, s.status, s.language,
                   s.timezone, s.created_by, s.created_at, s.closed_at, s.closing_statement)
            .where(*_salon(options, s.id), *_since(options, s.created_at, s.closed_at))
            .order_by(s.id))


def _salons_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    (sid, room_id, title, topic, public, status, language, zone, by, created, closed,
     statement) = row
    return (sid, room_id, scope.masked(title, sid), scope.masked(topic, sid), public, status,
            language, zone, scope.shown(by, sid), created, closed,
            scope.masked(statement, sid))


# ----------------------------------------------------------------------------- members

_MEMBERS = (
    Field("id", "integer", "The membership's number."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("person", "string", "The member: their Matrix id with consent named, else their "
          "pseudonym (P-…), the same in every export of this installation."),
    Field("role", "string", "citizen, politician or staff: what the person is in the salon.",
          values=tuple(Role)),
    Field("standing", "string", "host, cohost or participant: what the person may do.",
          values=tuple(Standing)),
    Field("status", "string", "invited, joined or left.", values=tuple(MemberStatus)),
    Field("consent", "string", "The person's consent in this salon now: none (only counted), "
          "yes (recorded under a pseudonym) or named (recorded with their name).",
          values=tuple(ConsentLevel)),
    Field("invited_by", "string", "Who invited them (Matrix id with consent named, else "
          "pseudonym)."),
    Field("invited_at", "datetime", "When they were invited (UTC)."),
    Field("joined_at", "datetime", "When they last joined (UTC)."),
    Field("left_at", "datetime", "When they last left (UTC)."),
)


def _members_query(options: ExportOptions) -> Select[Any]:
    m = Member
    return (select(m.id, m.salon_id, m.user_id, m.role, m.standing, m.status, m.invited_by,
                   m.invited_at, m.joined_at, m.left_at)
            .where(*_salon(options, m.salon_id),
                   *_since(options, m.invited_at, m.joined_at, m.left_at))
            .order_by(m.id))


def _members_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    mid, sid, user, role, standing, status, by, invited, joined, left = row
    return (mid, sid, scope.shown(user, sid), role, standing, status,
            scope.people.level(user, sid).value, scope.shown(by, sid), invited, joined, left)


# ---------------------------------------------------------------------------- meetings

_MEETINGS = (
    Field("id", "integer", "The meeting's id (its calendar UID is salonbot-meeting-<id>@…)."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("number", "integer", "The meeting's number within its salon."),
    Field("series_id", "integer", "The weekly series it belongs to; empty: a single meeting."),
    Field("title", "string", "The meeting's own title, if the host gave one."),
    Field("place", "string", "Where it takes place."),
    Field("url", "string", "The link of an online meeting."),
    Field("starts_at", "datetime", "When it starts (UTC)."),
    Field("ends_at", "datetime", "When it ends (UTC)."),
    Field("timezone", "string", "The zone its local time is kept in."),
    Field("capacity", "integer", "How many may answer yes; empty: no limit."),
    Field("status", "string", "scheduled or cancelled.", values=tuple(MeetingStatus)),
    Field("sequence", "integer", "How many times it was changed (the calendar's SEQUENCE)."),
    Field("created_by", "string", "The host who planned it (Matrix id with consent named, "
          "else pseudonym)."),
    Field("created_at", "datetime", "When it was planned (UTC)."),
    Field("updated_at", "datetime", "When it was last changed (UTC)."),
)


def _meetings_query(options: ExportOptions) -> Select[Any]:
    m = Meeting
    return (select(m.id, m.salon_id, m.number, m.series_id, m.title, m.place, m.url,
                   m.starts_at, m.ends_at, m.timezone, m.capacity, m.status, m.sequence,
                   m.created_by, m.created_at, m.updated_at)
            .where(*_salon(options, m.salon_id), *_since(options, m.updated_at, m.created_at))
            .order_by(m.id))


def _meetings_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    values = list(row)
    sid = values[1]
    for i in (4, 5, 6):
        values[i] = scope.masked(values[i], sid)
    values[13] = scope.shown(values[13], sid)
    return tuple(values)


# ------------------------------------------------------------------------------- rsvps

_RSVPS = (
    Field("id", "integer", "The answer's number."),
    Field("meeting_id", "integer", "The meeting (meetings.id)."),
    Field("salon_id", "integer", "The meeting's salon (salons.id)."),
    Field("person", "string", "Who answered (Matrix id with consent named, else pseudonym)."),
    Field("answer", "string", "yes, maybe or no: the person's last answer.",
          values=tuple(RsvpAnswer)),
    Field("waitlisted", "boolean", "A yes waiting for a place (the meeting was full)."),
    Field("via", "string", "How they answered: reaction or command."),
    Field("answered_at", "datetime", "When they answered (UTC)."),
)


def _rsvps_query(options: ExportOptions) -> Select[Any]:
    r = Rsvp
    return (select(r.id, r.meeting_id, Meeting.salon_id, r.user_id, r.answer, r.waitlisted,
                   r.via, r.answered_at)
            .join(Meeting, Meeting.id == r.meeting_id)
            .where(*_salon(options, Meeting.salon_id), *_since(options, r.answered_at))
            .order_by(r.id))


def _rsvps_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    rid, meeting, sid, user, answer, waitlisted, via, at = row
    return (rid, meeting, sid, scope.shown(user, sid), answer, waitlisted, via, at)


# ------------------------------------------------------------------------------- items

_ITEMS = (
    Field("id", "integer", "The item's id."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("meeting_id", "integer", "The meeting it was added in (meetings.id), if any."),
    Field("capture_id", "integer", "The minutes (capture) it was added in, if any."),
    Field("number", "integer", "The item's number within its salon (as items lists it)."),
    Field("kind", "string", "idea, question, agree, action, note or proposal."),
    Field("text", "string", "What the item says; empty when its author no longer consents."),
    Field("author", "string", "Who added it (Matrix id with consent named, else pseudonym)."),
    Field("assignee", "string", "Whom an action is given to (Matrix id with consent named, "
          "else pseudonym)."),
    Field("due", "date", "When an action is due."),
    Field("created_at", "datetime", "When it was added (UTC)."),
)


def _items_query(options: ExportOptions) -> Select[Any]:
    i = MinuteItem
    return (select(i.id, i.salon_id, i.meeting_id, i.capture_id, i.number, i.kind, i.text,
                   i.user_id, i.assignee, i.due, i.created_at)
            .where(*_salon(options, i.salon_id), *_since(options, i.created_at))
            .order_by(i.id))


def _items_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    iid, sid, meeting, capture, number, kind, text, user, assignee, due, at = row
    shown = scope.shown
    return (iid, sid, meeting, capture, number, kind, scope.words(user, sid, text),
            shown(user, sid), shown(assignee, sid), due, at)


# ---------------------------------------------------------------------------- outcomes

_OUTCOMES = (
    Field("id", "integer", "The outcome's id."),
    Field("ref", "string", "Its reference in the bot and the staff room (U-12)."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("kind", "string", "proposal, recommendation or question.",
          values=tuple(OutcomeKind)),
    Field("text", "string", "The outcome in the hosts' words."),
    Field("item_id", "integer", "The minute item it was made from (items.id), if any."),
    Field("status", "string", "submitted, received, in-progress, answered or declined.",
          values=tuple(OutcomeStatus)),
    Field("answer", "string", "The municipality's latest answer."),
    Field("created_by", "string", "The host who wrote it (Matrix id with consent named, else "
          "pseudonym)."),
    Field("created_at", "datetime", "When it was sent to the municipality (UTC)."),
    Field("answered_at", "datetime", "When it was answered (UTC)."),
    Field("updated_at", "datetime", "When its status or answer last changed (UTC)."),
)


def _outcomes_query(options: ExportOptions) -> Select[Any]:
    o = Outcome
    return (select(o.id, o.salon_id, o.kind, o.text, o.item_id, o.status, o.answer,
                   o.created_by, o.created_at, o.answered_at, o.updated_at)
            .where(*_salon(options, o.salon_id), *_since(options, o.updated_at, o.created_at))
            .order_by(o.id))


def _outcomes_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    oid, sid, kind, text, item, status, answer, by, created, answered, updated = row
    return (oid, f"U-{oid}", sid, kind, scope.masked(text, sid), item, status,
            scope.masked(answer, sid), scope.shown(by, sid), created, answered, updated)


_EVENTS = (
    Field("id", "integer", "The step's id."),
    Field("outcome_id", "integer", "The outcome (outcomes.id)."),
    Field("salon_id", "integer", "The outcome's salon (salons.id)."),
    Field("action", "string", "submitted, status or answer."),
    Field("status", "string", "The outcome's status after this step.",
          values=tuple(OutcomeStatus)),
    Field("text", "string", "The answer, or the reason given with a status."),
    Field("by_role", "string", "Who acted, by role (host, staff): how the salon is shown it."),
    Field("by_name", "string", "Who acted, by Matrix id: only with their consent named; "
          "otherwise empty."),
    Field("at", "datetime", "When (UTC)."),
)


def _events_query(options: ExportOptions) -> Select[Any]:
    e = OutcomeEvent
    return (select(e.id, e.outcome_id, Outcome.salon_id, e.action, e.status, e.text,
                   e.by_role, e.by_user, e.at)
            .join(Outcome, Outcome.id == e.outcome_id)
            .where(*_salon(options, Outcome.salon_id), *_since(options, e.at))
            .order_by(e.id))


def _events_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    eid, outcome, sid, action, status, text, role, by, at = row
    return (eid, outcome, sid, action, status, scope.masked(text, sid), role,
            scope.people.name(by, sid) or "", at)


# --------------------------------------------------------------------------- summaries

_SUMMARIES = (
    Field("id", "integer", "The summary's id."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("capture_id", "integer", "The minutes (capture) it summarises, if any."),
    Field("method", "string", "How it was made (extractive, llm, …)."),
    Field("version", "string", "The version of the method."),
    Field("language", "string", "The language it was written in."),
    Field("text", "string", "The summary as it was posted in the salon (Markdown); empty "
          "when someone whose words it drew on has since withdrawn their consent."),
    Field("created_at", "datetime", "When it was made (UTC)."),
)


def _summaries_query(options: ExportOptions) -> Select[Any]:
    s = StoredSummary
    return (select(s.id, s.salon_id, s.capture_id, s.method, s.version, s.language, s.source,
                   s.created_at)
            .where(*_salon(options, s.salon_id), *_since(options, s.created_at))
            .order_by(s.id))


def _summaries_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    values = list(row)
    values[6] = scope.summary_text(values[2], values[1], values[6])
    return tuple(values)


# ---------------------------------------------------------------------------- messages

_MESSAGES = (
    Field("id", "integer", "The recorded message's id."),
    Field("salon_id", "integer", "The salon (salons.id)."),
    Field("meeting_id", "integer", "The meeting whose minutes recorded it (meetings.id), if "
          "any."),
    Field("capture_id", "integer", "The minutes (capture) that recorded it."),
    Field("event_id", "string", "The Matrix event id of the message (what summaries link to)."),
    Field("reply_to", "string", "The event id of the recorded message it answers, if any."),
    Field("person", "string", "Who wrote it (Matrix id with consent named, else pseudonym)."),
    Field("role", "string", "The writer's role: citizen, politician or staff."),
    Field("text", "string", "What they wrote: only while they consent and within the "
          "retention period; empty otherwise."),
    Field("sent_at", "datetime", "When it was written (UTC)."),
    Field("edited_at", "datetime", "When it was last edited (UTC)."),
    Field("text_deleted_at", "datetime", "When its text was deleted by the retention rule."),
)


def _messages_query(options: ExportOptions) -> Select[Any]:
    r = RecordedMessage
    return (select(r.id, Capture.salon_id, Capture.meeting_id, r.capture_id, r.event_id,
                   r.reply_to, r.user_id, r.role, r.body, r.sent_at, r.edited_at,
                   r.text_deleted_at)
            .join(Capture, Capture.id == r.capture_id)
            .where(*_salon(options, Capture.salon_id),
                   *_since(options, r.sent_at, r.edited_at))
            .order_by(r.id))


def _messages_row(row: Row[Any], scope: Scope) -> tuple[Any, ...]:
    (mid, sid, meeting, capture, event, reply_to, user, role, body, sent, edited,
     deleted) = row
    return (mid, sid, meeting, capture, event, reply_to, scope.shown(user, sid), role,
            message_text(scope, user, sid, body, sent, deleted), sent, edited, deleted)


_SALON_KEY = (ForeignKey("salon_id", "salons"),)

TABLES: tuple[Table, ...] = (
    Table("salons", "Salons", "The citizen salons: one row each.", _SALONS,
          _salons_query, _salons_row, since="created_at or closed_at"),
    Table("members", "Members", "Who is in which salon, with role, standing and consent.",
          _MEMBERS, _members_query, _members_row, foreign_keys=_SALON_KEY,
          since="invited_at, joined_at or left_at"),
    Table("meetings", "Meetings", "The salons' meetings, cancelled ones too.", _MEETINGS,
          _meetings_query, _meetings_row, foreign_keys=_SALON_KEY,
          since="updated_at or created_at"),
    Table("rsvps", "Answers to meetings", "Who answered yes, maybe or no to which meeting.",
          _RSVPS, _rsvps_query, _rsvps_row,
          foreign_keys=(ForeignKey("meeting_id", "meetings"), *_SALON_KEY),
          since="answered_at"),
    Table("items", "Minute items", "Ideas, questions, agreements, actions, notes and "
          "proposals written down in the salons.", _ITEMS, _items_query, _items_row,
          foreign_keys=(*_SALON_KEY, ForeignKey("meeting_id", "meetings")),
          since="created_at"),
    Table("outcomes", "Outcomes", "What the salons concluded for the municipality, with "
          "their status and answer.", _OUTCOMES, _outcomes_query, _outcomes_row,
          foreign_keys=(*_SALON_KEY, ForeignKey("item_id", "items")),
          since="updated_at or created_at"),
    Table("outcome_events", "Outcome history", "Every step of an outcome: submitted, "
          "status changes and answers, who (by role) and when.", _EVENTS, _events_query,
          _events_row, foreign_keys=(ForeignKey("outcome_id", "outcomes"), *_SALON_KEY),
          since="at"),
    Table("summaries", "Summaries", "Summaries of the minutes, as they were posted.",
          _SUMMARIES, _summaries_query, _summaries_row, foreign_keys=_SALON_KEY,
          since="created_at"),
    Table("messages", "Recorded messages", "Messages recorded while minutes were taken, of "
          "people who consented; the text only within the retention period.", _MESSAGES,
          _messages_query, _messages_row,
          foreign_keys=(*_SALON_KEY, ForeignKey("meeting_id", "meetings")),
          since="sent_at or edited_at"),
)

BY_NAME = {table.name: table for table in TABLES}


def tables(names: Sequence[str] | None = None) -> tuple[Table, ...]:
    return TABLES if names is None else tuple(BY_NAME[n] for n in names)
