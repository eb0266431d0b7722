"""Reading the times hosts write (issue 8, item 1): a table per language of phrasings and the
local time they must give, or the refusal they must get, from fixed moments: a Wednesday
morning, the weekends of the 2026 daylight-saving changes, and the end of the year."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.when import (
    Moment,
    Refusal,
    Series,
    is_series,
    occurrences,
    read_series,
    read_time,
    spell,
)

ZONES = {"da": "Europe/Copenhagen", "nb": "Europe/Oslo", "sv": "Europe/Stockholm",
         "en": "Europe/Copenhagen"}

# Local wall-clock "now"s, put in each language's zone by the test.
WED = (2026, 3, 4, 9, 30)  # Wednesday morning
SPRING_SAT = (2026, 3, 28, 10, 0)  # the day before summer time (Sun 29 March, 02:00 -> 03:00)
SPRING_SUN = (2026, 3, 29, 1, 30)  # half an hour before the change
AUTUMN_SAT = (2026, 10, 24, 10, 0)  # the day before winter time (Sun 25 Oct, 03:00 -> 02:00)
YEAR_END = (2026, 12, 30, 10, 0)  # a Wednesday, two days before the new year

# Expected: "YYYY-MM-DD HH:MM" local, optionally with the offset ("+02:00") it must have;
# or "!reason" / "!reason:detail" for a refusal.
Row = tuple[str, str, tuple[int, int, int, int, int]]


def rows(now: tuple[int, int, int, int, int], *pairs: tuple[str, str]) -> list[Row]:
    return [(text, expected, now) for text, expected in pairs]


DA: list[Row] = [
    *rows(
        WED,
        # the dateparser misreadings of the issue
        ("torsdag kl. 19", "2026-03-05 19:00"),
        ("i morgen kl 18", "2026-03-05 18:00"),
        ("næste tirsdag", "!no-time"),
        ("næste tirsdag 19:30", "2026-03-10 19:30"),
        ("på fredag 18:30", "2026-03-06 18:30"),
        ("den 12. marts kl. 19", "2026-03-12 19:00"),
        # weekdays and relative days
        ("torsdag kl 19", "2026-03-05 19:00"),
        ("Torsdag Kl. 19.", "2026-03-05 19:00"),
        ("i morgen kl. 18.30", "2026-03-05 18:30"),
        ("imorgen 18:30", "2026-03-05 18:30"),
        ("i overmorgen kl. 19", "2026-03-06 19:00"),
        ("i dag kl. 19", "2026-03-04 19:00"),
        ("idag kl 19.30", "2026-03-04 19:30"),
        ("næste torsdag kl. 19", "2026-03-05 19:00"),
        ("næste onsdag kl. 19", "2026-03-11 19:00"),
        ("på fredag kl. 18.30", "2026-03-06 18:30"),
        ("fredag 18.30", "2026-03-06 18:30"),
        ("kl. 19 torsdag", "2026-03-05 19:00"),
        ("klokken 19 på torsdag", "2026-03-05 19:00"),
        ("torsdag i næste uge kl. 19", "2026-03-12 19:00"),
        ("lør kl. 14", "2026-03-07 14:00"),
        ("søndag kl 12", "2026-03-08 12:00"),
        ("mandag kl. 10.15", "2026-03-09 10:15"),
        ("kl. 7 i aften", "2026-03-04 19:00"),
        ("i aften kl. 20", "2026-03-04 20:00"),
        ("i morgen aften kl. 8", "2026-03-05 20:00"),
        ("om 3 dage kl. 19", "2026-03-07 19:00"),
        ("om en uge kl. 19", "2026-03-11 19:00"),
        ("i morgen kl. 07", "2026-03-05 07:00"),
        ("i morgen kl. 10", "2026-03-05 10:00"),
        ("kl. 19", "2026-03-04 19:00"),
        # dates
        ("12. marts kl. 19", "2026-03-12 19:00"),
        ("torsdag den 12. marts kl. 19", "2026-03-12 19:00"),
        ("12/3 kl. 19", "2026-03-12 19:00"),
        ("3/12 kl. 19", "2026-12-03 19:00"),
        ("12.3. kl. 19", "2026-03-12 19:00"),
        ("12.03.2026 kl. 19", "2026-03-12 19:00"),
        ("12.03 kl. 19.30", "2026-03-12 19:30"),
        ("2026-03-12 19:00", "2026-03-12 19:00"),
        ("lørdag den 2. maj kl. 14", "2026-05-02 14:00"),
        ("d. 1. apr. kl. 10", "2026-04-01 10:00"),
        ("torsdag den 5. kl. 19", "2026-03-05 19:00"),
        ("tirsdag den 31. kl. 19", "2026-03-31 19:00+02:00"),
        ("5/3-2026 kl. 19", "2026-03-05 19:00"),
        ("2. jan kl. 19", "2027-01-02 19:00"),
        ("1. marts kl. 19", "2027-03-01 19:00"),
        # refused
        ("torsdag", "!no-time"),
        ("den 12. marts", "!no-time"),
        ("i dag kl. 8", "!past"),
        ("i dag kl. 9.30", "!past"),
        ("12. marts 2025 kl. 19", "!past"),
        ("blåbær", "!unreadable"),
        ("blåbær kl. 19", "!unreadable"),
        ("31. februar kl. 19", "!unreadable:no-such-date"),
        ("kl. 7", "!ambiguous:hour"),
        ("torsdag kl. 5", "!ambiguous:hour"),
        ("onsdag kl. 19", "!ambiguous:today-or-next-week"),
        ("fredag den 12. marts kl. 19", "!ambiguous:weekday-mismatch"),
        ("12.03", "!ambiguous:date-or-time"),
        ("den 12. kl. 19", "!ambiguous:no-month"),
        ("fredag den 5. kl. 19", "!ambiguous:weekday-mismatch"),
        ("12. marts 26 kl. 19", "!ambiguous:bare-number"),
        ("torsdag 19", "!ambiguous:bare-number"),
        ("i morgen kl. 18 og kl. 19", "!unreadable"),
        ("i morgen kl. 18 kl. 19", "!ambiguous:two-times"),
        ("hver torsdag kl. 19", "!unreadable:series"),
    ),
    *rows(
        SPRING_SAT,
        ("i morgen kl. 18", "2026-03-29 18:00+02:00"),
        ("i dag kl. 18", "2026-03-28 18:00+01:00"),
        ("mandag kl. 18", "2026-03-30 18:00+02:00"),
        ("søndag kl. 02.30", "!ambiguous:dst-gap"),
        ("i morgen kl. 03", "2026-03-29 03:00+02:00"),
    ),
    *rows(
        SPRING_SUN,
        ("i morgen kl. 18", "2026-03-30 18:00+02:00"),
        ("i dag kl. 18", "2026-03-29 18:00+02:00"),
    ),
    *rows(
        AUTUMN_SAT,
        ("i morgen kl. 18", "2026-10-25 18:00+01:00"),
        ("i dag kl. 18", "2026-10-24 18:00+02:00"),
        ("søndag kl. 02.30", "!ambiguous:dst-repeated"),
        ("søndag kl. 03.00", "2026-10-25 03:00+01:00"),
    ),
    *rows(
        YEAR_END,
        ("i overmorgen kl. 19", "2027-01-01 19:00"),
        ("den 2. januar kl. 19", "2027-01-02 19:00"),
        ("fredag kl. 19", "2027-01-01 19:00"),
        ("næste mandag kl. 19", "2027-01-04 19:00"),
        ("31/12 kl. 18", "2026-12-31 18:00"),
        ("29. december kl. 19", "2027-12-29 19:00"),
        ("i dag kl. 9", "!past"),
        ("1/1/2026 kl. 19", "!past"),
    ),
]

NB: list[Row] = [
    *rows(
        WED,
        ("torsdag kl. 19", "2026-03-05 19:00"),
        ("i morgen kl 18", "2026-03-05 18:00"),
        ("neste tirsdag", "!no-time"),
        ("neste tirsdag 19:30", "2026-03-10 19:30"),
        ("på fredag 18:30", "2026-03-06 18:30"),
        ("den 12. mars kl. 19", "2026-03-12 19:00"),
        ("i morgen klokka 18.30", "2026-03-05 18:30"),
        ("i morra kl. 18", "2026-03-05 18:00"),
        ("i overmorgen kl. 19", "2026-03-06 19:00"),
        ("i dag kl. 19", "2026-03-04 19:00"),
        ("neste torsdag kl. 19", "2026-03-05 19:00"),
        ("på fredag kl. 18.30", "2026-03-06 18:30"),
        ("12. mars kl. 19", "2026-03-12 19:00"),
        ("torsdag 12. mars kl 19", "2026-03-12 19:00"),
        ("3. desember kl. 18", "2026-12-03 18:00"),
        ("torsdag 3. desember kl. 18", "2026-12-03 18:00"),
        ("3. des. kl. 18", "2026-12-03 18:00"),
        ("12/3 kl. 19", "2026-03-12 19:00"),
        ("12.3. kl. 19", "2026-03-12 19:00"),
        ("12.03.26 kl. 19", "2026-03-12 19:00"),
        ("2026-03-12 19:00", "2026-03-12 19:00"),
        ("kl. 19 på torsdag", "2026-03-05 19:00"),
        ("torsdag i neste uke kl. 19", "2026-03-12 19:00"),
        ("torsdag neste uke kl 19", "2026-03-12 19:00"),
        ("i kveld kl. 8", "2026-03-04 20:00"),
        ("i morgen kveld kl. 7", "2026-03-05 19:00"),
        ("kl. 7 om kvelden i morgen", "2026-03-05 19:00"),
        ("om 3 dager kl. 19", "2026-03-07 19:00"),
        ("om en uke kl. 19", "2026-03-11 19:00"),
        ("lørdag kl. 14", "2026-03-07 14:00"),
        ("søndag kl 12", "2026-03-08 12:00"),
        ("mandag kl. 10.15", "2026-03-09 10:15"),
        ("1. mai kl. 12", "2026-05-01 12:00"),
        ("17. mai kl. 10", "2026-05-17 10:00"),
        ("2. januar kl. 19", "2027-01-02 19:00"),
        ("i morgen kl. 07.30", "2026-03-05 07:30"),
        ("torsdag", "!no-time"),
        ("i dag kl. 8", "!past"),
        ("tull og tøys", "!unreadable"),
        ("30. februar kl. 19", "!unreadable:no-such-date"),
        ("kl. 6", "!ambiguous:hour"),
        ("onsdag kl. 19", "!ambiguous:today-or-next-week"),
        ("fredag 12. mars kl. 19", "!ambiguous:weekday-mismatch"),
        ("12.03", "!ambiguous:date-or-time"),
        ("i kveld kl. 8 om morgenen", "!ambiguous:am-pm"),
    ),
    *rows(
        SPRING_SAT,
        ("i morgen kl. 18", "2026-03-29 18:00+02:00"),
        ("i dag kl. 18", "2026-03-28 18:00+01:00"),
        ("søndag kl. 02.30", "!ambiguous:dst-gap"),
    ),
    *rows(SPRING_SUN, ("i morgen kl 18", "2026-03-30 18:00+02:00")),
    *rows(
        AUTUMN_SAT,
        ("i morgen kl. 18", "2026-10-25 18:00+01:00"),
        ("søndag kl. 02.30", "!ambiguous:dst-repeated"),
    ),
    *rows(
        YEAR_END,
        ("i overmorgen kl. 19", "2027-01-01 19:00"),
        ("den 2. januar kl. 19", "2027-01-02 19:00"),
        ("neste mandag kl. 19", "2027-01-04 19:00"),
        ("31.12. kl. 18", "2026-12-31 18:00"),
        ("i dag kl. 9", "!past"),
    ),
]

SV: list[Row] = [
    *rows(
        WED,
        ("torsdag kl. 19", "2026-03-05 19:00"),
        ("torsdag kl 19", "2026-03-05 19:00"),
        ("i morgon kl 18", "2026-03-05 18:00"),
        ("imorgon kl. 18.30", "2026-03-05 18:30"),
        ("i övermorgon kl. 19", "2026-03-06 19:00"),
        ("i dag kl 19", "2026-03-04 19:00"),
        ("idag 19:30", "2026-03-04 19:30"),
        ("nästa tisdag 19:30", "2026-03-10 19:30"),
        ("nästa torsdag kl 19", "2026-03-05 19:00"),
        ("på fredag 18:30", "2026-03-06 18:30"),
        ("på fredag kl 18.30", "2026-03-06 18:30"),
        ("den 12 mars kl 19", "2026-03-12 19:00"),
        ("12 mars kl. 19", "2026-03-12 19:00"),
        ("torsdag den 12 mars kl 19", "2026-03-12 19:00"),
        ("den 12:e mars kl 19", "2026-03-12 19:00"),
        ("12/3 kl 19", "2026-03-12 19:00"),
        ("2026-03-12 19:00", "2026-03-12 19:00"),
        ("2026-03-12 kl 19", "2026-03-12 19:00"),
        ("klockan 19 på torsdag", "2026-03-05 19:00"),
        ("torsdag nästa vecka kl 19", "2026-03-12 19:00"),
        ("i kväll kl 8", "2026-03-04 20:00"),
        ("i morgon kväll kl. 7", "2026-03-05 19:00"),
        ("kl 7 på kvällen i morgon", "2026-03-05 19:00"),
        ("om 3 dagar kl 19", "2026-03-07 19:00"),
        ("om en vecka kl 19", "2026-03-11 19:00"),
        ("lördag kl 14", "2026-03-07 14:00"),
        ("söndag kl 12", "2026-03-08 12:00"),
        ("måndag kl. 10.15", "2026-03-09 10:15"),
        ("tis kl 19", "2026-03-10 19:00"),
        ("1 maj kl 12", "2026-05-01 12:00"),
        ("6 juni kl 11", "2026-06-06 11:00"),
        ("2 januari kl 19", "2027-01-02 19:00"),
        ("i morgon kl 07.30", "2026-03-05 07:30"),
        ("i morgon kl 9 på förmiddagen", "2026-03-05 09:00"),
        ("torsdag", "!no-time"),
        ("nästa tisdag", "!no-time"),
        ("i dag kl 8", "!past"),
        ("blåbär", "!unreadable"),
        ("31 april kl 19", "!unreadable:no-such-date"),
        ("kl 7", "!ambiguous:hour"),
        ("onsdag kl 19", "!ambiguous:today-or-next-week"),
        ("fredag den 12 mars kl 19", "!ambiguous:weekday-mismatch"),
        ("i morgon kl 25", "!unreadable:no-such-time"),
    ),
    *rows(
        SPRING_SAT,
        ("i morgon kl 18", "2026-03-29 18:00+02:00"),
        ("i dag kl 18", "2026-03-28 18:00+01:00"),
        ("söndag kl 02.30", "!ambiguous:dst-gap"),
    ),
    *rows(SPRING_SUN, ("i morgon kl 18", "2026-03-30 18:00+02:00")),
    *rows(
        AUTUMN_SAT,
        ("i morgon kl 18", "2026-10-25 18:00+01:00"),
        ("söndag kl 02:30", "!ambiguous:dst-repeated"),
    ),
    *rows(
        YEAR_END,
        ("i övermorgon kl 19", "2027-01-01 19:00"),
        ("den 2 januari kl 19", "2027-01-02 19:00"),
        ("nästa måndag kl 19", "2027-01-04 19:00"),
        ("fredag kl 19", "2027-01-01 19:00"),
        ("i dag kl 9", "!past"),
    ),
]

EN: list[Row] = [
    *rows(
        WED,
        ("Thursday at 7pm", "2026-03-05 19:00"),
        ("thursday 19:00", "2026-03-05 19:00"),
        ("tomorrow at 6pm", "2026-03-05 18:00"),
        ("tomorrow at 18:30", "2026-03-05 18:30"),
        ("the day after tomorrow at 19:00", "2026-03-06 19:00"),
        ("today at 8pm", "2026-03-04 20:00"),
        ("next Tuesday 7pm", "2026-03-10 19:00"),
        ("next Tuesday at 7.30 pm", "2026-03-10 19:30"),
        ("next Thursday at 19:00", "2026-03-05 19:00"),
        ("on Friday at 18:30", "2026-03-06 18:30"),
        ("Friday 6.30pm", "2026-03-06 18:30"),
        ("12 March at 7pm", "2026-03-12 19:00"),
        ("March 12 at 19:00", "2026-03-12 19:00"),
        ("March 12th, 2026 at 7 p.m.", "2026-03-12 19:00"),
        ("the 12th of March at 7pm", "2026-03-12 19:00"),
        ("Thursday the 5th at 7pm", "2026-03-05 19:00"),
        ("Thursday 7:00 PM", "2026-03-05 19:00"),
        ("2026/03/12 19:00", "2026-03-12 19:00"),
        ("Thursday 12 March 19:00", "2026-03-12 19:00"),
        ("12/3 at 19:00", "2026-03-12 19:00"),
        ("3/12 at 19:00", "2026-12-03 19:00"),
        ("2026-03-12 19:00", "2026-03-12 19:00"),
        ("2026-03-12T19:00", "2026-03-12 19:00"),
        ("2026-03-12T19:00:00+01:00", "2026-03-12 19:00+01:00"),
        ("at 19:00 on Thursday", "2026-03-05 19:00"),
        ("Thursday next week at 7pm", "2026-03-12 19:00"),
        ("tonight at 8", "2026-03-04 20:00"),
        ("tomorrow evening at 7", "2026-03-05 19:00"),
        ("tomorrow at 7 in the evening", "2026-03-05 19:00"),
        ("tomorrow at 9am", "2026-03-05 09:00"),
        ("tomorrow at 12pm", "2026-03-05 12:00"),
        ("tomorrow at noon", "2026-03-05 12:00"),
        ("in 3 days at 7pm", "2026-03-07 19:00"),
        ("in a week at 19:00", "2026-03-11 19:00"),
        ("Sat 2pm", "2026-03-07 14:00"),
        ("1 May at 12:00", "2026-05-01 12:00"),
        ("January 2 at 7pm", "2027-01-02 19:00"),
        ("2 weeks from now at 19:00", "2026-03-18 19:00"),
        ("a week from tomorrow at 19:00", "2026-03-12 19:00"),
        ("Thursday", "!no-time"),
        ("next Tuesday", "!no-time"),
        ("in 2 hours", "!no-time"),
        ("today at 8am", "!past"),
        ("blueberry", "!unreadable"),
        ("February 31 at 7pm", "!unreadable:no-such-date"),
        ("at 7", "!ambiguous:hour"),
        ("Wednesday at 7pm", "!ambiguous:today-or-next-week"),
        ("Friday 12 March at 7pm", "!ambiguous:weekday-mismatch"),
        ("2026-03-12T19:00Z", "!ambiguous:offset"),
        ("tomorrow 19:00 CET", "!ambiguous:offset"),
        ("tomorrow at 13pm", "!unreadable:no-such-time"),
    ),
    *rows(
        SPRING_SAT,
        ("tomorrow at 6pm", "2026-03-29 18:00+02:00"),
        ("Monday at 6pm", "2026-03-30 18:00+02:00"),
        ("Sunday at 2:30am", "!ambiguous:dst-gap"),
    ),
    *rows(
        SPRING_SUN,
        ("tomorrow at 6pm", "2026-03-30 18:00+02:00"),
        ("2 weeks from now at 19:00", "2026-04-12 19:00+02:00"),
    ),
    *rows(
        AUTUMN_SAT,
        ("tomorrow at 6pm", "2026-10-25 18:00+01:00"),
        ("Sunday at 2.30am", "!ambiguous:dst-repeated"),
        ("2026-10-25T02:30+01:00", "2026-10-25 02:30+01:00"),
        ("2026-10-25T02:30+02:00", "2026-10-25 02:30+02:00"),
    ),
    *rows(
        YEAR_END,
        ("the day after tomorrow at 7pm", "2027-01-01 19:00"),
        ("January 2nd at 7pm", "2027-01-02 19:00"),
        ("next Monday at 19:00", "2027-01-04 19:00"),
        ("Friday at 7pm", "2027-01-01 19:00"),
        ("today at 9am", "!past"),
    ),
]

TABLES = {"da": DA, "nb": NB, "sv": SV, "en": EN}
CASES = [
    pytest.param(lang, text, expected, now, id=f"{lang}-{text}-{now[1]:02d}{now[2]:02d}")
    for lang, table in TABLES.items()
    for text, expected, now in table
]


def local(now: tuple[int, int, int, int, int], zone: str) -> datetime:
    return datetime(*now, tzinfo=ZoneInfo(zone))


@pytest.mark.parametrize(("lang", "text", "expected", "now"), CASES)
def test_reading_table(
    lang: str, text: str, expected: str, now: tuple[int, int, int, int, int]
) -> None:
    zone = ZONES[lang]
    reading = read_time(text, now=local(now, zone), zone=zone, lang=lang)
    if expected.startswith("!"):
        reason, _, detail = expected[1:].partition(":")
        assert isinstance(reading, Refusal), f"{text!r} read as {reading}"
        assert reading.reason == reason, reading
        if detail:
            assert reading.detail == detail, reading
        return
    assert isinstance(reading, Moment), f"{text!r} refused: {reading}"
    wall, offset = expected[:16], expected[16:]
    assert reading.local.strftime("%Y-%m-%d %H:%M") == wall
    assert reading.local.tzinfo == ZoneInfo(zone)
    # Built by zoneinfo from the wall clock: the offset is that day's, not today's.
    wall_clock = reading.local.replace(tzinfo=None)
    rebuilt = wall_clock.replace(tzinfo=ZoneInfo(zone), fold=reading.local.fold)
    assert reading.local.utcoffset() == rebuilt.utcoffset()
    if offset:
        assert reading.local.isoformat()[19:] == offset


def test_each_language_has_at_least_40_phrasings() -> None:
    counts = Counter({lang: len(table) for lang, table in TABLES.items()})
    assert all(count >= 40 for count in counts.values()), counts


def test_every_language_reads_every_languages_words() -> None:
    """People mix: a Danish salon's host may write Swedish or English."""
    zone = ZONES["da"]
    for lang in ZONES:
        for text in ("torsdag kl. 19", "nästa tisdag 19:30", "next Tuesday 7pm", "i morgon kl 18"):
            assert isinstance(read_time(text, now=local(WED, zone), zone=zone, lang=lang), Moment)


