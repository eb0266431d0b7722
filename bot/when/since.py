"""Reading ``since <date>`` (the digest, the exports): a day looking back, in the words hosts
and staff write ("1. marts", "mandag", "i går", "2026-03-01"), or an ISO time.

One reader for the staff room's ``digest`` and ``export`` and for ``salonbot export
--since``, so the same words mean the same day everywhere. Looking back: a weekday is the
last one before today, a day and month without a year the last such day. Anything unsure is
refused, never guessed; a day before ``EARLIEST`` (no salon is older) is refused too, which
also keeps a typo like ``0001-01-01`` away from the database's date range.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.when import nordic

#: The words that may come before the date (``since``, ``siden``, ``sedan``, ``fra`` …).
SINCE_WORDS: Final = frozenset({"since", "siden", "sedan", "fra", "från", "from"})
YESTERDAY_WORDS: Final = frozenset({"yesterday", "i går", "igår", "i gar", "igar"})
EARLIEST: Final = date(2000, 1, 1)


class NotSure(ValueError):
    """The text names no day for certain."""


class Ahead(ValueError):
    """The day is after today; these readers look back."""


class TooEarly(ValueError):
    """The day is before ``EARLIEST``."""


def without_since_word(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words after a leading ``since``/``siden``/… (unchanged when there is none)."""
    return words[1:] if words and words[0].casefold() in SINCE_WORDS else words


def past_day(text: str, today: date) -> date:
    """The day ``text`` names, looking back from ``today``."""
    text = " ".join(text.split())
    if text.casefold() in YESTERDAY_WORDS:
        return today - timedelta(days=1)
    try:
        day = _past_day(nordic.read_words(text), today)
    except (nordic.NotOurs, nordic.Refused, ValueError):
        raise NotSure(text) from None
    if day > today:
        raise Ahead(text)
    if day < EARLIEST:
        raise TooEarly(text)
    return day


def since_moment(text: str, zone: str, now: datetime) -> datetime:
    """``since`` as a moment: an ISO time (``2026-03-01T18:00``, in ``zone`` unless it names
    its own offset), else midnight in ``zone`` of the day ``past_day`` reads."""
    tz = ZoneInfo(zone)
    stripped = text.strip()
    if len(stripped) > 10 and stripped[:4].isdecimal():
        try:
            moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
        except ValueError:
            raise NotSure(text) from None
        moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
        if moment.date() < EARLIEST:
            raise TooEarly(text)
        if moment > now:
            raise Ahead(text)
        return moment
    day = past_day(stripped, now.astimezone(tz).date())
    return datetime(day.year, day.month, day.day, tzinfo=tz)


def _past_day(found: nordic.Words, today: date) -> date:
    """The day the words name, looking back from today; ``Refused`` when unsure."""
    if found.every or found.until is not None or found.clock is not None \
            or found.week != "plain" or found.lone_day is not None or len(found.dates) > 1:
        raise nordic.Refused("ambiguous")
    if found.relday is not None:
        day = today + timedelta(days=found.relday)
    elif found.dates:
        written = found.dates[0]
        if written.year is not None:
            day = date(written.year, written.month, written.day)
        else:
            # The last such day: this year's, or last year's once it is still ahead (29
            # February: the last year that had one).
            years = [y for y in range(today.year, today.year - 5, -1) if _exists(y, written)
                     and date(y, written.month, written.day) <= today]
            if not years:
                raise nordic.Refused("unreadable")
            day = date(years[0], written.month, written.day)
    elif found.weekday is not None:
        return today - timedelta(days=(today.weekday() - found.weekday) % 7 or 7)
    else:
        raise nordic.Refused("ambiguous")
    if found.weekday is not None and day.weekday() != found.weekday:
        raise nordic.Refused("ambiguous")
    return day


def _exists(year: int, written: nordic.CalDate) -> bool:
    try:
        date(year, written.month, written.day)
    except ValueError:
        return False
    return True
