"""Messages that are decided but not yet delivered, kept in the database.

A command's replies are staged in the same transaction that records the command as handled
(and commits the handler's changes); a scheduled job's messages in the transaction that marks
the job done. Then they are sent. A crash between the two leaves them here and they are sent
at the next start. Their transaction ids are derived from what they are (the command's event
id, or the job and the time it was due), so if the homeserver had already accepted one before
the crash it answers with the existing event instead of posting it twice. Synapse remembers a
device's transaction ids for 24 hours (``event_txn_id_device_id``), so a message is given up
well inside that (``sender.GIVE_UP_AFTER``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from bot.db import Database, OutboxMessage
from bot.replies import Attachment, Reply

#: How long a message that was set aside is kept for the operator to look at.
KEEP_SET_ASIDE = timedelta(days=7)

# What runs for every message, built once and on the table itself: no ORM objects to load,
# flush or synchronise, and each statement's cache key computed once.
_OUTBOX = OutboxMessage.__table__
_STAGED = select(_OUTBOX.c.id).where(_OUTBOX.c.txn_id == bindparam("txn"))
_STAGE = insert(_OUTBOX)
_LIVE = _OUTBOX.c.set_aside_at.is_(None)
_DUE = (select(_OUTBOX)
        .where(_LIVE, or_(_OUTBOX.c.not_before.is_(None),
                          _OUTBOX.c.not_before <= bindparam("now")))
        .order_by(_OUTBOX.c.id))
_NEXT_DUE = select(func.min(_OUTBOX.c.not_before)).where(
    _LIVE, _OUTBOX.c.not_before > bindparam("now"))
_REMOVE = delete(_OUTBOX).where(_OUTBOX.c.txn_id == bindparam("txn"))


#: Where a reply's file waits in ``extra`` until the sender uploads it.
ATTACHMENT = "salonbot.attachment"


def transaction_id(key: str | None, index: int) -> str:
    """Stable per (what it answers or is, reply number), so a resend is recognised."""
    if key is None:
        return "salonbot-" + uuid.uuid4().hex
    digest = hashlib.sha256(f"{key}\x00{index}".encode()).hexdigest()[:32]
    return f"salonbot-{digest}"


@dataclass
class OutgoingReply:
    txn_id: str
    source: str
    origin_room: str
    room_id: str | None
    reply_to: str | None
    created: datetime
    direct_to: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0
    not_before: datetime | None = None
    requested_by: str | None = None
    watch_key: str | None = None
    #: Why the stored row cannot be read (its ``extra`` is not a JSON object): the sender
    #: sets it aside like any message that fails, instead of failing every flush.
    broken: str | None = None

    def as_reply(self) -> Reply:
        extra = {k: v for k, v in self.extra.items() if k != ATTACHMENT}
        return Reply(self.source, room_id=self.room_id, direct_to=self.direct_to, extra=extra,
                     attachment=self.attachment())

    def attachment(self) -> Attachment | None:
        stored = self.extra.get(ATTACHMENT)
        if not isinstance(stored, dict):
            return None
        return Attachment(filename=str(stored["filename"]), mimetype=str(stored["mimetype"]),
                          data=base64.b64decode(stored["data"]))

    @property
    def due(self) -> datetime:
        """Since when it should have left: the homeserver can know it only from then."""
        return max(self.created, self.not_before) if self.not_before else self.created

    @property
    def target(self) -> str:
        """Where it goes, for keeping the order of messages to one place."""
        return self.room_id or f"direct:{self.direct_to}"

    @classmethod
    def from_row(cls, row: Any) -> OutgoingReply:
        """From an ``OutboxMessage`` or a row of its table."""
        broken = None
        try:
            extra = json.loads(row.extra or "{}")
        except ValueError as err:
            extra, broken = {}, f"unreadable extra: {err}"
        if not isinstance(extra, dict):
            extra, broken = {}, "unreadable extra: not an object"
        return cls(txn_id=row.txn_id, source=row.source, origin_room=row.origin_room,
                   room_id=row.room_id, reply_to=row.reply_to, created=row.created_at,
                   direct_to=row.direct_to, extra=extra, attempts=row.attempts,
                   not_before=row.not_before, requested_by=row.requested_by,
                   watch_key=row.watch_key, broken=broken)


def outgoing(replies: list[Reply], *, room_id: str, event_id: str | None, now: datetime,
             txn_key: str | None = None, requested_by: str | None = None
             ) -> list[OutgoingReply]:
    """Where each reply goes: back to the command as a reply (``event_id``), to another room,
    or to a direct chat. ``txn_key`` (default: the event id) is what the transaction ids
    are derived from."""
    items = []
    key = txn_key if txn_key is not None else event_id
    for index, reply in enumerate(replies):
        if reply.direct_to:
            target, reply_to = None, None
        elif reply.room_id and reply.room_id != room_id:
            target, reply_to = reply.room_id, None
        else:
            target, reply_to = room_id, event_id
        if reply.in_reply_to and target is not None:
            reply_to = reply.in_reply_to
        extra = json.loads(json.dumps(reply.extra, default=str))
        if reply.mentions:
            extra["m.mentions"] = {"user_ids": sorted(set(reply.mentions))}
        if reply.attachment is not None:
            extra[ATTACHMENT] = {"filename": reply.attachment.filename,
                                 "mimetype": reply.attachment.mimetype,
                                 "data": base64.b64encode(reply.attachment.data).decode()}
        items.append(OutgoingReply(
            txn_id=transaction_id(key, index), source=reply.source, origin_room=room_id,
            room_id=target, reply_to=reply_to, created=now, direct_to=reply.direct_to,
            extra=extra, not_before=reply.not_before,
            requested_by=None if reply.anonymous else requested_by,
            watch_key=reply.watch,
        ))
    return items


class Outbox:
    """The table of messages not yet delivered, and whether it can hold any due now.

    The sync loop asks for pending messages after every sync and every command; nearly
    always there are none, so once a look found nothing due, the table is not asked again
    until something is staged or the earliest held-back message falls due (``next_due``).
    A start looks once, for messages a crash left behind.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._may_hold = True
        self.next_due: datetime | None = None
        self._stagings = 0  # calls of stage() with messages, ever
        self._looked_at = -1  # ... when pending() last read the table

    def stage(self, session: Session, items: list[OutgoingReply]) -> None:
        """Adds messages in order; a transaction id already staged is left as it is."""
        if items:
            self._may_hold = True
            self._stagings += 1
        connection = session.connection() if items else None
        for item in items:
            assert connection is not None
            if connection.execute(_STAGED, {"txn": item.txn_id}).first() is not None:
                continue
            connection.execute(_STAGE, {
                "txn_id": item.txn_id, "origin_room": item.origin_room,
                "room_id": item.room_id, "reply_to": item.reply_to,
                "direct_to": item.direct_to, "source": item.source,
                "extra": json.dumps(item.extra, ensure_ascii=False),
                "created_at": item.created, "attempts": item.attempts,
                "not_before": item.not_before, "requested_by": item.requested_by,
                "watch_key": item.watch_key, "set_aside_at": None, "last_error": None,
            })

    def pending(self, now: datetime) -> list[OutgoingReply]:
        """Messages due now, in the order they were staged (set-aside ones never)."""
        if not self._may_hold and (self.next_due is None or self.next_due > now):
            return []
        self._looked_at = self._stagings
        with self.db.session() as session:
            connection = session.connection()
            found = [OutgoingReply.from_row(row)
                     for row in connection.execute(_DUE, {"now": now})]
            self.next_due = connection.execute(_NEXT_DUE, {"now": now}).scalar()
        self._may_hold = bool(found)
        return found

    def delivered(self) -> None:
        """Every message the last ``pending`` returned has left the table (sent or set
        aside): unless something was staged since, there is nothing to look for until the
        next stage or ``next_due``."""
        if self._stagings == self._looked_at:
            self._may_hold = False

    def update(self, item: OutgoingReply) -> None:
        with self.db.session() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.txn_id == item.txn_id)
                            .values(room_id=item.room_id, attempts=item.attempts))

    def set_aside(self, item: OutgoingReply, error: str, now: datetime) -> None:
        """Never tried again; kept for the operator (and reached by forget-me)."""
        with self.db.session() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.txn_id == item.txn_id)
                            .values(set_aside_at=now, last_error=error[:2000],
                                    attempts=item.attempts))

    def prune_set_aside(self, now: datetime) -> int:
        """Forgets messages set aside more than ``KEEP_SET_ASIDE`` ago (they name people)."""
        with self.db.session() as session:
            gone = session.execute(delete(OutboxMessage).where(
                OutboxMessage.set_aside_at < now - KEEP_SET_ASIDE))
            return int(getattr(gone, "rowcount", 0) or 0)

    def remove(self, item: OutgoingReply, session: Session | None = None) -> None:
        if session is not None:
            session.connection().execute(_REMOVE, {"txn": item.txn_id})
            return
        with self.db.session() as own:
            own.connection().execute(_REMOVE, {"txn": item.txn_id})