@pytest.mark.parametrize(
    ("text", "strict", "clock24"),
    [
        ("i morgen kl. 7", "!hour", "2026-03-05 07:00"),
        ("i morgen kl. 1", "!hour", "2026-03-05 01:00"),
        ("torsdag kl. 6.30", "!hour", "2026-03-05 06:30"),
        ("tomorrow at 7", "!hour", "2026-03-05 07:00"),
        ("i morgen kl. 8", "2026-03-05 08:00", "2026-03-05 08:00"),
        ("i morgen kl. 07", "2026-03-05 07:00", "2026-03-05 07:00"),
        ("i morgen kl. 7 om aftenen", "2026-03-05 19:00", "2026-03-05 19:00"),
        ("i morgen kl. 7 i aften", "!two-dates", "!two-dates"),
        ("tomorrow at 7am", "2026-03-05 07:00", "2026-03-05 07:00"),
    ],
)
def test_bare_early_hours_both_ways(text: str, strict: str, clock24: str) -> None:
    """Hours 1-7 without am/pm, a leading zero or a part of the day are refused by default;
    with ambiguous_hours="24h" they are read on the 24-hour clock."""
    zone = ZONES["da"]
    for policy, expected in (("refuse", strict), ("24h", clock24)):
        reading = read_time(text, now=local(WED, zone), zone=zone, lang="da",
                            ambiguous_hours=policy)
        if expected.startswith("!"):
            assert isinstance(reading, Refusal) and reading.detail == expected[1:], reading
        else:
            assert isinstance(reading, Moment), reading
            assert reading.local.strftime("%Y-%m-%d %H:%M") == expected


