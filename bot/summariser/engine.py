"""The extractive summary: rank candidate points, fold repeats together, pick distinct ones.

1. Chatter (greetings, jokes, "+1", very short messages) is never a candidate.
2. A cheap first score per candidate: closeness to what *different people* talked about
   (a centroid that counts each person once per word), replies and reactions it drew, and
   whether it was marked as an item.
3. Best candidates first, each becomes the leader of a cluster of near-duplicates found
   through the inverted index; members are not considered again.
4. Clusters are rescored with what their members earned together (how many people made the
   point, replies, reactions), and MMR picks points that are good and unlike those chosen.
Statements by staff and politicians get a small lift throughout (see OFFICIAL_WEIGHT).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bot.summariser import text as tx
from bot.summariser.analysis import CHATTER, ELIGIBLE, Analysis, analyse, term_ids
from bot.summariser.discourse import Signals, collect, participation
from bot.summariser.model import ITEM_KINDS, Item, KeyPoint, Message, Stance, Summary
from bot.summariser.phrases import key_phrases
from bot.summariser.vectors import TermMatrix

SAME_POINT: Final = 0.45  # cosine at which two messages make the same point
QUESTION_FACTOR: Final = 0.75  # a question is a weaker key point than a statement
MMR_LAMBDA: Final = 0.5
MAX_IDS: Final = 50  # message ids kept per point; enough to trace, small enough to store
TEXT_LIMIT: Final = 300
PHRASES: Final = 10
ITEM_WEIGHT: Final = {
    "proposal": 1.0, "idea": 0.8, "action": 0.8, "agree": 0.6, "question": 0.5, "note": 0.4,
}
# weights of the first score: centroid, repliers, reactions, item
_PRE: Final = (0.4, 0.25, 0.2, 0.15)
# weights of the cluster score: centroid, people making the point, repliers, reactions, item
_FINAL: Final = (0.25, 0.25, 0.2, 0.15, 0.15)
# What the municipality says or promises in a salon is an outcome the minutes must carry, and
# officials speak rarely, so their statements get a small lift.
OFFICIAL_WEIGHT: Final = 0.2
OFFICIAL_ROLES: Final = frozenset({"staff", "politician"})


def summarise(
    messages: Sequence[Message],
    items: Sequence[Item] = (),
    *,
    lang: str | None = None,
    points: int = 5,
) -> Summary:
    """Summarise a salon discussion; same input, same output.

    `lang` is a hint for the salon's language, used when messages are too short to tell.
    Items are merged with those marked on messages (`Message.item`).
    """
    points = max(0, int(points))
    analysis = analyse(
        messages, lang, {item.message_id: item.kind for item in items if item.message_id}
    )
    signals = collect(analysis)
    matrix = TermMatrix([term_ids(row) for row in analysis.rows], len(analysis.terms))
    msgs = analysis.messages
    languages: dict[str, int] = {}
    for code in analysis.langs:
        languages[code] = languages.get(code, 0) + 1
    languages = dict(sorted(languages.items(), key=lambda pair: (-pair[1], pair[0])))
    return Summary(
        key_points=_key_points(analysis, signals, matrix, points),
        key_phrases=key_phrases(analysis, matrix, PHRASES),
        items=_group_items(analysis, items),
        open_questions=_open_questions(
            analysis, signals, matrix, 2 * points,
            [item for item in items if item.kind == "question" and item.text.strip()],
        ),
        agreements=_stances(analysis, signals, matrix, points, agreement=True),
        disagreements=_stances(analysis, signals, matrix, points, agreement=False),
        participation=participation(analysis),
        languages=languages,
        lang=analysis.dominant,
        start=msgs[0].ts if msgs else None,
        end=msgs[-1].ts if msgs else None,
    )


def _scaled_log(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """log1p scaled to [0, 1] by the largest value, so each signal weighs what it is meant to."""
    logged = np.log1p(np.maximum(values, 0.0))
    top = float(logged.max()) if len(logged) else 0.0
    return logged / top if top > 0 else logged


def _scaled(values: NDArray[np.float64]) -> NDArray[np.float64]:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else values


def _length_factor(words: int) -> float:
    """Tiny statements say little out of context; full sentences are preferred."""
    return min(1.0, math.sqrt(words / 8.0))


def _centroid_scores(analysis: Analysis, matrix: TermMatrix) -> NDArray[np.float64]:
    """Closeness of each row to the words of the salon, each person counted once per word."""
    if matrix.n_rows == 0 or matrix.n_terms == 0:
        return np.zeros(matrix.n_rows)
    authors = _row_values(analysis, analysis.author_ix, np.int64)
    pairs = np.unique(authors[matrix.row_of] * matrix.n_terms + matrix.row_terms)
    people_per_term = np.bincount(pairs % matrix.n_terms, minlength=matrix.n_terms)
    centroid = people_per_term * matrix.idf
    return _scaled(matrix.scores_against(centroid.astype(np.float64)))


@dataclass(slots=True)
class _Candidates:
    """Messages that may become key points, as rows of the term matrix, with their signals."""

    rows: list[int]
    centroid: NDArray[np.float64]
    official: NDArray[np.float64]
    shape: NDArray[np.float64]  # length and question factors, multiplied into every score
    first_score: NDArray[np.float64]


def _candidates(analysis: Analysis, signals: Signals, matrix: TermMatrix) -> _Candidates:
    rows = [r for r, index in enumerate(analysis.row_message) if analysis.tier[index] == ELIGIBLE]
    indices = [analysis.row_message[r] for r in rows]
    msgs = analysis.messages
    centroid = _centroid_scores(analysis, matrix)[rows]
    repliers = np.asarray([len(signals.repliers(i)) for i in indices], dtype=float)
    reactions = np.asarray([signals.reactions[i] for i in indices], dtype=float)
    item = np.asarray([ITEM_WEIGHT.get(analysis.kind[i] or "", 0.0) for i in indices])
    official = np.asarray([
        float(msgs[i].role in OFFICIAL_ROLES and not analysis.question[i]) for i in indices
    ])
    shape = np.asarray([
        _length_factor(analysis.word_count[i]) * (QUESTION_FACTOR if analysis.question[i] else 1.0)
        for i in indices
    ])
    first = (
        _PRE[0] * centroid + _PRE[1] * _scaled_log(repliers) + _PRE[2] * _scaled_log(reactions)
        + _PRE[3] * item + OFFICIAL_WEIGHT * official
    ) * shape
    return _Candidates(rows, centroid, official, shape, first)


def _row_values(analysis: Analysis, values: Sequence[Any], dtype: Any) -> NDArray[Any]:
    """A per-message list as an array indexed by term-matrix row."""
    return np.asarray(values, dtype=dtype)[np.asarray(analysis.row_message, dtype=np.int64)]


def _clusters(
    analysis: Analysis, signals: Signals, matrix: TermMatrix, found: _Candidates, pool: int
) -> tuple[list[int], list[NDArray[np.int64]]]:
    """Leaders (positions in `found.rows`, best first) and the rows of their clusters.

    At most 6 × pool similarity queries, each costing the postings of one message's terms.
    """
    order = sorted(
        range(len(found.rows)), key=lambda k: (-round(float(found.first_score[k]), 9), k)
    )
    covered = np.zeros(matrix.n_rows, dtype=bool)
    row_question = _row_values(analysis, analysis.question, bool)
    leaders: list[int] = []
    members: list[NDArray[np.int64]] = []
    for k in order[: 6 * pool]:
        row = found.rows[k]
        if covered[row]:
            continue
        sims = matrix.similarities(row)
        # a question and a statement about the same thing are different points
        near = np.flatnonzero((sims >= SAME_POINT) & (row_question == row_question[row]))
        near = near[np.lexsort((near, -sims[near]))]
        near = np.concatenate([[row], near[near != row]]).astype(np.int64)
        backing = _agreeing_replies(analysis, signals, near)
        if len(backing):
            near = np.concatenate([near, backing[~np.isin(backing, near)]])
        covered[near] = True
        leaders.append(k)
        members.append(near)
        if len(leaders) >= pool:
            break
    return leaders, members


def _cluster_scores(
    analysis: Analysis,
    signals: Signals,
    found: _Candidates,
    leaders: list[int],
    members: list[NDArray[np.int64]],
) -> NDArray[np.float64]:
    """What each cluster earned together: people who made the point, replies, reactions."""
    row_author = _row_values(analysis, analysis.author_ix, np.int64)
    people = np.zeros(len(leaders))
    repliers = np.zeros(len(leaders))
    reactions = np.zeros(len(leaders))
    item = np.zeros(len(leaders))
    for slot, near in enumerate(members):
        indices = [analysis.row_message[r] for r in near.tolist()]
        people[slot] = len(np.unique(row_author[near])) - 1
        replied: set[int] = set()
        for index in indices:
            replied.update(signals.repliers(index))
        repliers[slot] = len(replied)
        reactions[slot] = sum(signals.reactions[index] for index in indices)
        item[slot] = max(ITEM_WEIGHT.get(analysis.kind[i] or "", 0.0) for i in indices)
    lead = np.asarray(leaders, dtype=np.int64)
    return (
        _FINAL[0] * found.centroid[lead] + _FINAL[1] * _scaled_log(people)
        + _FINAL[2] * _scaled_log(repliers) + _FINAL[3] * _scaled_log(reactions)
        + _FINAL[4] * item + OFFICIAL_WEIGHT * found.official[lead]
    ) * found.shape[lead]


def _key_points(
    analysis: Analysis, signals: Signals, matrix: TermMatrix, points: int
) -> list[KeyPoint]:
    found = _candidates(analysis, signals, matrix)
    if points == 0 or not found.rows:
        return []
    leaders, members = _clusters(analysis, signals, matrix, found, pool=max(40, 8 * points))
    scores = _cluster_scores(analysis, signals, found, leaders, members)
    chosen = _mmr(matrix, [found.rows[k] for k in leaders], scores, points)
    msgs = analysis.messages
    return [
        KeyPoint(
            text=_display(analysis.texts[analysis.row_message[found.rows[leaders[slot]]]]),
            message_ids=[msgs[analysis.row_message[r]].id for r in members[slot][:MAX_IDS]],
        )
        for slot in chosen
    ]


def _agreeing_replies(
    analysis: Analysis, signals: Signals, near: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Rows of replies that agree and say something: "Enig, cykelstien først" restates."""
    found: list[int] = []
    for row in near.tolist():
        for stance, reply in signals.repliers(analysis.row_message[row]).values():
            if stance > 0 and analysis.message_row[reply] >= 0:
                found.append(analysis.message_row[reply])
    return np.asarray(sorted(set(found)), dtype=np.int64)


