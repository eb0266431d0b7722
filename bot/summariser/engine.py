"""The extractive summary: key points, phrases, items, open questions and stances.

Key points are ranked, merged and picked in `keypoints` (see there); this module puts the
summary together and finds the open questions and the points people agreed or disagreed on.
Everything is computed from one `analyse` pass and one term matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from bot.summariser import text as tx
from bot.summariser.analysis import CHATTER, Analysis, analyse, term_ids
from bot.summariser.discourse import Signals, collect, participation
from bot.summariser.keypoints import (
    MAX_IDS,
    SAME_POINT,
    TEXT_LIMIT,
    display,
    key_points,
    row_values,
)
from bot.summariser.model import ITEM_KINDS, Item, KeyPoint, Message, Stance, Summary
from bot.summariser.phrases import key_phrases
from bot.summariser.vectors import TermMatrix

PHRASES: Final = 10


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
        key_points=key_points(analysis, signals, matrix, points),
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
    open_rows = np.zeros(matrix.n_rows, dtype=bool)
    for index in open_:
        if analysis.message_row[index] >= 0:
            open_rows[analysis.message_row[index]] = True
    row_author = row_values(analysis, analysis.author_ix, np.int64)
    clusters: dict[int, list[int]] = {}
    askers: dict[int, int] = {}
    leading: list[int] = []
    covered: set[int] = set()
    # at most 4 × limit similarity queries; a question already in a cluster costs none, so a
    # question asked by hundreds cannot crowd out the others
    for index in sorted(open_, key=lambda index: (-backing[index], index)):
        if index in covered:
            continue
        if len(leading) >= 4 * limit:
            break
        leading.append(index)
        row = analysis.message_row[index]
        if row < 0:
            clusters[index], askers[index] = [index], 1
            continue
        sims = matrix.similarities(row)
        near = np.flatnonzero((sims >= SAME_POINT) & open_rows)
        near = near[np.lexsort((near, -sims[near]))]
        clusters[index] = [analysis.row_message[r] for r in near.tolist()]
        askers[index] = len(np.unique(row_author[near]))
        covered.update(clusters[index])
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
        point = KeyPoint(text=_question_text(analysis.texts[earliest]), message_ids=ids[:MAX_IDS],
                         count=len(ids))
        result.append(((-askers[index], -backing[index], index), point))
    # question items made outside the chat cannot have been answered in it
    known = {message.id for message in msgs}
    for order, item in enumerate(unlinked):
        if item.message_id not in known:
            point = KeyPoint(text=tx.shorten(item.text, TEXT_LIMIT),
                             message_ids=[item.message_id] if item.message_id else [])
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
    # repeats are skipped, comparing only the leading 20 × limit wordings so a flood stays
    # cheap; a verbatim copy of a wording already looked at is skipped without counting
    wordings: set[frozenset[int]] = set()
    for _, index in found:
        row = analysis.message_row[index]
        wording = frozenset(analysis.rows[row])
        if wording in wordings:
            continue
        if len(wordings) >= 20 * limit:
            break
        wordings.add(wording)
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
                text=display(analysis.texts[index]),
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
