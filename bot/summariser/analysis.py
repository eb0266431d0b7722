"""One pass over the messages: language, words, stems, and whether a message is chatter.

Everything later works on the compact result (term ids per row, flags per message) instead
of text, which keeps 100,000 messages within memory and time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.summariser import cues
from bot.summariser import text as tx
from bot.summariser.lang import assign_languages
from bot.summariser.model import Message

# A message is a candidate key point with at least this many words, of which this many carry
# a topic; fewer topic words make it at most supporting evidence for a similar point.
MIN_WORDS: Final = 4
MIN_CONTENT: Final = 2
# Laughter in a message shorter than this marks it as a joke.
JOKE_WORDS: Final = 12

CHATTER, SUPPORT, ELIGIBLE = 0, 1, 2
BREAK: Final = -1
# Roles that speak for the municipality: what they promise is an outcome of the salon.
OFFICIAL_ROLES: Final = frozenset({"staff", "politician"})


@dataclass(slots=True)
class Analysis:
    """Per message (chronological) flags, and term rows for messages that carry a topic.

    `rows[r]` holds term ids in text order with BREAK where a stop word split the phrase;
    `row_message[r]` maps a row back to its message and `message_row[i]` the other way.
    Words are taken from the message without its discourse filler (`cues.core`), so "Som jeg
    skrev tidligere:" or "Please put that in the notes." neither adds topic words nor makes a
    verbatim repeat look like a new phrasing. `commitment[i]` marks an action item, or a
    statement by staff or a politician worded as a promise or a plan with a date.
    """

    messages: list[Message]
    texts: list[str]
    langs: list[str]
    dominant: str
    author_ix: list[int]
    authors: list[str]
    tier: list[int]
    question: list[bool]
    stance: list[int]
    kind: list[str | None] = field(default_factory=list)
    word_count: list[int] = field(default_factory=list)
    commitment: list[bool] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)
    row_message: list[int] = field(default_factory=list)
    message_row: list[int] = field(default_factory=list)
    vocab: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    stemmer: tx.Stemmer = field(default_factory=tx.Stemmer)  # later steps reuse its memo


def _content(words: list[str], stop: frozenset[str]) -> list[str]:
    return [
        word
        for word in words
        if len(word) > 1
        and word not in stop
        and word not in tx.CHAT_WORDS
        and not word.isdigit()
        and not tx.is_laugh(word)
    ]


def analyse(
    messages: Sequence[Message], hint: str | None, item_kinds: Mapping[str, str] | None = None
) -> Analysis:
    """Sort chronologically (stable on input order) and analyse every message once.

    `item_kinds` maps message ids to the kind of an item made from them elsewhere, so such
    messages weigh like messages marked with `Message.item`.
    """
    item_kinds = item_kinds or {}
    ordered = sorted(enumerate(messages), key=lambda pair: (pair[1].ts, pair[0]))
    msgs = [message for _, message in ordered]
    texts = [tx.clean(message.text) for message in msgs]
    langs, dominant = assign_languages(texts, [message.lang for message in msgs], hint)

    author_index: dict[str, int] = {}
    author_ix = [author_index.setdefault(message.author, len(author_index)) for message in msgs]
    result = Analysis(
        messages=msgs, texts=texts, langs=langs, dominant=dominant, author_ix=author_ix,
        authors=list(author_index), tier=[], question=[], stance=[],
    )
    vocab = result.vocab
    for index, (message, text, lang) in enumerate(zip(msgs, texts, langs, strict=True)):
        plain = tx.strip_noise(text)
        core = cues.core(plain)
        all_words = tx.words(plain)
        words = tx.words(core) if core != plain else all_words
        stop = tx.stopwords(lang)
        content = _content(words, stop)
        laugh = tx.has_laughter(text)
        short = len(all_words) <= 6
        result.word_count.append(len(words))
        kind = message.item or item_kinds.get(message.id)
        result.kind.append(kind)
        question = kind == "question" or "?" in plain
        result.question.append(question)
        result.stance.append(tx.stance(text) if message.reply_to is not None or short else 0)
        result.commitment.append(
            (kind == "action" or (message.role in OFFICIAL_ROLES and cues.is_commitment(core)))
            and not question and bool(content)
        )
        if kind is not None and content:
            tier = ELIGIBLE
        elif laugh and len(words) < JOKE_WORDS:
            tier = CHATTER
        elif len(content) >= MIN_CONTENT and len(words) >= MIN_WORDS:
            tier = ELIGIBLE
        elif content:
            tier = SUPPORT
        else:
            tier = CHATTER
        result.tier.append(tier)
        if tier == CHATTER:
            result.message_row.append(-1)
            continue
        content_set = set(content)
        row: list[int] = []
        for word in words:
            if word in content_set:
                stem = result.stemmer.stem(word, lang)
                term = vocab.get(stem)
                if term is None:
                    term = vocab[stem] = len(vocab)
                row.append(term)
            elif row and row[-1] != BREAK:
                row.append(BREAK)
        result.message_row.append(len(result.rows))
        result.rows.append(row)
        result.row_message.append(index)
    result.terms = list(vocab)
    return result


def term_ids(row: list[int]) -> list[int]:
    return [term for term in row if term != BREAK]