def test_fallback_rebuilds_with_zoneinfo_across_dst() -> None:
    """dateparser keeps today's offset across a change; we rebuild from the wall clock."""
    zone = ZONES["en"]
    reading = read_time("2 weeks from now at 19:00", now=local(SPRING_SAT, zone), zone=zone,
                        lang="en")
    assert isinstance(reading, Moment) and reading.via == "dateparser"
    assert reading.local.isoformat() == "2026-04-11T19:00:00+02:00"


@pytest.mark.parametrize("lang", sorted(ZONES))
def test_refusal_examples_are_read(lang: str) -> None:
    """The examples given with a refusal are themselves read, from the same now."""
    zone = ZONES[lang]
    refused = [(text, now) for text, expected, now in TABLES[lang] if expected.startswith("!")]
    for text, now in refused:
        reading = read_time(text, now=local(now, zone), zone=zone, lang=lang)
        assert isinstance(reading, Refusal)
        assert reading.examples, text
        if reading.reason == "no-time" and "2 hours" not in text:
            assert len(reading.examples) == 1
        for example in reading.examples:
            again = read_time(example, now=local(now, zone), zone=zone, lang=lang)
            assert isinstance(again, Moment), (text, example, again)


def test_refusal_examples_keep_the_writers_text() -> None:
    zone = ZONES["da"]
    now = local(WED, zone)
    assert read_time("torsdag kl. 7", now=now, zone=zone, lang="da").examples == (
        "torsdag kl. 19", "torsdag kl. 07")
    assert read_time("tomorrow at 7.30", now=now, zone=zone, lang="en").examples == (
        "tomorrow at 7.30pm", "tomorrow at 7.30am")
    # 07:00 today has passed, so only the evening is offered
    assert read_time("kl. 7", now=now, zone=zone, lang="da").examples == ("kl. 19",)
    assert read_series("hver torsdag kl. 7", now=now, zone=zone, lang="da").examples == (
        "hver torsdag kl. 19", "hver torsdag kl. 07")
    assert read_time("på onsdag kl. 19", now=now, zone=zone, lang="da").examples == (
        "i dag kl. 19", "næste onsdag kl. 19")
    assert read_time("næste tirsdag", now=now, zone=zone, lang="da").examples == (
        "næste tirsdag kl. 19",)


