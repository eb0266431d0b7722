"""The schema the municipality picks up: the same on SQLite and PostgreSQL.

Tables holding personal data (a Matrix user id or text a person wrote) say so in their
docstring; ``forget-me`` must reach each of them.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TITLE_MAX = 120


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite forgets the zone, so it is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use bot.clock")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SalonStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Role(enum.StrEnum):
    """What a person is in the salon, counted in reports."""

    CITIZEN = "citizen"
    POLITICIAN = "politician"
    STAFF = "staff"


class Standing(enum.StrEnum):
    """What a person may do in the salon."""

    HOST = "host"
    COHOST = "cohost"
    PARTICIPANT = "participant"


class MemberStatus(enum.StrEnum):
    INVITED = "invited"
    JOINED = "joined"
    LEFT = "left"


class Salon(Base):
    """A salon and its room. ``created_by`` and the closing statement are personal data."""

    __tablename__ = "salons"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), info={"personal": "text"})
    topic: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=SalonStatus.OPEN.value)
    language: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closing_statement: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})

    members: Mapped[list[Member]] = relationship(
        back_populates="salon", cascade="all, delete-orphan", order_by="Member.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status == SalonStatus.OPEN.value

    def active_members(self) -> list[Member]:
        return [m for m in self.members if m.status != MemberStatus.LEFT.value]

    def member(self, user_id: str) -> Member | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def hosts(self) -> list[Member]:
        """Hosts and co-hosts: in the room, invited, or away (the last host keeps the standing
        while out of the room, see ``Member.leave``)."""
        return [m for m in self.members if m.is_host]

    def joined_hosts(self) -> list[Member]:
        """Hosts and co-hosts who are in the room: only they can run the salon."""
        return [m for m in self.hosts() if m.has_joined]

    def add_member(self, user_id: str, status: MemberStatus, at: datetime, *,
                   role: Role | None = None, invited_by: str | None = None) -> Member:
        """The one way a person becomes a member, or comes back as one.

        A newcomer is a participant. Someone coming back keeps the standing ``Member.leave``
        left them: a host who handed it over returns as a participant, the last host returns
        as host. A returning person keeps their role unless ``role`` names a new one.
        """
        member = self.member(user_id)
        if member is None:
            member = Member(user_id=user_id, role=(role or Role.CITIZEN).value,
                            standing=Standing.PARTICIPANT.value)
            self.members.append(member)
        elif role is not None:
            member.role = role.value
        member.status = status.value
        if status is MemberStatus.JOINED:
            member.joined_at = at
        elif status is MemberStatus.INVITED:
            member.invited_at = at
        if invited_by is not None:
            member.invited_by = invited_by
        return member


class Member(Base):
    """A person in a salon: personal data (user id). Consent lives in ``consents``."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("salon_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    role: Mapped[str] = mapped_column(String(16), default=Role.CITIZEN.value)
    standing: Mapped[str] = mapped_column(String(16), default=Standing.PARTICIPANT.value)
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.INVITED.value)
    invited_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    salon: Mapped[Salon] = relationship(back_populates="members")

    @property
    def is_host(self) -> bool:
        return self.standing in (Standing.HOST.value, Standing.COHOST.value)

    @property
    def has_joined(self) -> bool:
        return self.status == MemberStatus.JOINED.value

    def fellow_hosts(self) -> list[Member]:
        """The salon's other hosts and co-hosts who are in the room."""
        return [m for m in self.salon.joined_hosts() if m is not self]

    def leave(self, at: datetime) -> None:
        """Out of the room, by command, client, kick, ban or a declined invitation.

        A host or co-host hands the standing back only while another host is in the room, and
        then comes back as a participant. The last host keeps it while away, so the salon is
        never left without anyone who may run it, and they are host again when they return.
        """
        others = self.fellow_hosts()
        self.status = MemberStatus.LEFT.value
        self.left_at = at
        if others:
            self.standing = Standing.PARTICIPANT.value


class UserSetting(Base):
    """Per-person settings: personal data (user id)."""

    __tablename__ = "user_settings"

    user_id: Mapped[str] = mapped_column(String(255), primary_key=True, info={"personal": "user"})
    language: Mapped[str | None] = mapped_column(String(8))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RoomSetting(Base):
    """The language of a shared room that is not a salon (a lobby, the staff room).

    A salon's language lives on the salon; a person's own choice beats both.
    """

    __tablename__ = "room_settings"

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    language: Mapped[str | None] = mapped_column(String(8))


