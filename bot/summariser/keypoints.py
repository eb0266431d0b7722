"""Key points: rank candidates, fold copies and paraphrases together, pick distinct points.

1. Candidates are messages that state something (chatter and the host's process lines never
   are). A cheap first score per candidate: closeness to the salon's topic, agreeing replies
   and positive reactions it drew, item kind, and whether staff or a politician committed to
   something in it (`cues.is_commitment`, or an `action` item).
2. Best candidates first, each leads a cluster of near-copies found through the inverted
   index. A reply that disagrees ("Nej, …", "But …") never joins a cluster it did not lead;
   a short agreeing reply ("Enig, cykelstien først") does. A commitment never joins a
   citizens' cluster, nor the reverse: a promise is an outcome of its own.
3. Paraphrases share few words, so clusters are merged in a second stage, among at most a
   few hundred leaders: by average linkage on the cosine of their centroids (all distinct
   phrasings of the cluster, not just the leader) plus reply threads (an agreeing reply from
   one to the other, the same objection or question put to both). Disagreement between them,
   or one being backed by the room while the other was objected to, keeps them apart.
4. Merged points are scored by what they earned together: people who made the point with
   verbatim copies discounted (a sentence pasted by twenty weighs like ≈ 4.5 people, see
   `_support`), reactions and agreeing replies, and those per message (pasted chatter draws
   little per copy), item kind, commitments, and topical relevance: closeness to what the
   salon's substantive messages talked about, leaving the point's own phrasings out, so an
   aside cannot make itself topical. Relevance also scales the whole score (a soft gate).
5. MMR over the merged points picks good points unlike those already chosen (two commitments
   count as alike), each shown through a member in the salon's dominant language, without
   discourse filler and with a capital first letter.

Nothing is n × n: the similarity queries are bounded, everything after them works on at most
`pool` (≤ 200) clusters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bot.summariser import cues
from bot.summariser import text as tx
from bot.summariser.analysis import ELIGIBLE, OFFICIAL_ROLES, SUPPORT, Analysis
from bot.summariser.discourse import Signals
from bot.summariser.model import KeyPoint
from bot.summariser.vectors import TermMatrix

SAME_POINT: Final = 0.45  # cosine at which two messages make the same point
MERGE_POINT: Final = 0.3  # centroid cosine at which two clusters make the same point
# What one agreeing reply (or shared reply thread) between two clusters adds to their cosine;
# paraphrases may share no word at all, so a thread alone can merge them (at most two count).
LINK_BONUS: Final = 0.3
SHARED_REPLY: Final = 0.5  # a shared reply thread, in agreeing replies
# Two commitments by officials that share a word are one outcome ("… udvalget i januar").
COMMITMENT_MERGE: Final = 0.1
QUESTION_FACTOR: Final = 0.75  # a question is a weaker key point than a statement
MMR_LAMBDA: Final = 0.5
# In MMR, two commitments count as at least this similar: officials' promises in one salon
# are usually one response, however worded (or in two languages), so a second one has to be
# clearly stronger than the other points to be listed too.
COMMITMENT_LIKENESS: Final = 0.5
MAX_IDS: Final = 50  # message ids kept per point; enough to trace, small enough to store
TEXT_LIMIT: Final = 300
ITEM_WEIGHT: Final = {
    "proposal": 1.0, "action": 1.0, "idea": 0.6, "agree": 0.5, "question": 0.5, "note": 0.4,
}
_TOPICAL_ITEMS: Final = frozenset({"proposal", "action", "idea", "note"})
# weights of the first score: topic, repliers, positive reactions, item
_PRE: Final = (0.4, 0.25, 0.2, 0.15)
# What the municipality says in a salon is rare and the minutes must carry it; what it commits
# to (a promise, a plan with a date, an action item) most of all.
OFFICIAL_WEIGHT: Final = 0.1
COMMITMENT_WEIGHT: Final = 0.35


@dataclass(frozen=True, slots=True)
class _Weights:
    """Weights of a merged point's score; the relevance gate multiplies the sum."""

    topic: float = 0.2
    support: float = 0.2  # people who made the point, copies discounted (see _support)
    engagement: float = 0.2  # positive reactions and people who replied without objecting
    rate: float = 0.2  # engagement per message: pasted chatter draws little per copy
    item: float = 0.15
    commitment: float = 0.35
    official: float = 0.05
    gate_floor: float = 0.6  # score × (floor + (1 − floor) × topical relevance)


