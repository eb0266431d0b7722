"""Quality metrics: key-point recall at k and ROUGE-L, written out so they can be audited.

A summariser's answer is a ranked list of selections, each a list of message ids (sumy's
selections are single messages; salonbot's key points cite their supporting messages with the
representative first). A selection *hits* a gold key point when any of its ids is among the
messages the annotation says express that point.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

_TOKEN: Final = re.compile(r"[^\W_]+", re.UNICODE)

Selection = Sequence[str]


def points_hit(selection: Selection, gold: Mapping[str, frozenset[str]]) -> set[str]:
    """Gold key points that one selection hits."""
    ids = set(selection)
    return {point for point, expressed in gold.items() if ids & expressed}


def recall_at(
    selections: Sequence[Selection], gold: Mapping[str, frozenset[str]], k: int
) -> float:
    """Share of gold key points hit by at least one of the top-k selections."""
    if not gold:
        return 0.0
    hit: set[str] = set()
    for selection in selections[:k]:
        hit |= points_hit(selection, gold)
    return len(hit) / len(gold)


def off_target_at(
    selections: Sequence[Selection], gold: Mapping[str, frozenset[str]], k: int
) -> float:
    """Share of the top-k selections that hit no gold key point (chatter picked as a point)."""
    top = selections[:k]
    if not top:
        return 0.0
    return sum(1 for selection in top if not points_hit(selection, gold)) / len(top)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    """Longest common subsequence, O(len(a)·len(b)) time and O(len(b)) memory."""
    if not a or not b:
        return 0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b, start=1):
            current.append(previous[j - 1] + 1 if x == y else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1]


def rouge_l(candidate: str, reference: str) -> float:
    """ROUGE-L F1 (β = 1) on lower-cased word tokens, without stemming or stop-word removal."""
    cand, ref = tokens(candidate), tokens(reference)
    lcs = lcs_length(cand, ref)
    if lcs == 0:
        return 0.0
    precision, recall = lcs / len(cand), lcs / len(ref)
    return 2 * precision * recall / (precision + recall)
