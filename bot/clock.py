"""The one clock: everything that asks for "now" asks here, so tests can hold time still."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to; for tests and scripted demos."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self._now += timedelta(**delta)


class MovableClock:
    """The system's time plus an offset a person can move forward (``salonbot chat``'s
    ``/wait``), so a reminder can be seen arriving without waiting for it."""

    def __init__(self) -> None:
        from datetime import timedelta

        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.offset += timedelta(**delta)
