"""Words, stems and the small vocabularies of chat (greetings, laughter, "+1").

Stop words come from the `stop-words` package and stems from `snowballstemmer`; both ship
their data, so nothing is downloaded at run time. The chat vocabularies below are ours: stop
word lists are written for prose and miss what people type in a chat.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any, Final

import snowballstemmer
from stop_words import get_stop_words

_SNOWBALL_NAMES: Final = {"da": "danish", "nb": "norwegian", "sv": "swedish", "en": "english"}

# Danish and Bokmål are written almost alike and detection mixes them up, so each gets the
# other's stop words too.
_STOPWORD_LANGS: Final = {"da": ("da", "nb"), "nb": ("nb", "da"), "sv": ("sv",), "en": ("en",)}

# Discourse and filler words the prose lists lack; they carry no topic in a chat.
_EXTRA_STOPWORDS: Final = {
    "da": """synes syntes tror troede tænker tænkte mener mente gerne rigtig rigtigt godt god
        gode bare lidt meget helt måske virkelig også jo nok egentlig faktisk lige sådan altså
        kan kunne få får fik går gå gik sige siger sagde komme kommer kom ting noget nogen
        sgu vel da nu her der hvad hvordan hvorfor hvornår hvem hvilken hvilke hvor mange
        flere mere mest andre anden andet ved bliver blive blev skulle ville været være
        mellem langs hver hvert forbi omkring gennem igennem hele altid aldrig stadig
        allerede igen først sidst både burde bør måtte mangler brug bruge bruger tage
        tager tog give giver gav gøre gør gjorde gjort lave laver lavede holde holder se
        ser set sætte sætter sted stedet køre kører kørte kørt bag bagved foran""",
    "nb": """synes syntes tror trodde tenker tenkte mener mente gjerne riktig godt god gode
        bare litt mye helt kanskje virkelig også jo nok egentlig faktisk liksom sånn altså
        kan kunne få får fikk går gå gikk si sier sa komme kommer kom ting noe noen vel nå
        her der hva hvordan hvorfor når hvem hvilken hvilke hvor mange flere mer mest andre
        annen annet blir bli ble skulle ville vært være
        mellom langs hver hvert forbi rundt gjennom hele alltid aldri fortsatt allerede
        igjen først sist både burde bør måtte mangler trenger bruk bruke bruker ta tar tok
        gi gir ga gjøre gjør gjorde gjort lage lager laget holde holder se ser sett sette
        setter sted stedet kjøre kjører kjørte kjørt bak bakom foran""",
    "sv": """tycker tyckte tror trodde tänker tänkte menar menade gärna riktigt bra bara lite
        mycket helt kanske verkligen också ju nog egentligen faktiskt typ liksom sådär alltså
        kan kunde få får fick går gå gick säga säger sa komma kommer kom sak saker något
        några nu här där vad hur varför när vem vilken vilka var många fler mer mest andra
        annan annat blir bli blev skulle ville varit vara
        mellan längs varje förbi runt genom hela alltid aldrig fortfarande redan igen
        först sist både borde bör måste saknas saknar behöver behövs ta tar tog ge ger gav
        göra gör gjorde gjort hålla håller se ser såg sett sätta sätter ställe stället
        köra kör körde kört bakom framför""",
    "en": """think thought guess reckon mean really pretty quite lot lots thing things stuff
        gonna wanna kinda sorta yeah yep okay ok along""",
}

def vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words that make a message chatter rather than a point, in all four languages at once
# (short messages are where language detection fails).
CHAT_WORDS: Final = vocabulary(
    """
    hej hejsa hejsan hey hi hello hallo hallå hei heisann goddag godmorgen godaften godnat
    morgen morgon aften kveld kväll dag day morning evening afternoon night tonight
    velkommen välkommen welcome tak takk tack thanks thank thx ty mange tusind tusen
    ja jo jep jepp japp nej nei nope yes yeah yep no ok okay okej oki fint fedt super supert
    cool kul kult great nice awesome fine lovely dejligt herligt härligt godt god bra good
    ses sees see you alle alla everyone everybody all sammen tilsammans together
    hilsen hälsningar cheers bye farvel hejdå hadet vi we i jer dere er ni
    undskyld unnskyld beklager förlåt ursäkta sorry oops ups hov
    enig enige uenig einig oenig agree agreed disagree præcis presis precis akkurat exakt
    exactly nemlig absolut absolutely klart selvfølgelig selvsagt självklart sure true
    sandt sant høre hør hører høres höra hör hörs hear here her där der klar klare redo
    ready mikrofon mic mute muted unmute
    haha hahaha hehe hihi lol lmao rofl xd jaja
    """
)

_LAUGH: Final = r"(?:a?(?:ha|he|hi|hø|hä|hæ){2,}h?|lol+|lmao|rofl|x+d+|jaja+)"
_LAUGH_RE: Final = re.compile(_LAUGH + "$")
_LAUGHTER_RE: Final = re.compile(
    r"(?<![^\W_])" + _LAUGH + r"(?![^\W_])|[😂🤣😆😅😄😁😹🙃😜😝😛😀😃]", re.IGNORECASE
)

_WORD_RE: Final = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_URL_RE: Final = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION_RE: Final = re.compile(r"@[\w.\-=/]+(?::[\w.\-]+)?")
_SPACE_RE: Final = re.compile(r"\s+")
_SENTENCE_END_RE: Final = re.compile(r"(?<=[.!?…])\s+|\n+")

# --- stance: agreement and disagreement in replies -------------------------------------------

_AGREE_PHRASES: Final = (
    "+1", "enig", "enige", "helt enig", "einig", "agree", "agreed", "i agree", "håller med",
    "håller helt med", "instämmer", "støtter", "støtte", "stöder", "stödjer", "support",
    "præcis", "presis", "precis", "akkurat", "exakt", "exactly", "nemlig", "absolut",
    "absolutely", "godt forslag", "god idé", "god ide", "godt sagt", "bra idé", "bra ide",
    "bra förslag", "bra sagt", "good idea", "good point", "well said", "god pointe",
    "godt poeng", "bra poäng", "så sandt", "så sant", "godt spørgsmål", "godt spørsmål",
    "bra fråga", "good question", "skriver under", "signerer", "same here", "også mig",
    "også meg", "jag också", "me too", "no objection", "no objections", "ingen indvendinger",
    "ingen innvendinger", "inga invändningar", "👍", "👏", "💯", "🙌",
)
_DISAGREE_PHRASES: Final = (
    "uenig", "oenig", "disagree", "ikke enig", "ikkje einig", "inte enig", "håller inte med",
    "don't agree", "do not agree", "dont agree", "not agree", "dårlig idé", "dårlig ide",
    "dålig idé", "dålig ide", "bad idea", "not a good idea", "ikke en god idé",
    "ikke nogen god idé", "inte en bra idé", "er imod", "imod det", "er imot", "imot det",
    "är emot", "emot det", "against it", "against that", "am against", "i'm against",
    "tvivler", "tviler", "tvivlar", "i doubt", "det tror jeg ikke", "det tror jag inte",
    "tror ikke det", "not convinced", "ikke min erfaring", "inte min erfarenhet",
    "not my experience", "det passer ikke", "det stemmer ikke", "det stämmer inte",
    "that's not true", "that is not true", "ser det anderledes", "ser det annerledes",
    "ser det annorlunda", "see it differently", "on the contrary", "👎",
)
# Replies that back a question instead of answering it.
_ME_TOO_PHRASES: Final = (
    "+1", "godt spørgsmål", "godt spørsmål", "bra fråga", "good question", "same here",
    "også mig", "også meg", "jag också", "me too", "samme her", "samma här", "👍",
)
_AGREE_FIRST: Final = vocabulary(
    "ja jo jep jepp japp yes yeah yep yup præcis presis precis exactly absolut sure"
)
# An agreement word right after one of these is no agreement ("inte precis").
_NEGATIONS: Final = vocabulary(
    "ikke ikkje inte not never aldrig aldri don't doesn't isn't aren't dont ej icke won't "
    "wouldn't can't cannot"
)
# Negations whose scope turns opposition into support: "ikke uenig", "har intet imod".
_SCOPE_NEGATIONS: Final = _NEGATIONS | vocabulary("intet ingenting inget nothing")
_SCOPE_WORDS: Final = 3  # how far back a negation reaches ("not really against")
# Agreement said with a verb or "enig": negated it disagrees ("ikke helt enig", "I don't
# support it"); a negated adverb only hedges ("inte precis").
_AGREE_VERBS: Final = frozenset({
    "enig", "enige", "helt enig", "einig", "agree", "agreed", "i agree", "håller med",
    "håller helt med", "instämmer", "støtter", "støtte", "stöder", "stödjer", "support",
})
# Opening words that make a "no" after them emphatic: "Absolut ikke", "Helt klart nej".
_INTENSIFIERS: Final = vocabulary(
    "absolut absolutt absolutely helt klart klart definitivt definitely certainly bestemt "
    "avgjort sikkert slet overhovedet really totally simply simpelthen præcis presis precis "
    "exactly sure"
)
_NO_WORDS: Final = vocabulary("nej nei no nope næ nä nää")
_CLAUSE_END_RE: Final = re.compile(r"\s*(?:$|[.,;:!?…–—)]|\s-\s)")
_CLAUSE_BREAK_RE: Final = re.compile(r"[.,;:!?…–—()]")
_NEXT_WORD_RE: Final = re.compile(r"\s*([^\W_]+(?:['’\-][^\W_]+)*)")
# A reply that opens with "no" argues with what it answers.
_DISAGREE_FIRST: Final = vocabulary(
    "nej nei no nope næ nä nää tværtimod tvertimot tvärtom nja"
)
# One that opens with "but" argues too, unless it goes on to agree ("Men jeg er helt enig").
_CONTRAST_FIRST: Final = vocabulary("men but however dock")


def _phrase_re(phrases: tuple[str, ...]) -> re.Pattern[str]:
    parts = sorted((re.escape(phrase) for phrase in phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w+])(?:" + "|".join(parts) + r")(?![\w])")


_AGREE_RE: Final = _phrase_re(_AGREE_PHRASES)
_DISAGREE_RE: Final = _phrase_re(_DISAGREE_PHRASES)
_ME_TOO_RE: Final = _phrase_re(_ME_TOO_PHRASES)
# Opposition that, negated, is support; the longer forms ("er imod") are in _DISAGREE_PHRASES.
_OPPOSITION_RE: Final = _phrase_re((
    "imod", "imot", "emot", "against", "opposed", "uenig", "uenige", "oenig", "oeniga",
    "ueinig", "ueinige", "disagree", "modstander", "motstander", "motståndare",
))

# --- reactions ------------------------------------------------------------------------------

_SHORTCODES: Final = {
    ":+1:": "👍", "+1": "👍", ":thumbsup:": "👍", ":-1:": "👎", "-1": "👎",
    ":thumbsdown:": "👎", ":heart:": "❤", "<3": "❤", ":white_check_mark:": "✅",
}
POSITIVE_REACTIONS: Final = vocabulary(
    "👍 ❤ ♥ 👏 💯 🙌 😍 🥰 💚 💙 💛 🧡 💜 🤍 ⭐ 🌟 🎉 👌 💪 ✅ ✔ ☑ 🙂 😊 ☺"
)
# Anger or sadness is about the matter more often than about the message, so only clear
# "no" signs count against a point.
NEGATIVE_REACTIONS: Final = vocabulary("👎 ❌ ✖ 🙄")
RESOLVED_REACTIONS: Final = vocabulary("✅ ✔ ☑")


def normalise_reaction(key: str) -> str:
    """Fold skin tones, variation selectors and shortcodes so 👍🏽 and :+1: count as 👍."""
    key = key.strip()
    key = _SHORTCODES.get(key.lower(), key)
    return "".join(
        ch for ch in key if ch not in "\ufe0f\ufe0e" and not 0x1F3FB <= ord(ch) <= 0x1F3FF
    )


# --- words ----------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Drop a Matrix reply fallback (leading "> " lines) and surrounding whitespace."""
    if text.startswith(">"):
        lines = text.split("\n")
        while lines and lines[0].startswith(">"):
            lines.pop(0)
        text = "\n".join(lines)
    return text.strip()


