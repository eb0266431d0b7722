"""Our own reading of the shapes hosts write in Danish, Norwegian, Swedish and English.

dateparser misreads the commonest Nordic phrasings ("torsdag kl. 19" becomes the 19th at
midnight, "i morgen kl 18" loses its hour, "næste tirsdag" reads as nothing), so these are read
here, word by word, with every language's words accepted whatever the salon's language: people
mix. The reading is strict. A word we do not know means "not our shape" (:class:`NotOurs`, the
caller may try dateparser); a shape we know but cannot read with certainty is refused
(:class:`Refused`) and never guessed.

Rules (the tests in ``tests/test_when.py`` pin each one):

* Numeric dates are day first, in every language: ``12/3`` and ``12.3.`` are 12 March, ``3/12``
  is 3 December. ISO ``2026-03-12`` is year-month-day.
* ``H.MM`` is a time after ``kl``/``at``, or beside a date word ("fredag 18.30"); beside another
  time it is a date ("12.03 kl. 19"); alone, when it could be either ("12.03"), it is refused.
* A bare hour 1-7 with no am/pm, no leading zero and no part-of-day word ("kl. 7") is refused as
  ambiguous: a salon at 01-07 in the morning is implausible, so the writer may well mean the
  evening, and we do not assume either. ``kl. 07``, ``7am``, ``kl. 7 i aften`` and ``kl. 19``
  are certain; 8-12 and 0, 13-23 are read on the 24-hour clock, the Nordic written convention.
  ``ambiguous_hours="24h"`` reads every bare hour on the 24-hour clock instead.
* A weekday alone ("torsdag", "på torsdag", "on Thursday") is its next occurrence from today;
  naming today's weekday is refused (today, or in a week?). ``næste``/``neste``/``nästa``/
  ``next``/``kommende`` + weekday is the first such day strictly after today (so on a Wednesday
  "næste torsdag" is tomorrow, and on a Thursday it is in seven days). "torsdag i næste uge",
  "Thursday next week" is the Thursday of the next Monday-to-Sunday week.
* An explicit date wins over a weekday beside it, which must agree ("torsdag den 12. marts");
  a disagreement is refused.
* A day of the month alone is read only beside a weekday that agrees with its next occurrence
  ("torsdag den 5."); alone ("den 12.") it is refused, the month unknown.
* A day and month without a year is this year's, unless that day has passed: then next year's
  ("den 2. januar" written in December). Today's date with a time already past is refused as
  past, not moved a year on.
* A time without a day ("kl. 19") is today; a day without a time is refused (``no-time``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal

from bot.when.model import AmbiguousHours, Reason

WeekMode = Literal["plain", "next", "nextweek"]


class NotOurs(Exception):
    """The text holds something we do not read; another reader may try."""


class Refused(Exception):
    """A shape we read but will not guess about. ``span`` marks the part of the normalised
    text at fault, so examples can show the same text with that part made certain."""

    def __init__(
        self, reason: Reason, detail: str = "", span: tuple[int, int] | None = None
    ) -> None:
        super().__init__(reason, detail)
        self.reason: Reason = reason
        self.detail = detail
        self.span = span


# --- the words ------------------------------------------------------------------------------

_WEEKDAY_NAMES: Final = (
    ("mandag", "måndag", "monday"),
    ("tirsdag", "tisdag", "tuesday"),
    ("onsdag", "wednesday"),
    ("torsdag", "thursday"),
    ("fredag", "friday"),
    ("lørdag", "lördag", "lordag", "laurdag", "saturday"),
    ("søndag", "söndag", "sondag", "sunday"),
)
_WEEKDAY_ABBREVIATIONS: Final = (
    ("man", "mån", "mon"),
    ("tir", "tirs", "tis", "tue", "tues"),
    ("ons", "wed"),
    ("tor", "tors", "thu", "thur", "thurs"),
    ("fre", "fri"),
    ("lør", "lör", "sat"),
    ("søn", "sön", "sun"),
)
_MONTH_NAMES: Final = (
    ("januar", "januari", "january", "jan"),
    ("februar", "februari", "february", "feb"),
    ("marts", "mars", "march", "mar"),
    ("april", "apr"),
    ("maj", "mai", "may"),
    ("juni", "june", "jun"),
    ("juli", "july", "jul"),
    ("august", "augusti", "aug"),
    ("september", "sept", "sep"),
    ("oktober", "october", "okt", "oct"),
    ("november", "nov"),
    ("december", "desember", "dec", "des"),
)


@dataclass(frozen=True, slots=True)
class _Word:
    """What a word or fixed phrase means; ``value`` depends on ``kind``."""

    kind: str
    value: int | str = 0


def _lexicon() -> dict[tuple[str, ...], _Word]:
    words: dict[tuple[str, ...], _Word] = {}

    def add(kind: str, value: int | str, *phrases: str) -> None:
        for phrase in phrases:
            words[tuple(phrase.split())] = _Word(kind, value)

    for number, names in enumerate(_WEEKDAY_NAMES):
        # Plurals (da -e, nb -er, sv -ar, en -s) for "alle torsdage", "on Thursdays".
        plurals = [f"{n}{end}" for n in names for end in ("e", "er", "ar", "s")]
        add("weekday", number, *names, *plurals, *_WEEKDAY_ABBREVIATIONS[number])
    for number, names in enumerate(_MONTH_NAMES, start=1):
        add("month", number, *names)
    add("relday", 0, "i dag", "idag", "today")
    add("relday", 1, "i morgen", "imorgen", "i morra", "i morgon", "imorgon", "tomorrow")
    add(
        "relday", 2, "i overmorgen", "iovermorgen", "overmorgen", "i övermorgon",
        "iövermorgon", "övermorgon", "the day after tomorrow", "day after tomorrow",
        "overmorrow",
    )
    add(
        "tonight", "pm", "i aften", "iaften", "i kveld", "ikveld", "i kväll", "ikväll",
        "tonight", "this evening", "i eftermiddag", "i ettermiddag", "this afternoon",
    )
    add("tonight", "am", "i formiddag", "i förmiddag", "this morning")
    add(
        "period", "pm", "aften", "aftenen", "kveld", "kvelden", "kväll", "kvällen", "evening",
        "eftermiddag", "eftermiddagen", "ettermiddag", "ettermiddagen", "afternoon", "night",
        "at night",
    )
    add(
        "period", "am", "morgenen", "morgonen", "morning", "formiddag", "formiddagen",
        "förmiddag", "förmiddagen",
    )
    add("next", 0, "næste", "neste", "nästa", "next", "kommende", "kommande", "coming")
    add(
        "nextweek", 0, "næste uge", "i næste uge", "neste uke", "i neste uke", "nästa vecka",
        "next week",
    )
    add("every", 1, "hver", "hvert", "varje", "every", "each", "alle", "alla")
    add("every", 2, "hver anden", "hver annen", "varannan", "every other", "every second")
    add(
        "until", 0, "indtil", "til", "frem til", "fram til", "til og med", "till", "tills",
        "fram till", "till och med", "tom", "until", "through", "thru",
    )
    add("at", 0, "kl", "klokken", "klokka", "klockan", "at")
    add("noon", 0, "noon", "midday")
    add("filler", 0, "på", "on", "den", "d", "the", "of", "om", "in", "this", "denne", "dette")
    return words


_LEXICON: Final = _lexicon()
_LONGEST_PHRASE: Final = max(len(phrase) for phrase in _LEXICON)
SERIES_WORDS: Final = frozenset(p[0] for p, w in _LEXICON.items() if w.kind == "every")

# --- tokens ---------------------------------------------------------------------------------

_TOKEN: Final = re.compile(
    r"""
     (?P<reldays>(?:om|in)\s(?P<count>\d{1,2}|en|et|ett|a|one)\s
        (?P<unit>dage|dager|dagar|days|dag|day|uger|uker|veckor|weeks|uge|uke|vecka|week))
        (?![^\W\d_])
    |(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?![\d-])
    |(?P<slash>\d{1,2}/\d{1,2}(?:[/-](?:\d{4}|\d{2}))?)(?![\d/-])
    |(?P<dotdate>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?)(?![\d.])
    |(?P<ampm>\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm))(?![^\W\d_])
    |(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)(?![\d:])
    |(?P<dotnum>\d{1,2}\.\d{1,2})(?![\d.])
    |(?P<num>\d{1,4})(?P<suffix>\.|st|nd|rd|th|:e|e)?(?![\w:])
    |(?P<word>[^\W\d_]+)\.?
    |(?P<at>@)
    |(?P<dash>[-–—])
    |(?P<space>\s+)
    """,
    re.VERBOSE,
)
_ORDINAL_SUFFIXES: Final = frozenset({".", "st", "nd", "rd", "th", ":e", "e"})
_THE: Final = frozenset({"den", "d", "the"})
_COUNT_WORDS: Final = {"en": 1, "et": 1, "ett": 1, "a": 1, "one": 1}


@dataclass(frozen=True, slots=True)
class _Atom:
    """One token or phrase of the normalised text, with where it stands in it."""

    kind: str
    text: str
    start: int
    end: int
    value: int | str = 0
    suffix: str = ""


def normalise(text: str) -> str:
    """Lower case, one space, "p.m." as "pm", the ISO "T" as a space, no commas, and no
    sentence-final full stop after a word (a final stop after digits may be a date's: 12.3.)."""
    s = unicodedata.normalize("NFC", text).casefold().replace("\u00a0", " ")
    s = re.sub(r"(?<![^\W\d_])([ap])\.\s?m\.?(?![^\W\d_])", r"\1m", s)
    s = re.sub(r"(?<![^\W\d_])t\.o\.m\.?", " tom ", s)
    s = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", s)
    s = s.replace(",", " ")
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"[!?]+$", "", s)
    s = re.sub(r"(?<=[^\W\d_])\.$", "", s)
    return s.strip()