WEIGHTS: Final = _Weights()


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


def row_values(analysis: Analysis, values: Sequence[Any], dtype: Any) -> NDArray[Any]:
    """A per-message list as an array indexed by term-matrix row."""
    return np.asarray(values, dtype=dtype)[np.asarray(analysis.row_message, dtype=np.int64)]


@dataclass(slots=True)
class _Context:
    """Per-row facts shared by every step, computed once."""

    analysis: Analysis
    signals: Signals
    matrix: TermMatrix
    phrasing: NDArray[np.int64]  # rows with the same terms share a phrasing id
    topic: NDArray[np.float64]  # per term: substantive phrasings using it (dampened) × idf
    topic_counts: NDArray[np.int64]  # per term: substantive phrasings using it
    substantive: NDArray[np.bool_]  # per row: the first row of a phrasing counted in the topic
    question: NDArray[np.bool_]
    commitment: NDArray[np.bool_]
    author: NDArray[np.int64]
    against: NDArray[np.bool_]  # a reply that disagrees with what it answers
    statement: NDArray[np.bool_]  # long enough to be a point (tier ELIGIBLE)
    reception: NDArray[np.int64]  # per row: +1 backed by the room, −1 objected to, 0 neither
    reply_row: NDArray[np.int64]  # the row a reply answers, or -1


