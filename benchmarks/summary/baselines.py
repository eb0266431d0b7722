"""sumy's LexRank and TextRank, fed one chat message per sentence.

sumy's own Tokenizer needs NLTK's punkt data (a download), and its PlaintextParser splits
paragraphs on blank lines and drops all-caps lines as headings ("OK!", "ENIG"), which would
break the one-to-one mapping from sentences back to message ids. So the document is built
directly from Sentence objects with a regex tokenizer of ours; ranking order is captured from
inside sumy because its public result is sorted by document order, not by score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

from stopwords import DANISH, NORWEGIAN
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

SUMY_LANGUAGE: Final = {"da": "danish", "nb": "norwegian", "sv": "swedish", "en": "english"}
SUMMARIZERS: Final = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer}
_WORD: Final = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


class MessageTokenizer:
    """The tokenizer protocol sumy expects: each message is exactly one sentence."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(line.strip() for line in paragraph.splitlines() if line.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def stop_words(langs: Iterable[str]) -> frozenset[str]:
    """Union of the stop words of `langs` (bilingual salons get both languages' lists)."""
    words: set[str] = set()
    for lang in langs:
        if lang == "da":
            words |= DANISH
        elif lang == "nb":
            words |= NORWEGIAN
        else:
            words |= get_stop_words(SUMY_LANGUAGE[lang])
    return frozenset(words)


def rank(method: str, texts: Sequence[str], langs: Sequence[str], k: int) -> list[int]:
    """Indices of the k best-rated messages, best first.

    The stemmer is the first language's Snowball stemmer (NLTK's, no data needed).
    """
    tokenizer = MessageTokenizer(SUMY_LANGUAGE[langs[0]])
    document = ObjectDocumentModel([Paragraph([Sentence(t, tokenizer) for t in texts])])
    summarizer = SUMMARIZERS[method](Stemmer(SUMY_LANGUAGE[langs[0]]))
    summarizer.stop_words = stop_words(langs)
    ranked: list[int] = []

    def take_best(infos: list[Any]) -> list[Any]:
        ranked.extend(info.order for info in infos[:k])
        return infos[:k]

    summarizer(document, take_best)
    return ranked
