"""How a person appears in an export or a report: by name (their Matrix id) only with
``consent named`` for that salon, otherwise by their installation-wide pseudonym.

Consent is read once for everyone (the latest decision per person and salon, the general one
as fallback, as ``bot.consent`` decides it one at a time), so a large export asks no query
per row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Consent, ConsentLevel
from bot.privacy import USER_ID
from bot.pseudonyms import Pseudonyms


class People:
    def __init__(self, pseudonyms: Pseudonyms,
                 levels: dict[tuple[str, int | None], ConsentLevel]) -> None:
        self.pseudonym = pseudonyms
        self._levels = levels

    @classmethod
    def of(cls, session: Session, now: datetime) -> People:
        levels: dict[tuple[str, int | None], ConsentLevel] = {}
        rows = session.execute(select(Consent.user_id, Consent.salon_id, Consent.level)
                               .order_by(Consent.given_at, Consent.id))
        for user_id, salon_id, level in rows:
            levels[(user_id, salon_id)] = ConsentLevel(level)  # the latest wins
        return cls(Pseudonyms.of(session, now), levels)

    def level(self, user_id: str, salon_id: int | None) -> ConsentLevel:
        if salon_id is not None and (user_id, salon_id) in self._levels:
            return self._levels[(user_id, salon_id)]
        return self._levels.get((user_id, None), ConsentLevel.NONE)

    def is_named(self, user_id: str, salon_id: int | None) -> bool:
        return self.level(user_id, salon_id) is ConsentLevel.NAMED

    def allows_text(self, user_id: str, salon_id: int | None) -> bool:
        """Whether the person's own words may appear (they said yes or named)."""
        return self.level(user_id, salon_id) is not ConsentLevel.NONE

    def name(self, user_id: str | None, salon_id: int | None) -> str | None:
        """The name shown, or None (no name) when only the pseudonym may be."""
        if user_id is None or not self.is_named(user_id, salon_id):
            return None
        return user_id

    def shown(self, user_id: str | None, salon_id: int | None) -> str:
        """The name with consent, else the pseudonym; empty for nobody."""
        if user_id is None:
            return ""
        return self.name(user_id, salon_id) or self.pseudonym(user_id)

    def masked(self, text: str | None, salon_id: int | None) -> str | None:
        """``text`` with every Matrix id in it shown as ``shown`` shows that person (an
        outcome's answer, a summary, an item that names someone)."""
        if not text or "@" not in text:
            return text
        return USER_ID.sub(lambda m: self.shown(m.group(0), salon_id), text)
