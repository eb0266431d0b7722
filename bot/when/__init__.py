"""Reading the times hosts write ("torsdag kl. 19", "next Tuesday 7pm", "hver onsdag kl. 18"):
pure functions of the text, now, the salon's zone and the writer's language.

The common Nordic and English shapes are read by :mod:`bot.when.nordic` (its docstring lists
the rules for ambiguous input); dateparser only reads what that does not, and is held to the
time of day the text writes. Either way the final moment is built by zoneinfo from the local
date and wall-clock time, never from a parsed offset, so a time on the far side of a
daylight-saving change gets that day's offset. A local time the change skips or repeats is
refused as ambiguous (not silently shifted, not fold=0), as is anything else we cannot read
with certainty: never guessed. ISO with an offset ("2026-03-12T19:00+01:00") is taken only
when that is the zone's offset at that wall clock (it may then settle which of a repeated
hour is meant); any other offset or zone name (Z, CET, UTC) is refused, since the writer's
wall clock would not be the salon's. Refusal reasons and details are codes for the handler.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule

from bot.when import fallback, nordic
from bot.when.model import AmbiguousHours, Moment, Reading, Reason, Refusal, Series, Via
from bot.when.nordic import NotOurs, Refused, is_series
from bot.when.spell import examples, spell

__all__ = [
    "LANGUAGES",
    "AmbiguousHours",
    "Moment",
    "Reading",
    "Reason",
    "Refusal",
    "Series",
    "is_series",
    "occurrences",
    "read_series",
    "read_time",
    "spell",
]

LANGUAGES: Final = ("da", "nb", "sv", "en")

_ISO_PLAIN: Final = re.compile(r"\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}(?::\d{2})?")
_ISO_OFFSET: Final = re.compile(
    r"(?P<wall>\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s?"
    r"(?P<offset>z|[+-]\d{2}(?::?\d{2})?)"
)
_SERIES_CHECK: Final = timedelta(days=366)
"""How far ahead a series is checked for local times daylight saving skips or repeats: a
year holds every change the rules make."""


def read_time(
    text: str,
    *,
    now: datetime,
    zone: str,
    lang: str,
    ambiguous_hours: AmbiguousHours = "refuse",
) -> Reading:
    """One moment from what a host wrote, or a refusal with a reason code and examples."""
    tz, local_now = _setting(now, zone, lang)
    s = nordic.normalise(text)
    try:
        return _read_moment(s, tz, local_now, lang, ambiguous_hours)
    except Refused as refused:
        return _refusal(refused, s, tz, local_now, lang)


def read_series(
    text: str,
    *,
    now: datetime,
    zone: str,
    lang: str,
    ambiguous_hours: AmbiguousHours = "refuse",
) -> Series | Refusal:
    """A weekly series ("hver torsdag kl. 19 indtil 1. marts", "every other Tuesday 19:30").

    The first occurrence is the first after now (today's, if its time is still ahead); the
    until date is inclusive and, without a year, the first such day on or after the first
    occurrence. A series whose time daylight saving skips or repeats within a year is refused.
    """
    tz, local_now = _setting(now, zone, lang)
    s = nordic.normalise(text)
    try:
        return _read_series(s, tz, local_now, ambiguous_hours)
    except Refused as refused:
        return _refusal(refused, s, tz, local_now, lang, series=True)


def occurrences(series: Series, zone: str, limit: int) -> list[datetime]:
    """The first ``limit`` meetings of a series, each at the series' local wall-clock time in
    ``zone`` whatever the offset that day (rrule on naive local times, then zoneinfo). A day
    whose time daylight saving skips is left out; a repeated time is the first (fold=0)."""
    tz = ZoneInfo(zone)
    start = datetime.combine(series.first.astimezone(tz).date(), series.at)
    until = datetime.combine(series.until, time.max) if series.until else None
    rule = rrule(WEEKLY, interval=series.interval, dtstart=start, until=until)
    found: list[datetime] = []
    for naive in rule:
        if len(found) >= limit:
            break
        local = naive.replace(tzinfo=tz)
        if _exists(local):
            found.append(local)
    return found


# --- the parts --------------------------------------------------------------------------


def _setting(now: datetime, zone: str, lang: str) -> tuple[ZoneInfo, datetime]:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, got {lang!r}")
    tz = ZoneInfo(zone)
    return tz, now.astimezone(tz)


def _read_moment(
    s: str, tz: ZoneInfo, local_now: datetime, lang: str, policy: AmbiguousHours
) -> Moment:
    offset = _ISO_OFFSET.fullmatch(s)
    if offset is not None:
        return _iso_with_offset(offset, tz, local_now)
    try:
        words = nordic.read_words(s)
    except NotOurs:
        return _fallback(s, tz, local_now, lang, policy)
    if words.every or words.until is not None:
        raise Refused("unreadable", "series")
    hour, minute, second = nordic.clock_of(words, policy)
    day = nordic.day_of(words, local_now.date())
    via: Via = "iso" if _ISO_PLAIN.fullmatch(s) else "nordic"
    return _moment(day, time(hour, minute, second), tz, local_now, via)


def _read_series(s: str, tz: ZoneInfo, local_now: datetime, policy: AmbiguousHours) -> Series:
    today = local_now.date()
    try:
        words = nordic.read_words(s)
    except NotOurs:
        raise Refused("unreadable", "" if is_series(s) else "not-a-series") from None
    if not words.every:
        raise Refused("unreadable", "not-a-series")
    if words.weekday is None or words.relday is not None or words.dates:
        raise Refused("unreadable", "series-shape")
    if words.week != "plain" or words.lone_day is not None:
        raise Refused("unreadable", "series-shape")
    hour, minute, _ = nordic.clock_of(words, policy)
    at = time(hour, minute)
    first_day = today + timedelta(days=(words.weekday - today.weekday()) % 7)
    if _utc(datetime.combine(first_day, at, tz)) <= _utc(local_now):
        first_day += timedelta(weeks=1)
    until = None
    if words.until is not None:
        until = nordic.calendar_date(words.until, first_day)
        if until < first_day:
            raise Refused("past", "until")
    series = Series(words.weekday, at, datetime.combine(first_day, at, tz), until, words.every)
    _check_series(series, tz)
    return series


def _iso_with_offset(match: re.Match[str], tz: ZoneInfo, local_now: datetime) -> Moment:
    """ISO with an offset: the wall clock is taken, and the offset must be the zone's there
    (it may settle which of a repeated hour is meant, but never moves the wall clock)."""
    written = datetime.fromisoformat(f"{match['wall']}{match['offset'].upper()}")
    wall = written.replace(tzinfo=None)
    for fold in (0, 1):
        local = wall.replace(tzinfo=tz, fold=fold)
        if _exists(local) and local.utcoffset() == written.utcoffset():
            if _utc(local) <= _utc(local_now):
                raise Refused("past")
            return Moment(local, "iso")
    raise Refused("ambiguous", "offset")


def _fallback(
    s: str, tz: ZoneInfo, local_now: datetime, lang: str, policy: AmbiguousHours
) -> Moment:
    if fallback.OFFSET.search(s):
        raise Refused("ambiguous", "offset")
    read = fallback.parse(s, base=local_now.replace(tzinfo=None), lang=lang)
    if read is None:
        raise Refused("unreadable")
    written = fallback.clocks(s)
    if not written:
        raise Refused("no-time")
    certain = written.get((read.hour, read.minute))
    if certain is None:
        raise Refused("unreadable", "fallback-time")
    if not certain and policy == "refuse":
        raise Refused("ambiguous", "hour")
    if read.year > local_now.year + 1 and str(read.year) not in s:
        raise Refused("unreadable", "fallback-year")
    return _moment(read.date(), time(read.hour, read.minute), tz, local_now, "dateparser")


def _moment(day: date, at: time, tz: ZoneInfo, local_now: datetime, via: Via) -> Moment:
    local = datetime.combine(day, at, tz)
    if not _exists(local):
        raise Refused("ambiguous", "dst-gap")
    if _repeated(local):
        raise Refused("ambiguous", "dst-repeated")
    if _utc(local) <= _utc(local_now):
        raise Refused("past")
    return Moment(local, via)


def _check_series(series: Series, tz: ZoneInfo) -> None:
    horizon = series.first.replace(tzinfo=None) + _SERIES_CHECK
    until = datetime.combine(series.until, time.max) if series.until else horizon
    rule = rrule(
        WEEKLY, interval=series.interval, dtstart=series.first.replace(tzinfo=None),
        until=min(until, horizon),
    )
    for naive in rule:
        local = naive.replace(tzinfo=tz)
        if not _exists(local):
            raise Refused("ambiguous", "dst-gap")
        if _repeated(local):
            raise Refused("ambiguous", "dst-repeated")


def _exists(local: datetime) -> bool:
    """False for a wall-clock time that daylight saving skips (it does not survive UTC)."""
    tz = local.tzinfo
    round_trip = local.astimezone(UTC).astimezone(tz)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def _repeated(local: datetime) -> bool:
    """True for a wall-clock time that daylight saving repeats (two offsets are possible)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _utc(moment: datetime) -> datetime:
    # Same-zone comparisons ignore fold; comparing in UTC does not.
    return moment.astimezone(UTC)


def _refusal(
    refused: Refused,
    s: str,
    tz: ZoneInfo,
    local_now: datetime,
    lang: str,
    *,
    series: bool = False,
) -> Refusal:
    """The refusal with examples that are read from now: the writer's text made certain where
    that works (e.g. not "kl. 07" when 07:00 has passed), else general ones."""
    today = local_now.date()

    def readable(example: str) -> bool:
        try:
            if series:
                _read_series(nordic.normalise(example), tz, local_now, "refuse")
            else:
                _read_moment(nordic.normalise(example), tz, local_now, lang, "refuse")
        except Refused:
            return False
        return True

    tailored = examples(lang, today, detail=refused.detail, reason=refused.reason, text=s,
                        span=refused.span, series=series)
    chosen = tuple(example for example in tailored if readable(example))
    return Refusal(
        refused.reason, refused.detail, chosen or examples(lang, today, series=series)
    )