def test_now_must_be_aware_and_lang_known() -> None:
    with pytest.raises(ValueError):
        read_time("kl. 19", now=datetime(2026, 3, 4, 9, 30), zone="Europe/Oslo", lang="nb")
    with pytest.raises(ValueError):
        read_time("kl. 19", now=local(WED, "Europe/Oslo"), zone="Europe/Oslo", lang="de")


def test_now_in_another_zone_is_moved_into_the_salons() -> None:
    """At 23:30 UTC on 4 March it is already 5 March in Copenhagen."""
    now = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    reading = read_time("i morgen kl. 19", now=now, zone="Europe/Copenhagen", lang="da")
    assert isinstance(reading, Moment)
    assert reading.local.isoformat() == "2026-03-06T19:00:00+01:00"


# --- series ---------------------------------------------------------------------------------

SERIES_CASES = [
    # text, lang, expected (weekday, "HH:MM", first local, until, interval) or "!reason:detail"
    ("hver torsdag kl. 19 indtil 1. marts", "da", (3, "19:00", "2026-03-05 19:00",
                                                   date(2027, 3, 1), 1)),
    ("hver tirsdag 19:30", "da", (1, "19:30", "2026-03-10 19:30", None, 1)),
    ("alle torsdage kl. 19 til 26. marts", "da", (3, "19:00", "2026-03-05 19:00",
                                                  date(2026, 3, 26), 1)),
    ("hver anden mandag kl. 18.30", "da", (0, "18:30", "2026-03-09 18:30", None, 2)),
    ("hver onsdag kl. 18 til 3. desember", "nb", (2, "18:00", "2026-03-04 18:00",
                                                  date(2026, 12, 3), 1)),
    ("hver annen torsdag klokka 19 til og med 30. april", "nb",
     (3, "19:00", "2026-03-05 19:00", date(2026, 4, 30), 2)),
    ("varje onsdag kl 18", "sv", (2, "18:00", "2026-03-04 18:00", None, 1)),
    ("varannan måndag kl 18 till 1 juni", "sv", (0, "18:00", "2026-03-09 18:00",
                                                 date(2026, 6, 1), 2)),
    ("varje torsdag kl 19 t.o.m. 2026-05-28", "sv", (3, "19:00", "2026-03-05 19:00",
                                                    date(2026, 5, 28), 1)),
    ("every Tuesday at 7pm until 31 March", "en", (1, "19:00", "2026-03-10 19:00",
                                                  date(2026, 3, 31), 1)),
    ("every other Thursday 19:00", "en", (3, "19:00", "2026-03-05 19:00", None, 2)),
    ("every Wednesday at 9am", "en", (2, "09:00", "2026-03-11 09:00", None, 1)),
    ("hver tirsdag", "da", "!no-time"),
    ("hver torsdag kl. 7", "da", "!ambiguous:hour"),
    ("hver søndag kl. 02.30", "da", "!ambiguous:dst-gap"),
    ("hver søndag kl. 02.30 indtil 15. marts", "da", (6, "02:30", "2026-03-08 02:30",
                                                      date(2026, 3, 15), 1)),
    ("varje söndag kl 02:30", "sv", "!ambiguous:dst-gap"),
    ("torsdag kl. 19", "da", "!unreadable:not-a-series"),
    ("hver torsdag kl. 19 indtil 1. marts 2026", "da", "!past:until"),
    ("hver i morgen kl. 19", "da", "!unreadable:series-shape"),
    ("hver torsdag den 5. kl. 19", "da", "!unreadable:series-shape"),
    ("every blueberry", "en", "!unreadable"),
]