def _context(analysis: Analysis, signals: Signals, matrix: TermMatrix) -> _Context:
    n = matrix.n_rows
    # a phrasing is a set of terms: verbatim copies (and copies with other filler) share one
    rng = np.random.default_rng(20251113)
    salt = rng.random(max(matrix.n_terms, 1))
    signature = np.bincount(matrix.row_of, weights=salt[matrix.row_terms], minlength=n)
    _, phrasing = np.unique(signature, return_inverse=True)
    phrasing = phrasing.astype(np.int64)
    topic_counts, substantive = _topic(analysis, signals, matrix, phrasing)
    msgs = analysis.messages
    position = {message.id: index for index, message in enumerate(msgs)}
    against = np.zeros(n, dtype=bool)
    reply_row = np.full(n, -1, dtype=np.int64)
    for row, index in enumerate(analysis.row_message):
        target = msgs[index].reply_to
        if target is None:
            continue
        answered = position.get(target, -1)
        if answered >= 0:
            reply_row[row] = analysis.message_row[answered]
            against[row] = analysis.stance[index] < 0
    return _Context(
        analysis=analysis, signals=signals, matrix=matrix, phrasing=phrasing,
        topic=np.sqrt(topic_counts) * matrix.idf, topic_counts=topic_counts,
        substantive=substantive,
        question=row_values(analysis, analysis.question, bool),
        commitment=row_values(analysis, analysis.commitment, bool),
        author=row_values(analysis, analysis.author_ix, np.int64),
        against=against, reply_row=reply_row,
        statement=row_values(analysis, analysis.tier, np.int64) == ELIGIBLE,
        reception=np.asarray([
            _sign(signals.support(index) - signals.objection(index))
            for index in analysis.row_message
        ], dtype=np.int64),
    )


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def _topic(
    analysis: Analysis, signals: Signals, matrix: TermMatrix, phrasing: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The salon's topic as term weights: what its substantive messages talk about.

    Substantive are messages that drew a positive reaction or an agreeing reply, items, and
    statements by officials; each distinct phrasing counts once and the count is dampened
    (square root), so neither pasted text nor one dominant word sets the topic. Without any
    such message (a short or quiet chat) every message counts.
    """
    msgs = analysis.messages
    substantive = np.asarray([
        signals.positive[index] > 0
        or any(stance >= 0 for stance, _ in signals.repliers(index).values())
        or analysis.kind[index] in _TOPICAL_ITEMS
        or msgs[index].role in OFFICIAL_ROLES
        for index in analysis.row_message
    ], dtype=bool)
    _, first = np.unique(phrasing, return_index=True)
    chosen = first[substantive[first]] if substantive[first].any() else first
    counted = np.zeros(matrix.n_rows, dtype=bool)
    counted[chosen] = True
    phrasings = np.bincount(matrix.row_terms[counted[matrix.row_of]], minlength=matrix.n_terms)
    return phrasings.astype(np.int64), counted


@dataclass(slots=True)
class _Candidates:
    """Messages that may become key points, as rows of the term matrix, with their signals."""

    rows: list[int]
    official: NDArray[np.float64]
    shape: NDArray[np.float64]  # length and question factors, multiplied into every score
    first_score: NDArray[np.float64]


def _candidates(ctx: _Context) -> _Candidates:
    analysis, signals, matrix = ctx.analysis, ctx.signals, ctx.matrix
    msgs = analysis.messages
    # the host runs the meeting ("Skriv endelig, hvis I har noget…"); their lines are process
    rows = [
        r for r, index in enumerate(analysis.row_message)
        if analysis.tier[index] == ELIGIBLE and msgs[index].role != "host"
    ]
    indices = [analysis.row_message[r] for r in rows]
    topical = _scaled(matrix.scores_against(ctx.topic))[rows]
    repliers = np.asarray([
        sum(1 for stance, _ in signals.repliers(i).values() if stance >= 0) for i in indices
    ], dtype=float)
    reactions = np.asarray([signals.positive[i] for i in indices], dtype=float)
    item = np.asarray([ITEM_WEIGHT.get(analysis.kind[i] or "", 0.0) for i in indices])
    official = np.asarray([
        float(msgs[i].role in OFFICIAL_ROLES and not analysis.question[i]) for i in indices
    ])
    commitment = ctx.commitment[rows].astype(float)
    shape = np.asarray([
        _length_factor(analysis.word_count[i]) * (QUESTION_FACTOR if analysis.question[i] else 1.0)
        for i in indices
    ])
    first = (
        _PRE[0] * topical + _PRE[1] * _scaled_log(repliers) + _PRE[2] * _scaled_log(reactions)
        + _PRE[3] * item + OFFICIAL_WEIGHT * official + COMMITMENT_WEIGHT * commitment
    ) * shape
    return _Candidates(rows, official, shape, first)


def _clusters(
    ctx: _Context, found: _Candidates, pool: int
) -> tuple[list[int], list[NDArray[np.int64]]]:
    """Leaders (positions in `found.rows`, best first) and the rows of their clusters.

    At most 6 × pool similarity queries, each costing the postings of one message's terms.
    Rows already in a cluster cost nothing, so a flood of copies of one point cannot use up
    the budget before the other points are reached.
    """
    matrix = ctx.matrix
    order = sorted(
        range(len(found.rows)), key=lambda k: (-round(float(found.first_score[k]), 9), k)
    )
    covered = np.zeros(matrix.n_rows, dtype=bool)
    leaders: list[int] = []
    members: list[NDArray[np.int64]] = []
    queries = 0
    for k in order:
        row = found.rows[k]
        if covered[row]:
            continue
        if queries >= 6 * pool:
            break
        queries += 1
        sims = matrix.similarities(row)
        # a question and a statement about the same thing are different points, a promise and
        # a demand too; a reply arguing against a point is not support for it, nor is a
        # message the room objected to when it backed this one (or the reverse)
        near = np.flatnonzero(
            (sims >= SAME_POINT) & (ctx.question == ctx.question[row])
            & (ctx.commitment == ctx.commitment[row]) & ~ctx.against & ~covered
            & (ctx.reception * ctx.reception[row] >= 0)
        )
        near = near[np.lexsort((near, -sims[near]))]
        near = np.concatenate([[row], near[near != row]]).astype(np.int64)
        backing = _agreeing_replies(ctx, near)
        if len(backing):
            near = np.concatenate([near, backing[~np.isin(backing, near) & ~covered[backing]]])
        covered[near] = True
        leaders.append(k)
        members.append(near)
        if len(leaders) >= pool:
            break
    return leaders, members


def _agreeing_replies(ctx: _Context, near: NDArray[np.int64]) -> NDArray[np.int64]:
    """Rows of short replies that agree and say something: "Enig, cykelstien først" restates.

    A longer agreeing reply makes a point of its own; it leads or joins a cluster by its words
    and links the two clusters for the merge, so an "I agree –" pasted before a counter-point
    cannot carry that counter-point into the cluster it answers.
    """
    analysis = ctx.analysis
    found: list[int] = []
    for row in near.tolist():
        for stance, reply in ctx.signals.repliers(analysis.row_message[row]).values():
            if stance > 0 and analysis.tier[reply] == SUPPORT and analysis.message_row[reply] >= 0:
                found.append(analysis.message_row[reply])
    return np.asarray(sorted(set(found)), dtype=np.int64)


def _phrasing_vectors(
    ctx: _Context, groups: list[NDArray[np.int64]]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Each group's distinct phrasings summed, dense over the terms they use, and those terms.

    Only statements define what a group says: a short "Godt sagt" backing it is support, and
    would make every group it backs look alike.
    """
    matrix = ctx.matrix
    parts_rows: list[NDArray[np.int64]] = []
    parts_terms: list[NDArray[np.int64]] = []
    parts_weights: list[NDArray[np.float64]] = []
    for slot, rows in enumerate(groups):
        stated = rows[ctx.statement[rows]]
        rows = stated if len(stated) else rows
        _, first = np.unique(ctx.phrasing[rows], return_index=True)
        for row in rows[np.sort(first)].tolist():
            terms, weights = matrix.terms_of(row)
            parts_rows.append(np.full(len(terms), slot, dtype=np.int64))
            parts_terms.append(terms)
            parts_weights.append(weights)
    if not parts_terms:
        return np.zeros((len(groups), 0)), np.zeros(0, dtype=np.int64)
    slots = np.concatenate(parts_rows)
    terms = np.concatenate(parts_terms)
    weights = np.concatenate(parts_weights)
    used, column = np.unique(terms, return_inverse=True)
    dense = np.zeros((len(groups), len(used)))
    np.add.at(dense, (slots, column), weights)
    return dense, used


def _normalised(vectors: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def _links(
    ctx: _Context, members: list[NDArray[np.int64]]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Reply threads between clusters, as evidence that they make the same point.

    - A reply in one cluster that agrees with a message in the other counts 1.
    - The same objection or question put to both counts too ("shared threads"), half as much:
      each shared reply phrasing counts ½ / (clusters it was put to − 1), so a stock
      rejoinder put to everything says little.
    - A reply without a stance is no evidence: it may answer, ask or change the subject.
    - A reply in one that disagrees with the other keeps the two apart for good.
    """
    analysis = ctx.analysis
    count = len(members)
    slot_of = np.full(ctx.matrix.n_rows, -1, dtype=np.int64)
    for slot, rows in enumerate(members):
        fresh = rows[slot_of[rows] < 0]
        slot_of[fresh] = slot
    links = np.zeros((count, count))
    apart = np.zeros((count, count), dtype=bool)
    received: dict[int, set[int]] = {}
    for slot, rows in enumerate(members):
        targets = ctx.reply_row[rows]
        for row, target in zip(rows.tolist(), targets.tolist(), strict=True):
            other = int(slot_of[target]) if target >= 0 else -1
            if other < 0 or other == slot:
                continue
            stance = analysis.stance[analysis.row_message[row]]
            if stance < 0:
                apart[slot, other] = apart[other, slot] = True
            elif stance > 0 and not ctx.question[row]:
                links[slot, other] += 1.0
                links[other, slot] += 1.0
    # replies that make a statement or ask something, wherever they ended up
    answers = np.flatnonzero((ctx.reply_row >= 0) & ctx.statement)
    for row in answers.tolist():
        target = int(ctx.reply_row[row])
        slot = int(slot_of[target]) if target >= 0 else -1
        if slot >= 0 and slot_of[row] != slot:
            received.setdefault(int(ctx.phrasing[row]), set()).add(slot)
    for slots in received.values():
        if len(slots) < 2:
            continue
        weight = SHARED_REPLY / (len(slots) - 1)
        listed = sorted(slots)
        links[np.ix_(listed, listed)] += weight
    np.fill_diagonal(links, 0.0)
    return links, apart


def _reception(ctx: _Context, rows: NDArray[np.int64]) -> int:
    """+1 if the room backed these messages more than it objected, −1 if the reverse, else 0.

    Counts reactions and replies with a stance, as `Signals.support` and `objection` do.
    """
    signals, analysis = ctx.signals, ctx.analysis
    balance = 0
    for row in rows.tolist():
        index = analysis.row_message[row]
        balance += signals.support(index) - signals.objection(index)
    return _sign(balance)


def _merge(ctx: _Context, members: list[NDArray[np.int64]]) -> list[list[int]]:
    """Clusters that make the same point, as lists of cluster slots (best first).

    The evidence that two clusters make the same point is their centroid cosine plus
    LINK_BONUS per reply link (at most two count). Groups merge by average linkage on that
    evidence: the closest pair merges while its mean evidence over all pairs of their
    clusters reaches MERGE_POINT. Averaging keeps a growing group from absorbing everything
    and dilutes a stray link between two well-populated points. A disagreeing reply between
    any of their clusters keeps two groups apart, and so does the room's reception: a point
    people backed is not merged with one they objected to. Questions, statements and
    commitments are never merged with each other.
    """
    count = len(members)
    if count < 2:
        return [[slot] for slot in range(count)]
    sums, _ = _phrasing_vectors(ctx, members)
    unit = _normalised(sums)
    sims = unit @ unit.T
    links, apart = _links(ctx, members)
    lead_question = np.asarray([ctx.question[rows[0]] for rows in members], dtype=bool)
    lead_commit = np.asarray([ctx.commitment[rows[0]] for rows in members], dtype=bool)
    reception = np.asarray([_reception(ctx, rows) for rows in members], dtype=np.int64)
    evidence = sims + LINK_BONUS * np.minimum(links, 2.0)
    # between two commitments, sharing a word is enough
    both = lead_commit[:, None] & lead_commit[None, :] & (sims >= COMMITMENT_MERGE)
    evidence = np.where(both, np.maximum(evidence, MERGE_POINT), evidence)
    blocked = (
        apart | (lead_question[:, None] != lead_question[None, :])
        | (lead_commit[:, None] != lead_commit[None, :])
        | (reception[:, None] * reception[None, :] < 0)
    )
    np.fill_diagonal(blocked, True)
    size = np.ones(count)
    groups: list[list[int]] = [[slot] for slot in range(count)]
    table = np.where(blocked, -1.0, evidence)
    while True:
        best = int(np.argmax(table))
        first, second = divmod(best, count)
        if table[first, second] < MERGE_POINT:
            break
        keep, gone = min(first, second), max(first, second)
        total = size[keep] + size[gone]
        merged = (size[keep] * evidence[keep] + size[gone] * evidence[gone]) / total
        evidence[keep], evidence[:, keep] = merged, merged
        blocked[keep] |= blocked[gone]
        blocked[:, keep] = blocked[keep]
        size[keep], size[gone] = total, 0.0
        groups[keep].extend(groups[gone])
        groups[gone] = []
        row = np.where(blocked[keep] | (size == 0), -1.0, evidence[keep])
        table[gone, :], table[:, gone] = -1.0, -1.0
        table[keep, :], table[:, keep] = row, row
    return [sorted(group) for group in groups if group]


def _relevance(ctx: _Context, rows_of: list[NDArray[np.int64]]) -> NDArray[np.float64]:
    """Closeness of each point to what the *rest* of the salon's substantive talk is about.

    The point's own phrasings are taken out of the topic before comparing (leave one out),
    so an aside that drew a reaction cannot make its own words topical; a real point shares
    words with other messages on the subject. Scaled to [0, 1] by the most relevant point.
    """
    matrix = ctx.matrix
    counts, idf = ctx.topic_counts, matrix.idf
    total = float(np.dot(ctx.topic, ctx.topic))
    result = np.zeros(len(rows_of))
    for slot, rows in enumerate(rows_of):
        stated = rows[ctx.statement[rows]]
        rows = stated if len(stated) else rows
        _, first = np.unique(ctx.phrasing[rows], return_index=True)
        distinct = rows[first]
        starts, stops = matrix.row_ptr[distinct], matrix.row_ptr[distinct + 1]
        pieces = [np.arange(a, b) for a, b in zip(starts.tolist(), stops.tolist(), strict=True)]
        at = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
        terms, weights = matrix.row_terms[at], matrix.row_weights[at]
        used, column = np.unique(terms, return_inverse=True)
        vector = np.bincount(column, weights=weights, minlength=len(used))
        own_rows = ctx.substantive[matrix.row_of[at]]
        own = np.bincount(column[own_rows], minlength=len(used))
        rest = np.sqrt(np.maximum(counts[used] - own, 0)) * idf[used]
        before = ctx.topic[used]
        rest_norm = math.sqrt(
            max(total - float(np.dot(before, before)) + float(np.dot(rest, rest)), 0.0)
        )
        norm = float(np.linalg.norm(vector))
        if rest_norm > 0 and norm > 0:
            result[slot] = float(np.dot(vector, rest)) / (norm * rest_norm)
    return _scaled(result)


@dataclass(slots=True)
class _Point:
    rows: NDArray[np.int64]  # representative first
    score: float
    commitment: bool


def _support(ctx: _Context, rows: NDArray[np.int64]) -> float:
    """People who made the point, with verbatim copies discounted.

    Each phrasing counts the square root of the people who used it: a point put in five
    different ways by twenty people outweighs one sentence pasted by twenty.
    """
    width = int(ctx.author.max()) + 1
    pairs = np.unique(ctx.phrasing[rows] * width + ctx.author[rows])
    per_phrasing = np.unique(pairs // width, return_counts=True)[1]
    return float(np.sqrt(per_phrasing).sum())


def _points(
    ctx: _Context, found: _Candidates, members: list[NDArray[np.int64]], groups: list[list[int]]
) -> tuple[list[_Point], NDArray[np.float64]]:
    """Merged points with their scores, and their centroids for MMR."""
    analysis, signals = ctx.analysis, ctx.signals
    candidate_pos = {row: k for k, row in enumerate(found.rows)}
    rows_of: list[NDArray[np.int64]] = []
    for slots in groups:
        joined = np.concatenate([members[slot] for slot in slots])
        _, first = np.unique(joined, return_index=True)
        rows_of.append(joined[np.sort(first)])
    sums, used = _phrasing_vectors(ctx, rows_of)
    centroids = _normalised(sums)
    count = len(groups)
    support = np.zeros(count)
    engagement = np.zeros(count)
    rate = np.zeros(count)
    item = np.zeros(count)
    commitment = np.zeros(count)
    official = np.zeros(count)
    shape = np.zeros(count)
    ordered: list[NDArray[np.int64]] = []
    for slot, rows in enumerate(rows_of):
        indices = [analysis.row_message[r] for r in rows.tolist()]
        support[slot] = _support(ctx, rows) - 1.0
        replied: set[int] = set()
        for index in indices:
            replied.update(
                author for author, (stance, _) in signals.repliers(index).items() if stance >= 0
            )
        engaged = len(replied) + sum(signals.positive[index] for index in indices)
        engagement[slot] = engaged
        rate[slot] = engaged / (engaged + len(rows))
        item[slot] = max(ITEM_WEIGHT.get(analysis.kind[i] or "", 0.0) for i in indices)
        commitment[slot] = float(ctx.commitment[rows].any())
        best = _representative(ctx, found, candidate_pos, rows)
        k = candidate_pos[best]
        official[slot] = found.official[k]
        shape[slot] = found.shape[k]
        ordered.append(np.concatenate([[best], rows[rows != best]]).astype(np.int64))
    relevance = _relevance(ctx, rows_of)
    w = WEIGHTS
    scores = (
        w.topic * relevance + w.support * _scaled_log(support)
        + w.engagement * _scaled_log(engagement) + w.rate * rate + w.item * item
        + w.commitment * commitment + w.official * official
    ) * shape * (w.gate_floor + (1.0 - w.gate_floor) * relevance)
    points = [
        _Point(rows, float(score), bool(pledged))
        for rows, score, pledged in zip(ordered, scores, commitment, strict=True)
    ]
    return points, centroids


def _representative(
    ctx: _Context, found: _Candidates, candidate_pos: dict[int, int], rows: NDArray[np.int64]
) -> int:
    """The member that shows the point: a statement (or a question, if the point is one) in
    the salon's dominant language where a member is, and of those the best-scored, which is
    the leader of the best cluster unless that one is in another language."""
    analysis = ctx.analysis
    lead = int(rows[0])
    best, best_key = lead, (True, 0.0, 0)
    for position, row in enumerate(rows.tolist()):
        k = candidate_pos.get(row)
        if k is None or ctx.question[row] != ctx.question[lead] or ctx.against[row]:
            continue
        key = (
            analysis.langs[analysis.row_message[row]] != analysis.dominant,
            -round(float(found.first_score[k]), 9), position,
        )
        if key < best_key:
            best, best_key = row, key
    return best


def key_points(
    analysis: Analysis, signals: Signals, matrix: TermMatrix, points: int
) -> list[KeyPoint]:
    ctx = _context(analysis, signals, matrix)
    found = _candidates(ctx)
    if points == 0 or not found.rows:
        return []
    _, members = _clusters(ctx, found, pool=min(200, max(60, 12 * points)))
    merged, centroids = _points(ctx, found, members, _merge(ctx, members))
    likeness = centroids @ centroids.T if len(merged) else np.zeros((0, 0))
    pledged = np.asarray([point.commitment for point in merged], dtype=bool)
    likeness = np.where(
        pledged[:, None] & pledged[None, :], np.maximum(likeness, COMMITMENT_LIKENESS), likeness
    )
    chosen = _mmr(likeness, np.asarray([point.score for point in merged]), points)
    msgs = analysis.messages
    return [
        KeyPoint(
            text=display(analysis.texts[analysis.row_message[int(merged[slot].rows[0])]]),
            message_ids=[msgs[analysis.row_message[r]].id for r in merged[slot].rows[:MAX_IDS]],
            count=len(merged[slot].rows),
        )
        for slot in chosen
    ]


def _mmr(likeness: NDArray[np.float64], scores: NDArray[np.float64], k: int) -> list[int]:
    """Maximal marginal relevance over the merged points (a few hundred at most)."""
    chosen: list[int] = []
    closest = np.zeros(len(scores))
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < k:
        best = max(
            remaining,
            key=lambda slot: (
                round(MMR_LAMBDA * scores[slot] - (1 - MMR_LAMBDA) * closest[slot], 9), -slot
            ),
        )
        chosen.append(best)
        remaining.remove(best)
        closest = np.maximum(closest, likeness[best])
    return chosen


def display(text: str, limit: int = TEXT_LIMIT) -> str:
    """The message as a point: without greetings and discourse filler, capitalised, cut if long."""
    parts = tx.sentences(cues.core(text))
    while len(parts) > 1 and _is_small_talk(parts[0]):
        parts.pop(0)
    shown = " ".join(parts) if parts else text
    return cues.capitalise(tx.shorten(shown, limit))


def _is_small_talk(sentence: str) -> bool:
    return not any(
        word not in tx.CHAT_WORDS and len(word) > 2 for word in tx.words(tx.strip_noise(sentence))
    )