class SyncState(Base):
    """The bot's own position in the event stream, so a restart resumes where it stopped."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True, info={"personal": "none"})
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HandledEvent(Base):
    """Ids of events already acted on, so nothing is answered twice after a restart."""

    __tablename__ = "handled_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class OutboxMessage(Base):
    """A reply decided but not yet delivered: personal data (it may quote people).

    Staged in the same transaction that records its command as handled, deleted once the
    homeserver has it, so a crash in between re-sends it rather than losing it.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    txn_id: Mapped[str] = mapped_column(String(64), unique=True)
    origin_room: Mapped[str] = mapped_column(String(255))
    room_id: Mapped[str | None] = mapped_column(String(255))
    reply_to: Mapped[str | None] = mapped_column(String(255))
    direct_to: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    source: Mapped[str] = mapped_column(Text, info={"personal": "mentions"})
    extra: Mapped[str] = mapped_column(Text, default="{}", info={"personal": "mentions"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Not sent before this time (a message the bot posts on its own, at a time).
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: Who asked for it (the command's sender): told in a direct chat if it is given up.
    requested_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    #: Once sent, the event is watched under this key (see ``WatchedEvent``).
    watch_key: Mapped[str | None] = mapped_column(String(255), info={"personal": "mentions"})
    #: Set aside after too many failures: kept for the operator, never tried again.
    set_aside_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text, info={"personal": "mentions"})


class JobState(enum.StrEnum):
    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    FAILED = "failed"


class ScheduledJob(Base):
    """Work the bot will do at a time (a reminder, a nudge, a sweep): the scheduler fires
    only what is here, so forget-me reaches it. ``person`` and ``payload`` may name a
    person: personal data.

    ``(kind, key)`` names the job for what it is (``meeting:12:reminder:3600``), so asking
    for it again replaces it instead of adding a second one; ``revision`` grows with every
    change, and a timer set for an older revision does nothing when it fires.
    """

    __tablename__ = "scheduled_jobs"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255), info={"personal": "mentions"})
    room_id: Mapped[str | None] = mapped_column(String(255))
    person: Mapped[str | None] = mapped_column(String(255), index=True, info={"personal": "user"})
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    useful_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payload: Mapped[str] = mapped_column(Text, default="{}", info={"personal": "mentions"})
    state: Mapped[str] = mapped_column(String(16), default=JobState.PENDING.value, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WatchedEvent(Base):
    """An event the bot cares about after it was sent (an announcement whose reactions are
    answers, a poll, a consent notice, a command whose record depends on it). Events that
    relate to one of these reach the hooks; other talk costs nothing. No personal data."""

    __tablename__ = "watched_events"

    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    room_id: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "mentions"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecordingRoom(Base):
    """A room that records, or once did: while ``active`` its ordinary talk goes to the
    ``talk`` hooks (minutes being taken); afterwards edits and removals there still reach the
    ``edit`` and ``redaction`` hooks, which look the message up among what was recorded.
    ``started_by`` is personal data."""

    __tablename__ = "recording_rooms"

    room_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    started_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    active: Mapped[bool] = mapped_column(Boolean, default=True, info={"personal": "none"})


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class RsvpAnswer(enum.StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


class MeetingSeries(Base):
    """A weekly meeting (``every thursday 19:00 until 1 March``): its occurrences are rows of
    ``meetings`` that keep the local wall-clock time. ``created_by`` is personal data."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    local_time: Mapped[str] = mapped_column(String(5))
    until: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED.value)
    created_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Meeting(Base):
    """A meeting of a salon. ``number`` is what people type (``reschedule 3``), counted per
    salon. ``sequence`` grows with every change (the calendar's SEQUENCE). ``created_by``,
    the title and the place are text a host wrote: personal data."""

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("salon_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    title: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    place: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    url: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64))
    capacity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.SCHEDULED.value)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    rsvps: Mapped[list[Rsvp]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Rsvp.id")

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED.value


class Rsvp(Base):
    """A person's answer to a meeting: personal data (user id). The last answer counts;
    ``waitlisted`` yeses wait for a place, first come first served (``answered_at``)."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    answer: Mapped[str] = mapped_column(String(8))
    waitlisted: Mapped[bool] = mapped_column(Boolean, default=False)
    via: Mapped[str] = mapped_column(String(16))
    reaction_event_id: Mapped[str | None] = mapped_column(String(255))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting] = relationship(back_populates="rsvps")


class FindTimePoll(Base):
    """A ``findtime`` poll: the times offered (JSON, UTC ISO), open until closed.
    ``created_by`` is personal data."""

    __tablename__ = "findtime_polls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    options: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"))


class PollVote(Base):
    """One person's choice of one time in a poll: personal data (user id). ``via`` is
    ``poll`` (a poll answer: the person's latest answer replaces their poll votes) or
    ``reaction`` (a keycap; its event id, so removing the reaction withdraws it)."""

    __tablename__ = "poll_votes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("findtime_polls.id", ondelete="CASCADE"),
                                         index=True)
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    option: Mapped[int] = mapped_column(Integer)
    via: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str | None] = mapped_column(String(255))
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConsentLevel(enum.StrEnum):
    """What a person allows: nothing recorded, recorded under a pseudonym, or with a name."""

    NONE = "none"
    YES = "yes"
    NAMED = "named"