@pytest.mark.parametrize(
    ("text", "lang", "expected"), SERIES_CASES, ids=[c[0] for c in SERIES_CASES]
)
def test_read_series(text: str, lang: str, expected: tuple | str) -> None:
    zone = ZONES[lang]
    series = read_series(text, now=local(WED, zone), zone=zone, lang=lang)
    if isinstance(expected, str):
        reason, _, detail = expected[1:].partition(":")
        assert isinstance(series, Refusal), series
        assert (series.reason, series.detail or "") == (reason, detail or series.detail)
        for example in series.examples:  # offered phrasings are read as series from now
            again = read_series(example, now=local(WED, zone), zone=zone, lang=lang)
            assert isinstance(again, Series), (example, again)
        assert series.examples
        return
    assert isinstance(series, Series), series
    weekday, at, first, until, interval = expected
    assert series.weekday == weekday
    assert series.at.strftime("%H:%M") == at
    assert series.first.strftime("%Y-%m-%d %H:%M") == first
    assert series.first.tzinfo == ZoneInfo(zone)
    assert series.until == until
    assert series.interval == interval
    assert is_series(text)


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Oslo", "Europe/Stockholm"])
def test_series_keeps_19_local_across_spring_change(zone: str) -> None:
    series = read_series("hver torsdag kl. 19", now=local((2026, 3, 16, 12, 0), zone),
                         zone=zone, lang="da")
    assert isinstance(series, Series)
    found = occurrences(series, zone, 4)
    assert [d.isoformat() for d in found] == [
        "2026-03-19T19:00:00+01:00",
        "2026-03-26T19:00:00+01:00",
        "2026-04-02T19:00:00+02:00",
        "2026-04-09T19:00:00+02:00",
    ]


