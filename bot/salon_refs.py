"""What people type to name a salon (``#12``, ``12``, a room id, a room alias), read once for
the handlers and the command line. A number or room id is looked up in the database; an
alias needs the homeserver, so only its reader (``handlers.refs``) resolves it."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Salon

NUMBER = re.compile(r"^#?(\d{1,9})$")
ROOM_ID = re.compile(r"^![^\s]+$")  # room version 12 ids have no ":server" part
ALIAS = re.compile(r"^#[^:\s]+:\S+$")


class BadReference(ValueError):
    """The text cannot name a salon at all."""


class NeedsHomeserver(ValueError):
    """The text is a room alias: only the homeserver knows which room it names."""


def stored_salon(session: Session, text: str) -> Salon | None:
    """The salon a number or room id names, or None; ``NeedsHomeserver`` for an alias,
    ``BadReference`` for text that is no reference."""
    text = text.strip()
    number = NUMBER.match(text)
    if number:
        return session.get(Salon, int(number.group(1)))
    if ALIAS.match(text):
        raise NeedsHomeserver(text)
    if ROOM_ID.match(text):
        return session.scalar(select(Salon).where(Salon.room_id == text))
    raise BadReference(text)