def _mmr(matrix: TermMatrix, rows: list[int], scores: NDArray[np.float64], k: int) -> list[int]:
    """Maximal marginal relevance over the leaders only, so at most pool² small dot products."""
    chosen: list[int] = []
    closest = np.zeros(len(rows))
    remaining = list(range(len(rows)))
    while remaining and len(chosen) < k:
        best = max(
            remaining,
            key=lambda slot: (
                round(MMR_LAMBDA * scores[slot] - (1 - MMR_LAMBDA) * closest[slot], 9), -slot
            ),
        )
        chosen.append(best)
        remaining.remove(best)
        for slot in remaining:
            closest[slot] = max(closest[slot], matrix.dot(rows[best], rows[slot]))
    return chosen


def _display(text: str, limit: int = TEXT_LIMIT) -> str:
    """The message as a point: without an opening greeting, and cut if very long."""
    parts = tx.sentences(text)
    while len(parts) > 1 and _is_small_talk(parts[0]):
        parts.pop(0)
    return tx.shorten(" ".join(parts) if parts else text, limit)


def _is_small_talk(sentence: str) -> bool:
    return not any(
        word not in tx.CHAT_WORDS and len(word) > 2 for word in tx.words(tx.strip_noise(sentence))
    )


def _question_text(text: str) -> str:
    asked = [part for part in tx.sentences(text) if part.endswith("?")]
    return tx.shorten(" ".join(asked) if asked else text, TEXT_LIMIT)


