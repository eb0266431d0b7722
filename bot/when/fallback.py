"""dateparser for the shapes we do not read ourselves ("2 weeks from now at 19:00"), held to
what the text says.

dateparser drops hours it does not understand and fills them from now, and invents far years
(2119), so its answer only counts when its time of day is one the text writes and its year is
near or written; the caller rebuilds the moment with zoneinfo from the local date and time.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

_LANGUAGES: Final = ("da", "nb", "sv", "en")

_CLOCK: Final = re.compile(
    r"""
     (?<![\d.:/-])(?P<h1>\d{1,2})(?:[:.](?P<m1>\d{2}))?\s?(?P<mer>am|pm)(?![^\W\d_])
    |(?<![\d.:/-])(?P<h2>\d{1,2})[:.](?P<m2>\d{2})(?![\d.:])
    |(?<![^\W\d_])(?:kl|klokken|klokka|klockan|at)\.?\s?(?P<h3>\d{1,2})(?![\d:.])
    """,
    re.VERBOSE,
)

OFFSET: Final = re.compile(
    r"(?<=\d)\s?z(?![^\W\d_])|[+-]\d{2}:?\d{2}(?!\d)"
    r"|(?<![^\W\d_])(?:utc|gmt|cet|cest|eet|eest|wet|west|bst)(?![^\W\d_])"
)
"""An offset or zone name: the writer's wall clock may not be the salon's, so we refuse."""


def clocks(text: str) -> dict[tuple[int, int], bool]:
    """The times of day the (normalised) text writes, on the 24-hour clock, each with whether
    its hour is certain (am/pm, a leading zero, or outside 1-7)."""
    found: dict[tuple[int, int], bool] = {}
    for match in _CLOCK.finditer(text):
        if match.group("h1"):
            hour = int(match.group("h1")) % 12 + (12 if match.group("mer") == "pm" else 0)
            found[(hour, int(match.group("m1") or 0))] = True
            continue
        digits = match.group("h2") or match.group("h3")
        minute = int(match.group("m2") or 0)
        found[(int(digits), minute)] = digits.startswith("0") or not 1 <= int(digits) <= 7
    return found


def parse(text: str, *, base: datetime, lang: str) -> datetime | None:
    """dateparser's naive local reading relative to ``base`` (naive local now), or None."""
    languages = [lang, *(other for other in _LANGUAGES if other != lang)]
    settings = {
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": base,
        "DATE_ORDER": "DMY",
    }
    import dateparser  # loaded on first use: the running bot rarely needs it

    return dateparser.parse(text, languages=languages, settings=settings)
