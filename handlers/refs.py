"""A salon named the way people type it (``bot.salon_refs``), an alias resolved through the
homeserver."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Salon
from bot.rooms import RoomPort
from bot.salon_refs import BadReference, NeedsHomeserver, stored_salon

__all__ = ["BadReference", "find_salon"]


async def find_salon(session: Session, rooms: RoomPort, text: str) -> Salon | None:
    """The salon ``text`` names, or None; raises when ``text`` is no reference at all."""
    try:
        return stored_salon(session, text)
    except NeedsHomeserver:
        room_id = await rooms.resolve_alias(text.strip())
        return session.scalar(select(Salon).where(Salon.room_id == room_id)) if room_id else None