def _open_questions(
    analysis: Analysis,
    signals: Signals,
    matrix: TermMatrix,
    limit: int,
    unlinked: Sequence[Item] = (),
) -> list[KeyPoint]:
    """Questions nobody answered, most backed first; a question asked twice is listed once."""
    if limit == 0:
        return []
    msgs = analysis.messages
    open_ = [
        index
        for index, asked in enumerate(analysis.question)
        if asked
        and index not in signals.answered
        and (analysis.tier[index] != CHATTER or analysis.kind[index] == "question")
    ]
    # the leading candidates are compared with every open question to count who else asked
    backing = {
        index: signals.support(index) + (analysis.kind[index] is not None) for index in open_
    }
    leading = sorted(open_, key=lambda index: (-backing[index], index))[: 4 * limit]
    open_rows = np.zeros(matrix.n_rows, dtype=bool)
    for index in open_:
        if analysis.message_row[index] >= 0:
            open_rows[analysis.message_row[index]] = True
    row_author = _row_values(analysis, analysis.author_ix, np.int64)
    clusters: dict[int, list[int]] = {}
    askers: dict[int, int] = {}
    for index in leading:
        row = analysis.message_row[index]
        if row < 0:
            clusters[index], askers[index] = [index], 1
            continue
        sims = matrix.similarities(row)
        near = np.flatnonzero((sims >= SAME_POINT) & open_rows)
        near = near[np.lexsort((near, -sims[near]))]
        clusters[index] = [analysis.row_message[r] for r in near.tolist()]
        askers[index] = len(np.unique(row_author[near]))
    ranked = sorted(leading, key=lambda index: (-askers[index], -backing[index], index))
    chosen: list[int] = []
    seen: set[int] = set()
    for index in ranked:
        if index in seen:
            continue
        chosen.append(index)
        seen.update(clusters[index])
        if len(chosen) >= limit:
            break
    result: list[tuple[tuple[int, int, int], KeyPoint]] = []
    for index in chosen:
        earliest = min(clusters[index])
        ids = [msgs[earliest].id] + [msgs[i].id for i in clusters[index] if i != earliest]
        point = KeyPoint(text=_question_text(analysis.texts[earliest]), message_ids=ids[:MAX_IDS])
        result.append(((-askers[index], -backing[index], index), point))
    # question items made outside the chat cannot have been answered in it
    known = {message.id for message in msgs}
    for order, item in enumerate(unlinked):
        if item.message_id not in known:
            point = KeyPoint(text=tx.shorten(item.text, TEXT_LIMIT), message_ids=[])
            result.append(((-1, -1, len(msgs) + order), point))
    result.sort(key=lambda entry: entry[0])
    return [point for _, point in result[:limit]]