_KINDS: Final = (
    "reldays", "iso", "slash", "dotdate", "ampm", "clock", "dotnum", "num", "word", "at",
    "dash", "space",
)


def _tokens(s: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    position = 0
    while position < len(s):
        match = _TOKEN.match(s, position)
        if match is None:
            raise NotOurs(s[position:])
        kind = next(k for k in _KINDS if match.group(k) is not None)
        position = match.end()
        start, end, text = match.start(), match.end(), match.group(kind)
        if kind == "space":
            continue
        if kind == "reldays":
            count = match.group("count")
            days = _COUNT_WORDS[count] if count in _COUNT_WORDS else int(count)
            if match.group("unit").startswith(("u", "v", "w")):
                days *= 7
            atoms.append(_Atom("reldays", text, start, end, days))
        elif kind == "num":
            atoms.append(_Atom("num", match.group(0), start, end, int(text),
                               match.group("suffix") or ""))
        elif kind == "dotdate" and text.endswith(".") and text.count(".") == 2 and (
            len(text.split(".")[1]) == 2 and int(text.split(".")[1]) > 12
        ):
            # "18.30." is a time before a full stop, not a date in month 30.
            atoms.append(_Atom("dotnum", text[:-1], start, end))
        else:
            atoms.append(_Atom(kind, text.strip(), start, end))
    return atoms


def _atoms(s: str) -> list[_Atom]:
    """Tokens, with runs of words replaced by what they mean (longest phrase first)."""
    tokens = _tokens(s)
    atoms: list[_Atom] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind != "word":
            atoms.append(_Atom("at", "@", token.start, token.end) if token.kind == "at" else token)
            i += 1
            continue
        for length in range(min(_LONGEST_PHRASE, len(tokens) - i), 0, -1):
            run = tokens[i : i + length]
            if any(t.kind != "word" for t in run):
                continue
            meaning = _LEXICON.get(tuple(t.text.rstrip(".") for t in run))
            if meaning is not None:
                atoms.append(
                    _Atom(meaning.kind, s[run[0].start : run[-1].end], run[0].start,
                          run[-1].end, meaning.value)
                )
                i += length
                break
        else:
            raise NotOurs(token.text)
    return atoms


# --- what the words say ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalDate:
    """A day and month as written, the year only if it was written."""

    day: int
    month: int
    year: int | None = None


@dataclass(frozen=True, slots=True)
class Clock:
    """A time of day as written; ``padded`` when the hour had a leading zero ("07")."""

    hour: int
    minute: int
    second: int = 0
    meridiem: str | None = None
    padded: bool = False
    span: tuple[int, int] = (0, 0)


@dataclass(slots=True)
class Words:
    """Everything the text said, before it is set against today."""

    text: str
    relday: int | None = None
    weekday: int | None = None
    weekday_span: tuple[int, int] | None = None
    week: WeekMode = "plain"
    dates: list[CalDate] = field(default_factory=list)
    lone_day: int | None = None
    lone_day_span: tuple[int, int] | None = None
    clock: Clock | None = None
    period: str | None = None
    every: int = 0
    until: CalDate | None = None


def _date_at(atoms: list[_Atom], i: int) -> tuple[CalDate, int] | None:
    """A date starting at atom i, and the index after it: ISO, 12/3, 12.3., "12. marts",
    "12th of March", "March 12th", each with an optional four-digit year after it."""
    atom = atoms[i]
    if atom.kind == "iso":
        year, month, day = (int(p) for p in atom.text.split("-"))
        return CalDate(day, month, year), i + 1
    if atom.kind in ("slash", "dotdate"):
        parts = [p for p in re.split(r"[/.-]", atom.text) if p]
        year = None
        if len(parts) == 3:
            year = int(parts[2]) + (2000 if len(parts[2]) == 2 else 0)
        return CalDate(int(parts[0]), int(parts[1]), year), i + 1

    def skip_fillers(j: int) -> int:
        while j < len(atoms) and atoms[j].kind == "filler" and atoms[j].text in ("of", "the"):
            j += 1
        return j

    day = month = None
    j = i
    if atom.kind == "num" and atom.suffix in _ORDINAL_SUFFIXES | {""}:
        j = skip_fillers(i + 1)
        if j < len(atoms) and atoms[j].kind == "month":
            day, month, j = int(atom.value), int(atoms[j].value), j + 1
    elif atom.kind == "month":
        j = skip_fillers(i + 1)
        if (
            j < len(atoms)
            and atoms[j].kind == "num"
            and atoms[j].suffix != "."
            and len(str(atoms[j].value)) <= 2
        ):
            day, month, j = int(atoms[j].value), int(atom.value), j + 1
    if day is None or month is None:
        return None
    year = None
    if (
        j < len(atoms)
        and atoms[j].kind == "num"
        and not atoms[j].suffix
        and int(atoms[j].value) >= 1000
    ):
        year, j = int(atoms[j].value), j + 1
    return CalDate(day, month, year), j


def _clock(atom: _Atom, *, after_at: bool) -> Clock | None:
    """The time of day one atom writes, or None if it writes none."""
    span = (atom.start, atom.end)
    if atom.kind == "num" and after_at and atom.suffix in ("", "."):
        digits = atom.text.rstrip(".")
        return Clock(int(digits), 0, padded=digits.startswith("0") and len(digits) == 2,
                     span=span)
    if atom.kind == "clock":
        hour, minute, *second = (int(p) for p in atom.text.split(":"))
        return Clock(hour, minute, second[0] if second else 0,
                     padded=atom.text.startswith("0"), span=span)
    if atom.kind in ("dotnum", "dotdate") and (after_at or atom.kind == "dotnum"):
        hour_text, minute_text = atom.text.rstrip(".").split(".")[:2]
        if len(minute_text) != 2 or (atom.kind == "dotdate" and not atom.text.endswith(".")):
            return None
        return Clock(int(hour_text), int(minute_text), padded=hour_text.startswith("0"),
                     span=span)
    if atom.kind == "ampm":
        match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s?([ap]m)", atom.text)
        if match is None:
            return None
        return Clock(int(match.group(1)), int(match.group(2) or 0), meridiem=match.group(3),
                     span=span)
    return None


def read_words(text: str) -> Words:
    """What the text says, word by word; raises NotOurs or Refused."""
    s = normalise(text)
    if not s:
        raise NotOurs(text)
    atoms = _atoms(s)
    words = Words(s)
    loose: list[_Atom] = []
    pending_next = False
    i = 0

    def set_clock(clock: Clock) -> None:
        if words.clock is not None:
            raise Refused("ambiguous", "two-times", clock.span)
        words.clock = clock

    def set_period(period: str) -> None:
        if words.period not in (None, period):
            raise Refused("ambiguous", "am-pm")
        words.period = period

    def set_relday(days: int) -> None:
        if words.relday not in (None, days):
            raise Refused("ambiguous", "two-dates")
        words.relday = days

    while i < len(atoms):
        atom = atoms[i]
        found = _date_at(atoms, i)
        if found is not None:
            if words.until is None and i > 0 and atoms[i - 1].kind == "until":
                words.until = found[0]
            else:
                words.dates.append(found[0])
            i = found[1]
            continue
        kind = atom.kind
        if kind == "until":
            if i + 1 >= len(atoms) or _date_at(atoms, i + 1) is None or words.until is not None:
                raise NotOurs(atom.text)
        elif kind == "at":
            following = atoms[i + 1] if i + 1 < len(atoms) else None
            clock = _clock(following, after_at=True) if following is not None else None
            if following is not None and following.kind == "noon":
                clock = Clock(12, 0, padded=True, span=(following.start, following.end))
            if clock is None:
                raise NotOurs(atom.text)
            set_clock(clock)
            i += 1
        elif kind in ("clock", "ampm"):
            clock = _clock(atom, after_at=False)
            if clock is None:
                raise NotOurs(atom.text)
            set_clock(clock)
        elif kind == "noon":
            set_clock(Clock(12, 0, padded=True, span=(atom.start, atom.end)))
        elif kind in ("dotnum", "dotdate"):
            loose.append(atom)
        elif kind == "num":
            following = atoms[i + 1] if i + 1 < len(atoms) else None
            if (
                following is not None
                and following.kind in ("period", "tonight")
                and not atom.suffix
                and int(atom.value) <= 12
            ):
                clock = _clock(atom, after_at=True)  # "7 i aften": the part of day makes it one
                assert clock is not None
                set_clock(clock)
            elif int(atom.value) <= 31 and (
                atom.suffix in _ORDINAL_SUFFIXES
                or (i > 0 and atoms[i - 1].kind == "filler" and atoms[i - 1].text in _THE)
            ):
                if words.lone_day is not None:
                    raise Refused("ambiguous", "two-dates", (atom.start, atom.end))
                words.lone_day, words.lone_day_span = int(atom.value), (atom.start, atom.end)
            else:
                raise Refused("ambiguous", "bare-number", (atom.start, atom.end))
        elif kind == "month":
            raise Refused("ambiguous", "no-day", (atom.start, atom.end))
        elif kind in ("relday", "reldays"):
            set_relday(int(atom.value))
        elif kind == "tonight":
            set_relday(0)
            set_period(str(atom.value))
        elif kind == "period":
            set_period(str(atom.value))
        elif kind == "weekday":
            if words.weekday not in (None, atom.value):
                raise Refused("ambiguous", "two-dates", (atom.start, atom.end))
            words.weekday = int(atom.value)
            words.weekday_span = (atom.start, atom.end)
            if pending_next:
                words.week = "next" if words.week == "plain" else words.week
                pending_next = False
        elif kind == "next":
            if pending_next or i + 1 >= len(atoms) or atoms[i + 1].kind != "weekday":
                raise NotOurs(atom.text)
            pending_next = True
        elif kind == "nextweek":
            if words.week == "next":
                raise Refused("ambiguous", "two-dates", (atom.start, atom.end))
            words.week = "nextweek"
        elif kind == "every":
            if words.every:
                raise NotOurs(atom.text)
            words.every = int(atom.value)
        elif kind not in ("filler", "dash"):
            raise NotOurs(atom.text)
        i += 1

    _place_loose(words, loose)
    return words


def _place_loose(words: Words, loose: list[_Atom]) -> None:
    """Decide whether each "12.03"-like number is a date or a time (see the module rules)."""

    def as_date(atom: _Atom) -> CalDate:
        found = _date_at([_Atom("dotdate", atom.text + ".", atom.start, atom.end)], 0)
        assert found is not None
        return found[0]

    def can_be_time(atom: _Atom) -> bool:
        clock = _clock(atom, after_at=True)
        return clock is not None and clock.hour <= 23 and clock.minute <= 59

    def can_be_date(atom: _Atom) -> bool:
        if atom.kind == "dotdate":
            return True
        day, month = (int(p) for p in atom.text.split("."))
        return 1 <= day <= 31 and 1 <= month <= 12

    undecided: list[_Atom] = []
    for atom in loose:
        time_like, date_like = can_be_time(atom), can_be_date(atom)
        if time_like and not date_like:
            clock = _clock(atom, after_at=True)
            assert clock is not None
            if words.clock is not None:
                raise Refused("ambiguous", "two-times", (atom.start, atom.end))
            words.clock = clock
        elif date_like and not time_like:
            words.dates.append(as_date(atom))
        elif time_like:
            undecided.append(atom)
        else:
            raise Refused("unreadable", "no-such-date", (atom.start, atom.end))
    for atom in undecided:
        has_day = bool(
            words.dates or words.relday is not None or words.weekday is not None
        )
        if words.clock is not None:
            words.dates.append(as_date(atom))
        elif has_day:
            words.clock = _clock(atom, after_at=True)
        else:
            raise Refused("ambiguous", "date-or-time", (atom.start, atom.end))


# --- set against today ----------------------------------------------------------------------


def calendar_date(written: CalDate, earliest: date) -> date:
    """The date a written day and month mean: with its year as written, else the first one
    on or after ``earliest`` (this year's, or next year's once it has passed)."""
    if written.year is not None:
        try:
            return date(written.year, written.month, written.day)
        except ValueError:
            raise Refused("unreadable", "no-such-date") from None
    for year in (earliest.year, earliest.year + 1):
        try:
            candidate = date(year, written.month, written.day)
        except ValueError:
            continue
        if candidate >= earliest:
            return candidate
    raise Refused("unreadable", "no-such-date")


def _next_day_of_month(day: int, today: date) -> date:
    """The first date on or after today whose day of the month is ``day`` ("torsdag den 5.")."""
    year, month = today.year, today.month
    for _ in range(3):
        try:
            candidate = date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    raise Refused("unreadable", "no-such-date")


def day_of(words: Words, today: date) -> date:
    """The one day the words name, relative to today (see the module rules)."""
    candidates: list[date] = []
    if words.relday is not None:
        candidates.append(today + timedelta(days=words.relday))
    candidates.extend(calendar_date(written, today) for written in words.dates)
    weekday = words.weekday
    if words.lone_day is not None:
        if weekday is None:  # "den 12.": which month is not ours to guess
            raise Refused("ambiguous", "no-month", words.lone_day_span)
        candidates.append(_next_day_of_month(words.lone_day, today))
    next_monday = today + timedelta(days=7 - today.weekday())
    next_sunday = next_monday + timedelta(days=6)
    if words.week == "nextweek" and any(not next_monday <= d <= next_sunday for d in candidates):
        raise Refused("ambiguous", "two-dates")
    if weekday is not None:
        if candidates:  # an explicit day wins; the weekday beside it must agree
            if any(day.weekday() != weekday for day in candidates):
                raise Refused("ambiguous", "weekday-mismatch", words.weekday_span)
        elif words.week == "next":
            candidates.append(today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1))
        elif words.week == "nextweek":
            candidates.append(next_monday + timedelta(days=weekday))
        else:
            ahead = (weekday - today.weekday()) % 7
            if ahead == 0:
                raise Refused("ambiguous", "today-or-next-week", words.weekday_span)
            candidates.append(today + timedelta(days=ahead))
    elif words.week == "nextweek" and not candidates:
        raise Refused("ambiguous", "no-day")
    if len(set(candidates)) > 1:
        raise Refused("ambiguous", "two-dates")
    return candidates[0] if candidates else today


