"""Discourse cues in a message: filler around the point, and wording that commits to action.

Chat restates points wrapped in discourse ("Som jeg skrev tidligere: …", "Helt enig – …",
"… Please put that in the notes."). The wrapping carries no topic, so it is cut before words
are counted and before a message is shown as a key point. The rule is structural rather than
a list of whole phrases: a leading segment (up to ":", a dash, or a sentence end) or a closing
sentence is filler when every word in it is a stop word, a chat word, a discourse word
(below), or a name with digits ("deltager-22"), or when it is agreement addressed to someone
("Håller med Anna."), and enough of the message remains.

Commitment wording ("vi sender det til udvalget i januar", "I'll take it to the committee",
"Jag kan lova att …") marks what staff and politicians promise, which the minutes must carry.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Final

from bot.summariser import text as tx

# Words that talk about the conversation rather than its subject: saying, repeating,
# stressing, agreeing, opinions and importance, the minutes, who should listen.
_DISCOURSE: Final = {
    "da": """skrev skrevet skriver sagde sagt siger nævnte nævnt nævner tidligere før allerede
        gentage gentager gentog understrege understreger understregede pointere
        vigtigste vigtigt vigtig afgørende essentielt centralt væsentligt pointe pointen
        mening meninger holdning synspunkt ærlig ærligt personligt fald hvert tænker samme må
        referat referatet protokol protokollen noteret notere kommunen politikerne
        politikere byrådet håber hører lytter lytte alvorligt alvor ellers enige enig
        tilføje tilføjer desuden øvrigt forresten kort sagt andre""",
    "nb": """skrev skrevet skriver sa sagt sier nevnte nevnt nevner tidligere før allerede
        gjenta gjentar gjentok understreke understreker understreket poengtere
        viktigste viktig viktigst avgjørende essensielt sentralt vesentlig poeng poenget
        mening meninger holdning synspunkt ærlig ærlige personlig fall hvert tenker samme må
        referat referatet protokoll protokollen notert notere kommunen politikerne
        politikere kommunestyret håper hører lytter lytte alvor alvorlig ellers enige enig
        legge legger dessuten forresten kort sagt andre""",
    "sv": """skrev skrivit skriver sa sade sagt säger nämnde nämnt nämner tidigare förut
        redan upprepa upprepar upprepade understryka understryker underströk poängtera
        viktigaste viktigt viktig avgörande väsentligt centralt poäng poängen åsikt
        åsikter ståndpunkt ärlig ärligt personligen fall alla tänker samma likadant måste
        protokoll protokollet antecknat anteckna kommunen politikerna politiker
        fullmäktige hoppas hör lyssnar lyssna allvar allvarligt annars överens enig ense
        lägga lägger dessutom förresten kort sagt andra""",
    "en": """said say saying says wrote write written mentioned mention earlier before already
        repeat repeating repeated stress stressing emphasise emphasize emphasising
        emphasizing important key crucial essential vital main point view views opinion
        honest honestly personally least thinking same agree agreed agreeing notes minutes
        record council councillors councilors politicians hope hoping listening listen
        seriously serious otherwise totally completely fully add adding besides anyway
        short others""",
}
# Short interjections that may open a message before a comma ("Ja, og så: …").
_INTERJECTIONS: Final = tx.vocabulary(
    "ja jo jep nå nåh altså så og well so yes yeah ok okay and och også also"
)
_MAX_LEAD_WORDS: Final = 8
_MAX_TAIL_WORDS: Final = 10
_MIN_LEFT_WORDS: Final = 3

# A leading segment ends at a colon, a spaced dash, or a sentence mark followed by space;
# a comma ends it only after a short interjection.
_LEAD_RE: Final = re.compile(
    r"^\s*(?P<seg>[^:;!?.,–—]{1,80}?)\s*(?P<sep>:|;|[.!]+(?=\s)|\s[–—-](?=\s)|[–—](?=\s)|,(?=\s))\s*"
)
# "Enig med Anna.", "Håller med Ole:", "Agree with Ben –": agreement addressed to someone by
# name; the name is no topic, so the whole segment is filler.
_ADDRESSED_RE: Final = re.compile(
    r"^(?:(?:jeg|jag|i)\s+)?(?:er\s+|är\s+|am\s+|'m\s+)?(?:helt\s+|totally\s+|fully\s+)?"
    r"(?:(?:enig|einig|enige|håller|holder|instämmer)\s+med|(?:agree|agreed)\s+with|"
    r"samme\s+som|samma\s+som|same\s+as)\s+[\w\-]+(?:\s+[\w\-]+){0,2}$",
    re.IGNORECASE,
)
_SENTENCE_BREAK_RE: Final = re.compile(r"[.!?…]\s+\S|\n")
_NAME_RE: Final = re.compile(r"^(?=.*\d)(?=.*[^\W\d_])[\w\-]+$")


@cache
def _filler_words() -> frozenset[str]:
    """Filler in any of the four languages: segments are short and often misdetected."""
    words: set[str] = set(tx.CHAT_WORDS)
    for lang, vocabulary in _DISCOURSE.items():
        words.update(tx.stopwords(lang))
        words.update(vocabulary.split())
    return frozenset(words)


def _all_filler(words: list[str]) -> bool:
    filler = _filler_words()
    return bool(words) and all(
        word in filler or _NAME_RE.match(word) is not None or tx.is_laugh(word) for word in words
    )


def strip_lead(text: str) -> str:
    """Text without opening discourse ("Helt enig –", "As I said earlier:", "Ja, og så:")."""
    for _ in range(3):
        match = _LEAD_RE.match(text)
        if match is None:
            break
        segment = tx.words(match.group("seg"))
        if match.group("sep") == "," and not (
            len(segment) <= 2 and all(word in _INTERJECTIONS for word in segment)
        ):
            break
        rest = text[match.end() :]
        filler = _all_filler(segment) or (
            match.group("sep") != "," and _ADDRESSED_RE.match(match.group("seg").strip())
        )
        if (
            len(segment) > _MAX_LEAD_WORDS
            or not filler
            or len(tx.words(rest)) < _MIN_LEFT_WORDS
        ):
            break
        text = rest
    return text


def strip_tail(text: str) -> str:
    """Text without closing sentences that only address the meeting ("Put that in the notes.")."""
    if not _SENTENCE_BREAK_RE.search(text):
        return text
    parts = tx.sentences(text)
    if len(parts) < 2:
        return text
    kept = len(parts)
    while kept > 1:
        last = tx.words(parts[kept - 1])
        if len(last) > _MAX_TAIL_WORDS or not _all_filler(last):
            break
        kept -= 1
    if kept == len(parts) or sum(len(tx.words(part)) for part in parts[:kept]) < _MIN_LEFT_WORDS:
        return text
    return " ".join(parts[:kept])


@lru_cache(maxsize=65_536)
def core(text: str) -> str:
    """What a message says once the discourse around it is cut (memoised: chat repeats)."""
    return strip_tail(strip_lead(text))


def capitalise(text: str) -> str:
    """First letter upper case for display; "iPhone"-style words are left alone."""
    for position, char in enumerate(text):
        if char.isalpha():
            word = text[position:].split(" ", 1)[0]
            if char.islower() and not any(c.isupper() for c in word[1:]):
                return text[:position] + char.upper() + text[position + 1 :]
            return text
        if not (char.isspace() or char in "\"'«»“”‘’(-–—…"):
            return text
    return text


# --- commitments ----------------------------------------------------------------------------

_MONTHS: Final = """januar januari january februar februari february marts mars march april
    maj mai juni june juli july august augusti september oktober october november december
    desember jul christmas"""
_WHEN: Final = (
    "næste år", "næste uge", "næste måned", "neste år", "neste uke", "neste måned",
    "nästa år", "nästa vecka", "nästa månad", "next year", "next week", "next month",
    "næste års", "neste års", "nästa års", "next year's",
    "denne måned", "denne måneden", "den här månaden", "this month", "this year",
    "i morgen", "i morgon", "tomorrow", "senest", "by the end of", "til foråret",
    "til våren", "till våren", "til efteråret", "til høsten", "till hösten", "in the spring",
    "in the autumn", "by spring", "by autumn", "before the summer", "før sommeren",
    "före sommaren",
)
_PROMISE: Final = (
    "lover", "love", "lova", "lovar", "lovet", "lovat", "promise", "promised", "promises",
    "garanterer", "garanterar", "guarantee", "sørger for", "sørge for", "ser til at",
    "ser till att", "se till att", "make sure", "ensure", "vender tilbage", "kommer tilbake",
    "återkommer", "get back to", "report back",
)
_FUTURE: Final = (
    "vi skal", "jeg skal", "vi kommer til at", "jeg kommer til at",
    "vi kommer til å", "jeg kommer til å", "vi ska", "jag ska", "vi kommer att",
    "jag kommer att", "i'll", "we'll", "i will", "we will", "we shall", "we are going to",
    "we're going to", "i'm going to", "i am going to", "vi tager", "vi tar", "jeg tager",
    "jeg tar", "jag tar", "vi sender", "vi skickar", "vi samler", "vi samlar", "vi laver",
    "vi lager", "vi gör", "vi starter", "vi startar", "vi sætter", "vi setter", "vi sätter",
    "vi evaluerer", "vi utvärderar", "vi undersøger", "vi undersøker", "vi undersöker",
    "vi beder", "vi ber", "vi har bedt", "we can offer", "vi kan tilbyde", "vi kan tilby",
    "vi kan erbjuda",
)


def _phrase_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    parts = sorted((re.escape(phrase) for phrase in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


_WHEN_RE: Final = _phrase_re(_WHEN + tuple(_MONTHS.split()))
_PROMISE_RE: Final = _phrase_re(_PROMISE)
_FUTURE_RE: Final = _phrase_re(_FUTURE)


def is_commitment(text: str) -> bool:
    """Wording that promises an action or names when something will happen."""
    lowered = text.lower()
    return bool(
        _PROMISE_RE.search(lowered) or _FUTURE_RE.search(lowered) or _WHEN_RE.search(lowered)
    )
