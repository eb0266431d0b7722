"""Test-side names for the citizen helpers; the helpers themselves live in ``bot.citizen``."""

from __future__ import annotations

from dataclasses import dataclass

from bot.citizen import *  # noqa: F403
from bot.citizen import MatrixActionError as MatrixTestError  # noqa: F401
from bot.citizen import __all__ as _citizen_all


@dataclass(frozen=True)
class TestUser:
    """A user registered on the test homeserver."""

    __test__ = False  # not a test class, even though the name starts with "Test"

    user_id: str
    password: str
    localpart: str


__all__ = [*_citizen_all, "MatrixTestError", "TestUser"]