def clock_of(words: Words, policy: AmbiguousHours) -> tuple[int, int, int]:
    """Hour, minute and second on the 24-hour clock (see the module rules on hours 1-7)."""
    clock = words.clock
    if clock is None:
        raise Refused("no-time")
    hour, period = clock.hour, clock.meridiem or words.period
    if clock.meridiem and words.period and clock.meridiem != words.period:
        raise Refused("ambiguous", "am-pm", clock.span)
    if clock.meridiem:
        if not 1 <= hour <= 12:  # "13pm", "0am"
            raise Refused("unreadable", "no-such-time", clock.span)
        hour = hour % 12 + (12 if clock.meridiem == "pm" else 0)
    elif period == "pm":
        if 1 <= hour <= 11:
            hour += 12
        elif hour == 0:
            raise Refused("ambiguous", "am-pm", clock.span)
    elif period == "am":
        if hour >= 12:
            raise Refused("ambiguous", "am-pm", clock.span)
    elif policy == "refuse" and 1 <= hour <= 7 and not clock.padded:
        raise Refused("ambiguous", "hour", clock.span)
    if hour > 23 or clock.minute > 59 or clock.second > 59:
        raise Refused("unreadable", "no-such-time", clock.span)
    return hour, clock.minute, clock.second


def is_series(text: str) -> bool:
    """Whether the text starts like a series ("hver", "varje", "every", ...)."""
    first = normalise(text).split(" ", 1)[0].rstrip(".")
    return first in SERIES_WORDS
