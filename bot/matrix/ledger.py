"""What the bot has already done: its sync position and the events it acted on.

Both live in the bot's database, not in nio's store, so that they move together with the
salons they describe: the position is stored only after a whole batch is handled (and only
when it recorded something, or half a minute has passed; see ``sync.POSITION_EVERY_S``); every
event is recorded in the same transaction that stages its replies (see ``outbox``). After a
crash the bot syncs again from the last stored position and skips what it has recorded.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from bot.db import Database, HandledEvent, SyncState

NEXT_BATCH = "next_batch"

#: Recorded events older than the stored position by this much can never come again.
KEEP_BEYOND_POSITION = timedelta(days=2)


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
        moved = session.execute(update(SyncState).where(SyncState.key == NEXT_BATCH)
                                .values(value=token, updated_at=now))
        if not getattr(moved, "rowcount", 0):
            session.add(SyncState(key=NEXT_BATCH, value=token, updated_at=now))


def is_handled(session: Session, event_id: str) -> bool:
    return session.get(HandledEvent, event_id) is not None


def mark_handled(session: Session, event_id: str, room_id: str, now: datetime) -> None:
    session.add(HandledEvent(event_id=event_id, room_id=room_id, handled_at=now))


def prune_handled(db: Database) -> int:
    """Forget event ids that are far behind the stored position (they cannot be re-sent)."""
    with db.session() as session:
        position = session.get(SyncState, NEXT_BATCH)
        if position is None:
            return 0
        cutoff = position.updated_at - KEEP_BEYOND_POSITION
        result = session.execute(delete(HandledEvent).where(HandledEvent.handled_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
