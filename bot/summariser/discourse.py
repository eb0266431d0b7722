"""Conversation structure: who replied to what and how, reactions, answered questions.

These signals are what separate a point people took up from a message nobody noticed, which
word statistics alone cannot see in a chat full of greetings and "+1".
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from bot.summariser import text as tx
from bot.summariser.analysis import BREAK, CHATTER, ELIGIBLE, Analysis
from bot.summariser.model import ROLES, Participation

# A bare "+1" without a reply link backs the nearest point this many messages back.
_IMPLICIT_WINDOW: Final = 3
# An unlinked message this many messages after a question, by someone else, sharing its
# topic words, is taken as the answer.
_ANSWER_WINDOW: Final = 5
_MAX_REACTIONS: Final = 1_000_000_000  # absurd counts must not overflow the float maths


@dataclass(slots=True)
class Signals:
    """Per message (chronological index) reactions and reply stances.

    `stances[i]` maps an author index to (stance, message index) of their reply to message i;
    a later reply replaces an earlier one unless it takes no stance.
    """

    positive: list[int]
    negative: list[int]
    reactions: list[int]
    resolved: list[bool]
    stances: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    answered: set[int] = field(default_factory=set)

    def support(self, index: int) -> int:
        replies = self.stances.get(index, {})
        return self.positive[index] + sum(1 for stance, _ in replies.values() if stance > 0)

    def objection(self, index: int) -> int:
        replies = self.stances.get(index, {})
        return self.negative[index] + sum(1 for stance, _ in replies.values() if stance < 0)

    def repliers(self, index: int) -> dict[int, tuple[int, int]]:
        return self.stances.get(index, {})

    def stance_messages(self, index: int, sign: int) -> list[int]:
        replies = self.stances.get(index, {})
        return sorted(message for stance, message in replies.values() if stance * sign > 0)


def _record(signals: Signals, target: int, author: int, stance: int, message: int) -> None:
    replies = signals.stances.setdefault(target, {})
    if stance != 0 or author not in replies:
        replies[author] = (stance, message)


def collect(analysis: Analysis) -> Signals:
    msgs = analysis.messages
    count = len(msgs)
    signals = Signals(positive=[0] * count, negative=[0] * count, reactions=[0] * count,
                      resolved=[False] * count)
    for index, message in enumerate(msgs):
        for key, raw in message.reactions.items():
            emoji = tx.normalise_reaction(key)
            value = min(max(int(raw), 0), _MAX_REACTIONS)
            signals.reactions[index] += value
            if emoji in tx.POSITIVE_REACTIONS:
                signals.positive[index] += value
            elif emoji in tx.NEGATIVE_REACTIONS:
                signals.negative[index] += value
            if emoji in tx.RESOLVED_REACTIONS and value > 0:
                signals.resolved[index] = True

    position = {message.id: index for index, message in enumerate(msgs)}
    authors, tiers, stances, questions = (
        analysis.author_ix, analysis.tier, analysis.stance, analysis.question,
    )
    for index, message in enumerate(msgs):
        author = authors[index]
        if message.reply_to is not None:
            target = position.get(message.reply_to, -1)
            if target < 0 or authors[target] == author:
                continue
            if stances[index] != 0 or tiers[index] != CHATTER:
                _record(signals, target, author, stances[index], index)
            if questions[target] and _answers(analysis, index):
                signals.answered.add(target)
        elif tiers[index] == CHATTER and stances[index] != 0:
            for back in range(index - 1, max(-1, index - 1 - _IMPLICIT_WINDOW), -1):
                if tiers[back] == ELIGIBLE and authors[back] != author:
                    _record(signals, back, author, stances[index], index)
                    break

    for index in range(count):
        if questions[index] and index not in signals.answered and (
            signals.resolved[index] or _answered_nearby(analysis, index)
        ):
            signals.answered.add(index)
    return signals


def _answers(analysis: Analysis, reply: int) -> bool:
    """A reply answers unless it is itself a question, a "+1", or chatter without a stance."""
    if analysis.question[reply] or tx.is_me_too(analysis.texts[reply]):
        return False
    return analysis.tier[reply] != CHATTER or analysis.stance[reply] != 0


def _answered_nearby(analysis: Analysis, question: int) -> bool:
    row = analysis.message_row[question]
    if row < 0:
        return False
    asked = {term for term in analysis.rows[row] if term != BREAK}
    needed = min(2, len(asked))
    if needed == 0:
        return False
    msgs = analysis.messages
    stop = min(len(msgs), question + 1 + _ANSWER_WINDOW)
    for later in range(question + 1, stop):
        if analysis.author_ix[later] == analysis.author_ix[question]:
            continue
        if analysis.question[later] or analysis.message_row[later] < 0:
            continue
        reply_to = msgs[later].reply_to
        if reply_to is not None and reply_to != msgs[question].id:
            continue
        said = analysis.rows[analysis.message_row[later]]
        if len(asked.intersection(said)) >= needed:
            return True
    return False


def participation(analysis: Analysis) -> Participation:
    """Counts by role and how evenly people took part; no names leave this function."""
    msgs = analysis.messages
    by_role = dict.fromkeys(ROLES, 0)
    per_author: Counter[int] = Counter()
    roles_of: dict[int, Counter[str]] = {}
    for message, author in zip(msgs, analysis.author_ix, strict=True):
        by_role[message.role] += 1
        per_author[author] += 1
        roles_of.setdefault(author, Counter())[message.role] += 1
    people_by_role = dict.fromkeys(ROLES, 0)
    for roles in roles_of.values():
        # someone who spoke in several roles counts once, in the role they used most
        role = max(ROLES, key=lambda name: (roles[name], -ROLES.index(name)))
        people_by_role[role] += 1
    counts = sorted(per_author.values())
    total = sum(counts)
    people = len(counts)
    if people <= 1 or total == 0:
        gini, evenness = 0.0, 1.0
    else:
        weighted = sum((rank + 1) * value for rank, value in enumerate(counts))
        gini = (2.0 * weighted) / (people * total) - (people + 1) / people
        entropy = -sum((value / total) * math.log(value / total) for value in counts)
        evenness = entropy / math.log(people)
    top_share = counts[-1] / total if total else 0.0
    return Participation(
        messages=len(msgs),
        people=people,
        messages_by_role=by_role,
        people_by_role=people_by_role,
        gini=round(max(0.0, gini), 3),
        evenness=round(min(1.0, evenness), 3),
        top_share=round(top_share, 3),
    )
