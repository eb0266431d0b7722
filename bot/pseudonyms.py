"""Stable pseudonyms for exports: the same person gets the same code in every export of this
installation, and the code does not reveal their Matrix id.

The code is a keyed hash (HMAC-SHA256) of the user id with a secret made once per
installation and kept in the database (``installation_secrets``), never exported. Without
the key nobody can test guesses ("is P-… @anna:example.org?"), which a plain hash would allow;
with the same database the code stays the same, so a case worker can follow one person across
two exports without learning who they are.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from bot.db import InstallationSecret

SECRET_NAME = "pseudonym-key"
PREFIX = "P-"


def installation_key(session: Session, now: datetime) -> bytes:
    """The installation's pseudonym key, made on first use."""
    row = session.get(InstallationSecret, SECRET_NAME)
    if row is None:
        row = InstallationSecret(name=SECRET_NAME, value=secrets.token_hex(32), created_at=now)
        session.add(row)
        session.flush()
    return bytes.fromhex(row.value)


class Pseudonyms:
    """Codes for user ids under one key; cached, since an export asks for the same few
    people a million times."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._cache: dict[str, str] = {}

    @classmethod
    def of(cls, session: Session, now: datetime) -> Pseudonyms:
        return cls(installation_key(session, now))

    def __call__(self, user_id: str) -> str:
        code = self._cache.get(user_id)
        if code is None:
            digest = hmac.new(self._key, user_id.encode(), hashlib.sha256).digest()
            # 50 bits in base32 (no 0/1/8/9 look-alike confusion with O/I/B/g in the font
            # staff print with): collisions stay unlikely below millions of people.
            code = PREFIX + base64.b32encode(digest[:7]).decode()[:10]
            self._cache[user_id] = code
        return code