class Consent(Base):
    """One consent decision, kept as a record: who, for which salon (NULL: every salon of
    theirs without a choice of its own, given in a direct chat), what level, when and how
    (``command``, ``reaction``, ``migrated``). The latest decision counts; withdrawing is a
    decision with level ``none``. Personal data (user id)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    salon_id: Mapped[int | None] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"),
                                                 index=True)
    level: Mapped[str] = mapped_column(String(8))
    via: Mapped[str] = mapped_column(String(16))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Capture(Base):
    """Minutes being taken (``start`` … ``end``) in a salon, for a meeting or ad hoc.
    ``started_by`` is personal data."""

    __tablename__ = "captures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    started_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def running(self) -> bool:
        return self.ended_at is None


class RecordedMessage(Base):
    """A message of someone who consented, recorded while minutes were taken: personal data
    (user id and text). The text is deleted after ``privacy.retention_days``
    (``text_deleted_at``); an edit updates it, a redaction removes the row."""

    __tablename__ = "recorded_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id", ondelete="CASCADE"),
                                            index=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    role: Mapped[str] = mapped_column(String(16))
    body: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    reply_to: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    text_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CaptureCount(Base):
    """How many messages people of one role wrote during a capture without consent: only the
    number is kept, no text and no user id."""

    __tablename__ = "capture_counts"

    capture_id: Mapped[int] = mapped_column(ForeignKey("captures.id", ondelete="CASCADE"),
                                            primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)
    messages: Mapped[int] = mapped_column(Integer, default=0)


class MinuteItem(Base):
    """A structured minute item (idea, question, agree, action, note, proposal) by someone
    who consented: personal data (author, assignee, text). ``event_id`` is the command
    message, so redacting it removes the item."""

    __tablename__ = "minute_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id", ondelete="SET NULL"),
                                                   index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, info={"personal": "text"})
    user_id: Mapped[str] = mapped_column(String(255), index=True, info={"personal": "user"})
    assignee: Mapped[str | None] = mapped_column(String(255), index=True, info={"personal": "user"})
    due: Mapped[date | None] = mapped_column(Date)
    event_id: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StoredSummary(Base):
    """A summary as it was posted, so staff read the same text: method, version, language,
    time and the capture it covers. The text may quote people who consented (personal data);
    forget-me regenerates it without them."""

    __tablename__ = "summaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    capture_id: Mapped[int | None] = mapped_column(ForeignKey("captures.id", ondelete="SET NULL"),
                                                   index=True)
    method: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text, info={"personal": "mentions"})
    data: Mapped[str] = mapped_column(Text, default="{}", info={"personal": "mentions"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class OutcomeKind(enum.StrEnum):
    PROPOSAL = "proposal"
    RECOMMENDATION = "recommendation"
    QUESTION = "question"


class OutcomeStatus(enum.StrEnum):
    """Where an outcome stands with the municipality. ``submitted`` is where every outcome
    starts (sent, not yet taken up); staff move it on with ``status`` and ``respond``."""

    SUBMITTED = "submitted"
    RECEIVED = "received"
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    DECLINED = "declined"


#: Statuses after which nobody waits for the municipality any more.
SETTLED = frozenset({OutcomeStatus.ANSWERED.value, OutcomeStatus.DECLINED.value})


class Outcome(Base):
    """A salon's formal outcome for the municipality (``U-12``: the id), tracked until staff
    answer it. The text is the hosts' words and ``created_by`` a person: personal data. The
    current status and answer are kept here for reading; ``outcome_events`` is the history."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default=OutcomeKind.PROPOSAL.value)
    text: Mapped[str] = mapped_column(Text, info={"personal": "text"})
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("minute_items.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default=OutcomeStatus.SUBMITTED.value,
                                        index=True)
    answer: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    created_by: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    events: Mapped[list[OutcomeEvent]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="OutcomeEvent.id")

    @property
    def ref(self) -> str:
        return f"U-{self.id}"

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED


class OutcomeEvent(Base):
    """One step in an outcome's history: submitted, a status set by staff (with a reason) or
    an answer (with its text), who did it and when. ``by_user`` is a person and the text
    their words: personal data; ``by_role`` is what the salon is shown (staff by role)."""

    __tablename__ = "outcome_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"),
                                            index=True)
    #: ``submitted``, ``status`` or ``answer``.
    action: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text, info={"personal": "text"})
    by_user: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    by_role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    outcome: Mapped[Outcome] = relationship(back_populates="events")


class FinalReport(Base):
    """The report ``close`` writes (meetings, attendance, items, outcomes, summary), stored
    as posted. It names people who chose ``consent named``: personal data (mentions)."""

    __tablename__ = "final_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    salon_id: Mapped[int] = mapped_column(ForeignKey("salons.id", ondelete="CASCADE"),
                                          unique=True)
    language: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text, info={"personal": "mentions"})
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ExportRecord(Base):
    """An export made (who, what, since, when), listed in ``digest``. ``by_user`` is the
    staff member (NULL from the command line): personal data."""

    __tablename__ = "exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    by_user: Mapped[str | None] = mapped_column(String(255), info={"personal": "user"})
    #: ``staff-room`` or ``command-line``.
    via: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(8))
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    salon_id: Mapped[int | None] = mapped_column(ForeignKey("salons.id", ondelete="SET NULL"))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class InstallationSecret(Base):
    """Secrets of this installation, made once (the key behind export pseudonyms). No
    personal data: without the key a pseudonym cannot be traced back to a Matrix id."""

    __tablename__ = "installation_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True, info={"personal": "none"})
    value: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