@pytest.mark.parametrize("zone", ["Europe/Copenhagen", "Europe/Oslo", "Europe/Stockholm"])
def test_series_keeps_19_local_across_autumn_change(zone: str) -> None:
    series = read_series("every Sunday at 19:00", now=local((2026, 10, 12, 12, 0), zone),
                         zone=zone, lang="en")
    assert isinstance(series, Series)
    found = occurrences(series, zone, 3)
    assert [d.isoformat() for d in found] == [
        "2026-10-18T19:00:00+02:00",
        "2026-10-25T19:00:00+01:00",
        "2026-11-01T19:00:00+01:00",
    ]
    assert {d.astimezone(UTC).hour for d in found} == {17, 18}


def test_occurrences_stop_at_until_inclusive_and_step_by_interval() -> None:
    zone = ZONES["da"]
    weekly = read_series("hver torsdag kl. 19 indtil 19. marts", now=local(WED, zone),
                         zone=zone, lang="da")
    assert isinstance(weekly, Series)
    assert [d.day for d in occurrences(weekly, zone, 10)] == [5, 12, 19]
    fortnightly = read_series("every other Thursday at 19:00", now=local(WED, zone),
                              zone=zone, lang="en")
    assert isinstance(fortnightly, Series)
    assert [d.strftime("%m-%d") for d in occurrences(fortnightly, zone, 3)] == [
        "03-05", "03-19", "04-02"]


