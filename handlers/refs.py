"""What people type to name a salon (``#12``, ``12``, a room id or alias) and the salon."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Salon
from bot.rooms import RoomPort

_NUMBER = re.compile(r"^#?(\d{1,9})$")
_ROOM_ID = re.compile(r"^![^\s]+$")  # room version 12 ids have no ":server" part
_ALIAS = re.compile(r"^#[^:\s]+:\S+$")


class BadReference(ValueError):
    """The text cannot name a salon at all."""


async def find_salon(session: Session, rooms: RoomPort, text: str) -> Salon | None:
    """The salon ``text`` names, or None; raises when ``text`` is no reference at all."""
    text = text.strip()
    number = _NUMBER.match(text)
    if number:
        return session.get(Salon, int(number.group(1)))
    if _ALIAS.match(text):
        room_id = await rooms.resolve_alias(text)
        return session.scalar(select(Salon).where(Salon.room_id == room_id)) if room_id else None
    if _ROOM_ID.match(text):
        return session.scalar(select(Salon).where(Salon.room_id == text))
    raise BadReference(text)
