"""What the bot has already done: its sync position and the events it acted on.

Both live in the bot's database, not in nio's store, so that they move together with the
salons they describe: the position is stored only after a whole batch is handled (and only
when it recorded something, or half a minute has passed; see ``sync.POSITION_EVERY_S``); every
event is recorded in the same transaction that stages its replies (see ``outbox``). After a
crash the bot syncs again from the last stored position and skips what it has recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from bot.db import Database, HandledEvent, SyncState

NEXT_BATCH = "next_batch"

#: Recorded events older than the stored position by this much can never come again.
KEEP_BEYOND_POSITION = timedelta(days=2)

# What runs for every command and every batch, built once: plain statements on the tables
# (no ORM objects to load, flush or synchronise, and the statement's cache key is computed
# once), which roughly halves the ledger's share of a command's CPU.
_HANDLED = HandledEvent.__table__
_IS_HANDLED = select(_HANDLED.c.event_id).where(_HANDLED.c.event_id == bindparam("event_id"))
_MARK_HANDLED = insert(_HANDLED)
_POSITION = SyncState.__table__
_MOVE_POSITION = (update(_POSITION).where(_POSITION.c.key == NEXT_BATCH)
                  .values(value=bindparam("token"), updated_at=bindparam("at")))
_ADD_POSITION = insert(_POSITION)


def load_position(db: Database) -> str | None:
    with db.session() as session:
        row = session.get(SyncState, NEXT_BATCH)
        return row.value if row else None


def position_time(db: Database) -> datetime | None:
    """When the stored position was stored: roughly when the bot last read its rooms."""
    with db.session() as session:
        row = session.get(SyncState, NEXT_BATCH)
        return row.updated_at if row else None


def save_position(db: Database, token: str, now: datetime) -> None:
    """One UPDATE per sync (an INSERT the first time): this runs after every sync."""
    with db.session() as session:
        connection = session.connection()
        moved = connection.execute(_MOVE_POSITION, {"token": token, "at": now})
        if not moved.rowcount:
            connection.execute(_ADD_POSITION, {"key": NEXT_BATCH, "value": token,
                                               "updated_at": now})


def is_handled(session: Session, event_id: str) -> bool:
    return session.connection().execute(_IS_HANDLED, {"event_id": event_id}).first() is not None


def mark_handled(session: Session, event_id: str, room_id: str, now: datetime) -> None:
    session.connection().execute(_MARK_HANDLED, {"event_id": event_id, "room_id": room_id,
                                                 "handled_at": now})


def prune_handled(db: Database) -> int:
    """Forget event ids that are far behind the stored position (they cannot be re-sent)."""
    with db.session() as session:
        position = session.get(SyncState, NEXT_BATCH)
        if position is None:
            return 0
        cutoff = position.updated_at - KEEP_BEYOND_POSITION
        result = session.execute(delete(HandledEvent).where(HandledEvent.handled_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