def strip_noise(text: str) -> str:
    """Text without links and mentions, which are neither topic nor chatter."""
    return _MENTION_RE.sub(" ", _URL_RE.sub(" ", text))


def words(text: str) -> list[str]:
    """Lowercased words; digits count, punctuation and emoji do not."""
    return _WORD_RE.findall(text.lower())


def surface_words(text: str) -> list[str]:
    """Words as written, for showing key phrases with their capitals."""
    return _WORD_RE.findall(text)


def is_laugh(word: str) -> bool:
    return _LAUGH_RE.match(word) is not None


def has_laughter(text: str) -> bool:
    """"haha", "lol", "xD" or a laughing emoji anywhere in the text."""
    return _LAUGHTER_RE.search(text) is not None


@cache
def stopwords(lang: str) -> frozenset[str]:
    found: set[str] = set()
    for code in _STOPWORD_LANGS[lang]:
        found.update(word.lower() for word in get_stop_words(_SNOWBALL_NAMES[code]))
        found.update(_EXTRA_STOPWORDS[code].split())
    return frozenset(found)


_local = threading.local()


def _snowball(lang: str) -> Any:
    """The Snowball stemmer of a language, made once per thread (a stemmer keeps state)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {
            code: snowballstemmer.stemmer(name) for code, name in _SNOWBALL_NAMES.items()
        }
    return stemmers[lang]


class Stemmer:
    """Snowball stems memoised per language: chat repeats the same few thousand words.

    One per summary, shared by every step that stems (analysis, key phrases), so each word is
    stemmed once; the Snowball stemmers themselves are made once per thread (`_snowball`).
    """

    def __init__(self) -> None:
        self._memo: dict[str, dict[str, str]] = {lang: {} for lang in _SNOWBALL_NAMES}

    def stem(self, word: str, lang: str) -> str:
        memo = self._memo[lang]
        stem = memo.get(word)
        if stem is None:
            stem = memo[word] = _snowball(lang).stemWord(word)
        return stem


def _negated(lowered: str, start: int) -> bool:
    """A negation within the few words before `start`, in the same clause ("ikke helt uenig")."""
    clause = _CLAUSE_BREAK_RE.split(lowered[max(0, start - 40) : start])[-1]
    return not _SCOPE_NEGATIONS.isdisjoint(_WORD_RE.findall(clause)[-_SCOPE_WORDS:])


def _negation_after(lowered: str, end: int) -> bool:
    """A negation or "no" right after an agreement word ("Absolut ikke", "støtter ikke")."""
    word = _NEXT_WORD_RE.match(lowered, end)
    return word is not None and (word.group(1) in _NEGATIONS or word.group(1) in _NO_WORDS)


def _refuses_outright(lowered: str) -> bool:
    """"Absolut ikke.", "Helt klart nej", "Definitely not": emphasis, then a "no"."""
    position = 0
    emphasised = False
    while (word := _WORD_RE.search(lowered, position)) is not None:
        if word.group(0) in _INTENSIFIERS:
            emphasised, position = True, word.end()
            continue
        if not emphasised:
            return False
        return (word.group(0) in _NO_WORDS or word.group(0) in _NEGATIONS) and (
            _CLAUSE_END_RE.match(lowered, word.end()) is not None
        )
    return False


def stance(text: str) -> int:
    """+1 for agreement, -1 for disagreement, 0 for neither, with negation in scope.

    Disagreement wins ("ikke enig"), unless it is itself negated: "ikke uenig", "not against",
    "har inget emot" back the point. A negated agreement verb disagrees ("ikke helt enig",
    "jeg støtter ikke"); a negated adverb only hedges: "det är inte precis orörd natur" (not
    exactly) argues, it does not back. Emphasis before a "no" is a refusal: "Absolut ikke",
    "Helt klart nej".
    """
    lowered = text.lower().replace("’", "'").replace("‘", "'")  # phones' apostrophes
    if _refuses_outright(lowered):
        return -1
    turned = False
    for match in _DISAGREE_RE.finditer(lowered):
        if not _negated(lowered, match.start()):
            return -1
        turned = True
    turned = turned or any(
        _negated(lowered, match.start()) for match in _OPPOSITION_RE.finditer(lowered)
    )
    if turned:
        return 1
    first = _WORD_RE.search(lowered)
    first_word = first.group(0) if first else ""
    if first_word in _DISAGREE_FIRST and not (first and _AGREE_RE.match(lowered, first.start())):
        return -1
    if first and first_word in _AGREE_FIRST and not _negation_after(lowered, first.end()):
        return 1
    for match in _AGREE_RE.finditer(lowered):
        verb = match.group(0) in _AGREE_VERBS
        if _negated(lowered, match.start()) or _negation_after(lowered, match.end()):
            if verb:
                return -1
            continue
        return 1
    if first_word in _CONTRAST_FIRST:
        second = _WORD_RE.search(lowered, first.end()) if first else None
        if second and second.group(0) in _AGREE_FIRST and not _negation_after(
                lowered, second.end()):
            return 1
        return -1
    return 0


def is_me_too(text: str) -> bool:
    """"+1", "good question": backing a question, which does not answer it."""
    return _ME_TOO_RE.search(text.lower()) is not None


def one_line(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """Split where a sentence mark is followed by space, so "7.30" stays whole."""
    return [part.strip() for part in _SENTENCE_END_RE.split(text) if part.strip()]


def shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and mark the cut, so a long message stays readable."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"
