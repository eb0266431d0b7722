"""Saying how a time was read, in the reader's language, so a host can catch a misreading.

Everything here is written by Babel from CLDR data: the full date, the short time and the
zone's IANA name. The words joining date and time ("kl.", "at") are CLDR's ``atTime``
patterns, which Babel 2.x does not expose, so they are copied here as patterns. The examples
offered with a refusal are phrasings our own reader reads, in the writer's language, built
from today so that they are never in the past.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime

from bot.i18n import BABEL_LOCALES
from bot.when.model import Moment

LOCALES: Final = BABEL_LOCALES
"""British English: day-month order and the 24-hour clock, as the Nordic readers expect."""

# CLDR dateTimeFormats "atTime" ({1} the date, {0} the time).
_AT_TIME: Final = {
    "da": "{1} 'kl'. {0}",
    "nb": "{1} 'kl'. {0}",
    "sv": "{1} 'kl'. {0}",
    "en": "{1} 'at' {0}",
}


def spell(when: Moment | datetime, *, lang: str, zone: str) -> str:
    """Weekday, date, time and zone in words, e.g. da "torsdag den 5. marts 2026 kl. 19.00
    (Europe/Copenhagen)". An aware datetime is shown in ``zone`` whatever its own offset."""
    moment = when.local if isinstance(when, Moment) else when
    if moment.tzinfo is None:
        raise ValueError("spell needs an aware datetime")
    locale = Locale.parse(LOCALES[lang])
    pattern = (
        _AT_TIME[lang]
        .replace("{1}", locale.date_formats["full"].pattern)
        .replace("{0}", locale.time_formats["short"].pattern)
    )
    return format_datetime(moment, f"{pattern} (VV)", tzinfo=ZoneInfo(zone), locale=locale)


# Sample input words per language; these are phrasings to type, not messages.
_SAMPLE: Final = {
    "da": {
        "at": "kl.", "every": "hver", "until": "indtil", "today": "i dag",
        "tomorrow": "i morgen", "next": "næste", "day_month": "d. MMMM", "half": "18.30",
        "hour": "19",
    },
    "nb": {
        "at": "kl.", "every": "hver", "until": "til", "today": "i dag",
        "tomorrow": "i morgen", "next": "neste", "day_month": "d. MMMM", "half": "18.30",
        "hour": "19",
    },
    "sv": {
        "at": "kl.", "every": "varje", "until": "till", "today": "i dag",
        "tomorrow": "i morgon", "next": "nästa", "day_month": "d MMMM", "half": "18.30",
        "hour": "19",
    },
    "en": {
        "at": "at", "every": "every", "until": "until", "today": "today",
        "tomorrow": "tomorrow", "next": "next", "day_month": "d MMMM", "half": "18:30",
        "hour": "7pm",
    },
}


def examples(
    lang: str,
    today: date,
    *,
    detail: str = "",
    reason: str = "",
    text: str = "",
    span: tuple[int, int] | None = None,
    series: bool = False,
) -> tuple[str, ...]:
    """Phrasings that would be read, valid from ``today``: the writer's own text made certain
    where we can (an hour with its half of the day, a time added to a bare day), else general
    ones (a weekday, tomorrow, a date, ISO; for a series, weekly ones)."""
    words = _SAMPLE[lang]
    locale = LOCALES[lang]
    if reason == "no-time" and text:
        return (f"{text} {words['at']} {words['hour']}",)
    if detail == "hour" and span is not None:
        written = text[span[0] : span[1]]
        digits = written.rstrip(".").split(".")[0].split(":")[0]
        rest = written[len(digits) :].rstrip(".")
        hour = int(digits)
        if lang == "en":
            certain = (f"{hour}{rest}pm", f"{hour}{rest}am")
        else:
            certain = (f"{hour + 12}{rest}", f"0{hour}{rest}")
        return tuple(text[: span[0]] + c + text[span[1] :] for c in certain)
    if detail == "today-or-next-week" and span is not None:
        start = span[0]
        for preposition in ("på ", "on "):
            if text[:start].endswith(preposition):
                start -= len(preposition)
        weekday = text[span[0] : span[1]]
        return tuple(
            text[:start] + replacement + text[span[1] :]
            for replacement in (words["today"], f"{words['next']} {weekday}")
        )
    soon = today + timedelta(days=2)
    if series:
        weekday = format_date(soon, "EEEE", locale=locale)
        until = format_date(today + timedelta(days=60), words["day_month"], locale=locale)
        return (
            f"{words['every']} {weekday} {words['at']} {words['hour']}",
            f"{words['every']} {weekday} {words['at']} {words['half']} {words['until']} {until}",
        )
    return (
        f"{format_date(soon, 'EEEE', locale=locale)} {words['at']} {words['hour']}",
        f"{words['tomorrow']} {words['at']} {words['half']}",
        f"{format_date(today + timedelta(days=9), words['day_month'], locale=locale)} "
        f"{words['at']} {words['hour']}",
        f"{(today + timedelta(days=7)).isoformat()} 19:00",
    )
