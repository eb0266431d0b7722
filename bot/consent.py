"""Consent as a record: what a person allows for a salon, and since when.

Every decision is a row of ``consents``; the latest one counts. A choice made in a salon is
for that salon; one made in a direct chat (``salon_id`` None) is for all the person's salons
that have no choice of their own, now and later. Exports and minutes ask here; so does the
record path before it stores a word.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Consent, ConsentLevel


def _latest(session: Session, user_id: str, salon_id: int | None) -> Consent | None:
    where = Consent.salon_id.is_(None) if salon_id is None else Consent.salon_id == salon_id
    return session.scalar(select(Consent).where(Consent.user_id == user_id, where)
                          .order_by(Consent.given_at.desc(), Consent.id.desc()).limit(1))


def decision(session: Session, user_id: str, salon_id: int | None) -> Consent | None:
    """The decision that applies: the salon's own, else the general one, else None."""
    if salon_id is not None:
        own = _latest(session, user_id, salon_id)
        if own is not None:
            return own
    return _latest(session, user_id, None)


def level_of(session: Session, user_id: str, salon_id: int | None) -> ConsentLevel:
    found = decision(session, user_id, salon_id)
    return ConsentLevel(found.level) if found is not None else ConsentLevel.NONE


def allows_recording(level: ConsentLevel) -> bool:
    return level in (ConsentLevel.YES, ConsentLevel.NAMED)


def record(session: Session, *, user_id: str, salon_id: int | None, level: ConsentLevel,
           via: str, at: datetime) -> Consent:
    row = Consent(user_id=user_id, salon_id=salon_id, level=level.value, via=via, given_at=at)
    session.add(row)
    session.flush()
    return row
