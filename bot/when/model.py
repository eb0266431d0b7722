"""What reading a time gives back: a moment, a weekly series, or a refusal with a reason code.

Refusals carry codes, not sentences: the handler translates them in the reader's language, so
this package holds no user-facing text except what :mod:`bot.when.spell` writes through Babel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal

Reason = Literal["past", "ambiguous", "unreadable", "no-time"]
"""Why a text was refused. ``past``: it lies at or before now. ``ambiguous``: it can be read
in more than one way (an hour like 7 without am/pm, a weekday that is today, a local time that
daylight saving skips or repeats, a weekday that contradicts the date). ``unreadable``: not a
time we know how to read, or a date that does not exist. ``no-time``: a day without a time of
day, which we never fill in."""

Via = Literal["nordic", "iso", "dateparser"]
AmbiguousHours = Literal["refuse", "24h"]


@dataclass(frozen=True, slots=True)
class Moment:
    """One point in time, aware and in the salon's zone, built by zoneinfo from the local date
    and wall-clock time (never from an offset a parser produced)."""

    local: datetime
    via: Via = "nordic"


@dataclass(frozen=True, slots=True)
class Refusal:
    """A text we will not guess about. ``detail`` narrows the reason for the handler (e.g.
    ``hour``, ``dst-gap``, ``no-such-date``); ``examples`` are phrasings that would be read,
    in the writer's language and valid from now."""

    reason: Reason
    detail: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Series:
    """A weekly meeting: the weekday (0 = Monday), the local wall-clock time, the first
    occurrence (aware, in the zone), the last day it may fall on (inclusive) and the step
    in weeks (2 for "every other")."""

    weekday: int
    at: time
    first: datetime
    until: date | None = None
    interval: int = 1


Reading = Moment | Refusal
