"""Test-side names for the citizen helpers (the helpers themselves live in ``bot.citizen``)
and the one way tests register a user on a test homeserver."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.citizen import *  # noqa: F403
from bot.citizen import MatrixActionError as MatrixTestError  # noqa: F401
from bot.citizen import __all__ as _citizen_all
from bot.localserver import LocalSynapse


@dataclass(frozen=True)
class TestUser:
    """A user registered on the test homeserver."""

    __test__ = False  # not a test class, even though the name starts with "Test"

    user_id: str
    password: str
    localpart: str


def register_user(server: LocalSynapse, prefix: str = "user", *,
                  admin: bool = False) -> TestUser:
    """A new user on ``server`` whose name no other test uses (tests share one server).

    The name is the prefix and digits, so ``allowed_users`` like ``@citizen\\d+:localhost``
    can single out one kind of user.
    """
    localpart = f"{prefix}{uuid.uuid4().int % 10**12:012d}"
    password = f"pw-{uuid.uuid4().hex}"
    return TestUser(server.register(localpart, password, admin=admin), password, localpart)


__all__ = [*_citizen_all, "MatrixTestError", "TestUser", "register_user"]
