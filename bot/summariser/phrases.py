"""Key phrases: the words and word pairs that the most different people used.

Counting people rather than occurrences keeps one talkative person from setting the agenda.
Phrases are counted on stems and shown in the form people wrote most often.
"""

from __future__ import annotations

from collections import Counter
from typing import Final

from bot.summariser import text as tx
from bot.summariser.analysis import BREAK, Analysis
from bot.summariser.vectors import TermMatrix

_PAIR_BONUS: Final = 1.5
_MIN_STEM: Final = 3
_SURFACE_SAMPLES: Final = 40


def key_phrases(analysis: Analysis, matrix: TermMatrix, limit: int) -> list[str]:
    if not analysis.rows or limit <= 0:
        return []
    n_terms = max(len(analysis.terms), 1)
    people: Counter[int] = Counter()
    uses: Counter[int] = Counter()
    last: dict[int, int] = {}
    # visiting rows author by author lets "last author seen" count distinct people cheaply
    by_author = sorted(
        range(len(analysis.rows)), key=lambda r: (analysis.author_ix[analysis.row_message[r]], r)
    )
    for row_index in by_author:
        author = analysis.author_ix[analysis.row_message[row_index]]
        row = analysis.rows[row_index]
        keys = {term for term in row if term != BREAK}
        keys.update(
            first * n_terms + second + n_terms
            for first, second in zip(row, row[1:], strict=False)
            if first != BREAK and second != BREAK and first != second
        )
        for key in keys:
            uses[key] += 1
            if last.get(key) != author:
                last[key] = author
                people[key] += 1

    several = len(analysis.authors) > 1
    ranked: list[tuple[float, int, int]] = []
    for key, count in people.items():
        base = count if several else uses[key]
        if base < 2:
            continue
        if key < n_terms:
            if len(analysis.terms[key]) < _MIN_STEM:
                continue
            score = float(base)
        else:
            score = base * _PAIR_BONUS
        ranked.append((-score, -uses[key], key))
    ranked.sort()

    chosen: list[tuple[int, ...]] = []
    taken: set[int] = set()
    for _, _, key in ranked:
        stems = (key,) if key < n_terms else divmod(key - n_terms, n_terms)
        if taken.intersection(stems):
            continue
        chosen.append(tuple(stems))
        taken.update(stems)
        if len(chosen) >= limit:
            break
    tokens: dict[int, tuple[list[str], list[int]]] = {}
    return [_surface(analysis, matrix, stems, tokens) for stems in chosen]


def _tokens(analysis: Analysis, message: int) -> tuple[list[str], list[int]]:
    """Words as written and their term ids; stems come from the analysis's warm memo."""
    stem, lang = analysis.stemmer.stem, analysis.langs[message]
    written = tx.surface_words(tx.strip_noise(analysis.texts[message]))
    return written, [analysis.vocab.get(stem(word.lower(), lang), BREAK) for word in written]


def _surface(
    analysis: Analysis,
    matrix: TermMatrix,
    stems: tuple[int, ...],
    tokens: dict[int, tuple[list[str], list[int]]],
) -> str:
    """The commonest written form; capitals survive only if people always wrote them.

    `tokens` keeps each sampled message's words across phrases: phrases share messages, and
    a long message is tokenised and stemmed once.
    """
    forms: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for row_index in matrix.rows_with(stems[0])[:_SURFACE_SAMPLES].tolist():
        message = analysis.row_message[row_index]
        if message not in tokens:
            tokens[message] = _tokens(analysis, message)
        written, ids = tokens[message]
        width = len(stems)
        for start in range(len(ids) - width + 1):
            if tuple(ids[start : start + width]) == stems:
                phrase = " ".join(written[start : start + width])
                forms[phrase.lower()] += 1
                if phrase[:1].isupper():
                    capital[phrase.lower()] += 1
    if not forms:
        return " ".join(analysis.terms[stem] for stem in stems)
    best = min(forms, key=lambda form: (-forms[form], form))
    if capital[best] == forms[best]:
        return " ".join(word[:1].upper() + word[1:] for word in best.split(" "))
    return best
