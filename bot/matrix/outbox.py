"""Replies that are decided but not yet delivered, kept in the database.

A command's replies are staged in the same transaction that records the command as handled
(and, for commands, the same one that commits the handler's changes), then sent. A crash
between the two leaves them here and they are sent at the next start; their transaction ids
are derived from the command's event id, so if the homeserver had already received one
before the crash it answers with the existing event instead of posting it twice.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db import Database, OutboxMessage
from bot.replies import Reply


def transaction_id(event_id: str | None, index: int) -> str:
    """Stable per (command, reply) so that a resend is recognised by the homeserver."""
    if event_id is None:
        return "salonbot-" + uuid.uuid4().hex
    digest = hashlib.sha256(f"{event_id}\x00{index}".encode()).hexdigest()[:32]
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

    def as_reply(self) -> Reply:
        return Reply(self.source, room_id=self.room_id, direct_to=self.direct_to,
                     extra=dict(self.extra))

    @classmethod
    def from_row(cls, row: OutboxMessage) -> OutgoingReply:
        return cls(txn_id=row.txn_id, source=row.source, origin_room=row.origin_room,
                   room_id=row.room_id, reply_to=row.reply_to, created=row.created_at,
                   direct_to=row.direct_to, extra=json.loads(row.extra or "{}"),
                   attempts=row.attempts)


def outgoing(replies: list[Reply], *, room_id: str, event_id: str | None,
             now: datetime) -> list[OutgoingReply]:
    """Where each reply goes: back to the command as a reply, to another room, or to a DM."""
    items = []
    for index, reply in enumerate(replies):
        if reply.direct_to:
            target, reply_to = None, None
        elif reply.room_id and reply.room_id != room_id:
            target, reply_to = reply.room_id, None
        else:
            target, reply_to = room_id, event_id
        items.append(OutgoingReply(
            txn_id=transaction_id(event_id, index), source=reply.source, origin_room=room_id,
            room_id=target, reply_to=reply_to, created=now, direct_to=reply.direct_to,
            extra=json.loads(json.dumps(reply.extra, default=str)),
        ))
    return items


class Outbox:
    """The table of replies not yet delivered, and whether it can hold any.

    The sync loop asks for pending replies after every sync and every command; nearly
    always there are none, so once a look found the table empty it is not asked again
    until something is staged. A start looks once, for replies a crash left behind. This
    relies on staging and flushing happening in one task, one after the other, as the
    sync loop does.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._may_hold = True

    def stage(self, session: Session, items: list[OutgoingReply]) -> None:
        """Adds replies in order; a transaction id already staged is left as it is."""
        if items:
            self._may_hold = True
        for item in items:
            if session.scalar(select(OutboxMessage).where(OutboxMessage.txn_id == item.txn_id)):
                continue
            session.add(OutboxMessage(
                txn_id=item.txn_id, origin_room=item.origin_room, room_id=item.room_id,
                reply_to=item.reply_to, direct_to=item.direct_to, source=item.source,
                extra=json.dumps(item.extra, ensure_ascii=False), created_at=item.created,
                attempts=item.attempts,
            ))
            session.flush()

    def pending(self) -> list[OutgoingReply]:
        if not self._may_hold:
            return []
        with self.db.session() as session:
            rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            found = [OutgoingReply.from_row(row) for row in rows]
        self._may_hold = bool(found)
        return found

    def update(self, item: OutgoingReply) -> None:
        with self.db.session() as session:
            row = session.scalar(select(OutboxMessage).where(OutboxMessage.txn_id == item.txn_id))
            if row is not None:
                row.room_id = item.room_id
                row.attempts = item.attempts

    def remove(self, item: OutgoingReply) -> None:
        with self.db.session() as session:
            session.execute(delete(OutboxMessage).where(OutboxMessage.txn_id == item.txn_id))