def _stances(
    analysis: Analysis, signals: Signals, matrix: TermMatrix, limit: int, *, agreement: bool
) -> list[Stance]:
    """Points many people backed, or points people objected to; repeats are listed once."""
    if limit == 0:
        return []
    found: list[tuple[tuple[int, ...], int]] = []
    for index, tier in enumerate(analysis.tier):
        if tier == CHATTER:
            continue
        support, objection = signals.support(index), signals.objection(index)
        if agreement and support >= 2 and 2 * objection < support:
            found.append(((-support, objection, index), index))
        elif not agreement and objection >= 1 and 2 * objection >= support:
            found.append(((-(support + objection), -objection, index), index))
    found.sort()
    chosen: list[int] = []
    # repeats are skipped, but only among the leading few, so a flood of copies stays cheap
    for _, index in found[: 20 * limit]:
        row = analysis.message_row[index]
        if any(matrix.dot(row, analysis.message_row[other]) >= SAME_POINT for other in chosen):
            continue
        chosen.append(index)
        if len(chosen) >= limit:
            break
    msgs = analysis.messages
    result = []
    for index in chosen:
        sign = 1 if agreement else -1
        backers = signals.stance_messages(index, sign)
        ids = [msgs[index].id] + [msgs[i].id for i in backers]
        result.append(
            Stance(
                text=_display(analysis.texts[index]),
                message_ids=ids[:MAX_IDS],
                support=signals.support(index),
                objection=signals.objection(index),
            )
        )
    return result


def _group_items(analysis: Analysis, given: Sequence[Item]) -> dict[str, list[Item]]:
    """Items marked on messages and items passed in, by kind, in the order they were made."""
    position = {message.id: index for index, message in enumerate(analysis.messages)}
    collected: list[tuple[int, int, Item]] = []
    for index, message in enumerate(analysis.messages):
        if message.item is not None and analysis.texts[index]:
            item = Item(kind=message.item, text=tx.one_line(analysis.texts[index]),
                        author=message.author, message_id=message.id)
            collected.append((index, 0, item))
    for order, item in enumerate(given):
        where = position.get(item.message_id, len(position)) if item.message_id else len(position)
        collected.append((where, order + 1, item))
    collected.sort(key=lambda entry: (entry[0], entry[1]))
    grouped: dict[str, list[Item]] = {kind: [] for kind in ITEM_KINDS}
    seen: set[tuple[str, str]] = set()
    for _, _, item in collected:
        key = (item.kind, item.message_id or "\0" + tx.one_line(item.text).casefold())
        if key in seen or not item.text.strip():
            continue
        seen.add(key)
        grouped[item.kind].append(item)
    return grouped
