"""What people type to name a salon (``#12``, ``12``, a room id) and the salon it names."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Salon

_NUMBER = re.compile(r"^#?(\d{1,9})$")
_ROOM_ID = re.compile(r"^![^:\s]+:\S+$")
_ALIAS = re.compile(r"^#[^:\s]+:\S+$")


class BadReference(ValueError):
    """The text cannot name a salon at all."""


class AliasReference(ValueError):
    """A room alias: a salon cannot be found by it yet (no alias lookup in the RoomPort)."""


def find_salon(session: Session, text: str) -> Salon | None:
    """The salon ``text`` names, or None; raises when ``text`` is no reference at all."""
    text = text.strip()
    number = _NUMBER.match(text)
    if number:
        return session.get(Salon, int(number.group(1)))
    if _ROOM_ID.match(text):
        return session.scalar(select(Salon).where(Salon.room_id == text))
    if _ALIAS.match(text):
        raise AliasReference(text)
    raise BadReference(text)
