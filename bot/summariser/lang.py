"""Which of da, nb, sv, en each message is written in.

py3langid is restricted to the four languages (its code for Bokmål is "no"). Short messages
("ok", "+1", "tak") cannot be told apart reliably, so they take the salon's dominant language.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Final

import numpy as np

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES

_MIN_CHARS: Final = 20
_MIN_WORDS: Final = 4
_MIN_CONFIDENCE: Final = 0.5
# Above this share of the dominant language's probability, a da/nb guess is taken to be the
# dominant one: the two are written almost alike and a salon rarely switches between them.
_SIBLING_SHARE: Final = 0.2
_SIBLINGS: Final = {"da": "nb", "nb": "da"}
_DETECT_CHARS: Final = 1000

_lock = threading.Lock()
_identifier: Any = None


def _get_identifier() -> Any:
    """Loading the model takes most of a second, so it happens once and only when needed."""
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            full.set_languages(["da", "no", "sv", "en"])
            # rebuilt from the four-language tables alone, so the 140-language model
            # (about 25 MB) is freed instead of being kept for a later set_languages()
            _identifier = LanguageIdentifier(
                np.ascontiguousarray(full.nb_ptc), full.nb_pc, full.nb_classes,
                full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row,
            )
        return _identifier


def detect(text: str) -> dict[str, float] | None:
    """Probabilities per language, or None when the text is too short to tell."""
    if len(text) < _MIN_CHARS or len(text.split()) < _MIN_WORDS:
        return None
    ranked = _get_identifier().rank(text[:_DETECT_CHARS])
    return {("nb" if code == "no" else code): float(score) for code, score in ranked}


def assign_languages(
    texts: Sequence[str], given: Sequence[str | None], hint: str | None
) -> tuple[list[str], str]:
    """A language for every message and the salon's dominant one.

    Given languages are kept; confident detections vote for the dominant language, which then
    fills in every message too short or too uncertain to detect.
    """
    guesses: list[dict[str, float] | None] = []
    votes = dict.fromkeys(LANGUAGES, 0)
    for text, lang in zip(texts, given, strict=True):
        if lang is not None:
            guesses.append(None)
            votes[lang] += 1
            continue
        probs = detect(text)
        guesses.append(probs)
        if probs is not None:
            best = max(LANGUAGES, key=lambda code: (probs[code], -LANGUAGES.index(code)))
            if probs[best] >= _MIN_CONFIDENCE:
                votes[best] += 1
    fallback = hint if hint in LANGUAGES else DEFAULT_LANGUAGE
    top = max(votes.values())
    if top == 0:
        dominant = fallback
    else:
        tied = [code for code in LANGUAGES if votes[code] == top]
        dominant = fallback if fallback in tied else tied[0]

    result: list[str] = []
    for lang, probs in zip(given, guesses, strict=True):
        if lang is not None:
            result.append(lang)
        elif probs is None:
            result.append(dominant)
        else:
            best = max(LANGUAGES, key=lambda code: (probs[code], -LANGUAGES.index(code)))
            sibling = _SIBLINGS.get(best) == dominant
            if probs[best] < _MIN_CONFIDENCE or (
                sibling and probs[dominant] >= _SIBLING_SHARE * probs[best]
            ):
                best = dominant
            result.append(best)
    return result, dominant