def test_occurrences_leave_out_a_skipped_time() -> None:
    """A series built by hand at 02:30 on Sundays has no meeting on 29 March."""
    zone = "Europe/Copenhagen"
    series = Series(6, time(2, 30), datetime(2026, 3, 22, 2, 30, tzinfo=ZoneInfo(zone)))
    assert [d.strftime("%m-%d %H:%M%z") for d in occurrences(series, zone, 3)] == [
        "03-22 02:30+0100", "04-05 02:30+0200", "04-12 02:30+0200"]


def test_series_first_occurrence_skips_today_once_its_time_has_passed() -> None:
    zone = ZONES["sv"]
    series = read_series("varje onsdag kl 9", now=local(WED, zone), zone=zone, lang="sv",
                         ambiguous_hours="24h")
    assert isinstance(series, Series)
    assert series.first.strftime("%Y-%m-%d %H:%M") == "2026-03-11 09:00"


def test_is_series() -> None:
    assert is_series("Hver torsdag kl. 19")
    assert is_series("varannan måndag kl 18")
    assert not is_series("torsdag kl. 19")


# --- spelling out -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "zone", "expected"),
    [
        ("da", "Europe/Copenhagen", "torsdag den 5. marts 2026 kl. 19.00 (Europe/Copenhagen)"),
        ("nb", "Europe/Oslo", "torsdag 5. mars 2026 kl. 19:00 (Europe/Oslo)"),
        ("sv", "Europe/Stockholm", "torsdag 5 mars 2026 kl. 19:00 (Europe/Stockholm)"),
        ("en", "Europe/Copenhagen", "Thursday, 5 March 2026 at 19:00 (Europe/Copenhagen)"),
    ],
)
def test_spell_in_each_language(lang: str, zone: str, expected: str) -> None:
    reading = read_time("torsdag kl. 19", now=local(WED, zone), zone=zone, lang=lang)
    assert isinstance(reading, Moment)
    assert spell(reading, lang=lang, zone=zone) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("da", "mandag den 30. marts 2026 kl. 18.00 (Europe/Copenhagen)"),
        ("nb", "mandag 30. mars 2026 kl. 18:00 (Europe/Copenhagen)"),
        ("sv", "måndag 30 mars 2026 kl. 18:00 (Europe/Copenhagen)"),
        ("en", "Monday, 30 March 2026 at 18:00 (Europe/Copenhagen)"),
    ],
)
def test_spell_a_stored_utc_time_in_the_salons_zone(lang: str, expected: str) -> None:
    """A time kept in UTC is spelled at its local wall clock, summer time included."""
    stored = datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
    assert spell(stored, lang=lang, zone="Europe/Copenhagen") == expected


def test_spell_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError):
        spell(datetime(2026, 3, 5, 19, 0), lang="da", zone="Europe/Copenhagen")


def test_spell_after_autumn_change_is_the_wall_clock() -> None:
    zone = "Europe/Oslo"
    reading = read_time("i morgen kl. 18", now=local(AUTUMN_SAT, zone), zone=zone, lang="nb")
    assert isinstance(reading, Moment)
    assert spell(reading, lang="nb", zone=zone) == "søndag 25. oktober 2026 kl. 18:00 (Europe/Oslo)"
