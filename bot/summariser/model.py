"""Value types of the summariser: what goes in (messages, items) and what comes out (Summary).

They know nothing about Matrix so the engine can be tested, benchmarked and reused offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal

from bot.i18n import N_, normalise_language

ROLES: Final = ("citizen", "politician", "staff", "host")
ITEM_KINDS: Final = ("idea", "question", "agree", "action", "note", "proposal")
MODES: Final = ("extractive", "llm")

# Headings for item kinds, translated where they are rendered.
ITEM_KIND_LABELS: Final = {
    "idea": N_("Ideas"),
    "question": N_("Questions"),
    "agree": N_("Agreed"),
    "action": N_("Actions"),
    "note": N_("Notes"),
    "proposal": N_("Proposals"),
}
ROLE_LABELS: Final = {
    "citizen": N_("Citizens"),
    "politician": N_("Politicians"),
    "staff": N_("Municipal staff"),
    "host": N_("Hosts"),
}

# Language names, shown in the reader's language ("Languages: Danish, Swedish").
LANGUAGE_LABELS: Final = {
    "da": N_("Danish"),
    "nb": N_("Norwegian Bokmål"),
    "sv": N_("Swedish"),
    "en": N_("English"),
}

Mode = Literal["extractive", "llm"]


@dataclass(frozen=True, slots=True)
class Message:
    """One chat message; `author` is already a pseudonym, the engine never needs a real name.

    A naive `ts` is taken to be UTC so that messages from different sources sort together.
    """

    id: str
    author: str
    role: str
    text: str
    ts: datetime
    reply_to: str | None = None
    reactions: dict[str, int] = field(default_factory=dict)
    lang: str | None = None
    item: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}; expected one of {', '.join(ROLES)}")
        if self.item is not None and self.item not in ITEM_KINDS:
            raise ValueError(
                f"unknown item kind {self.item!r}; expected one of {', '.join(ITEM_KINDS)}"
            )
        if self.lang is not None:
            lang = normalise_language(self.lang)
            if lang is None:
                raise ValueError(f"unsupported language {self.lang!r}")
            object.__setattr__(self, "lang", lang)
        if self.ts.tzinfo is None:
            object.__setattr__(self, "ts", self.ts.replace(tzinfo=UTC))


@dataclass(frozen=True, slots=True)
class Item:
    """A structured minute item (`!salon idea ...`); `message_id` links it to its message."""

    kind: str
    text: str
    author: str
    message_id: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ITEM_KINDS:
            raise ValueError(
                f"unknown item kind {self.kind!r}; expected one of {', '.join(ITEM_KINDS)}"
            )

    def to_dict(self) -> dict[str, Any]:
        """Without the author: summaries are shared, and the message id is enough to check."""
        return {"kind": self.kind, "text": self.text, "message_id": self.message_id}


@dataclass(frozen=True, slots=True)
class KeyPoint:
    """A point and the messages it rests on (the representative message first).

    `message_ids` may be cut to a traceable few; `count` is how many messages made the point
    (0 when not given means all of them are listed).
    """

    text: str
    message_ids: list[str]
    count: int = 0

    def __post_init__(self) -> None:
        if self.count < len(self.message_ids):
            object.__setattr__(self, "count", len(self.message_ids))

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "message_ids": list(self.message_ids), "count": self.count}


@dataclass(frozen=True, slots=True)
class Stance:
    """A point people reacted to: `support` and `objection` count endorsements and objections.

    Reactions carry no names, so a count is reactions plus distinct people who replied.
    """

    text: str
    message_ids: list[str]
    support: int
    objection: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "message_ids": list(self.message_ids),
            "support": self.support,
            "objection": self.objection,
        }


@dataclass(frozen=True, slots=True)
class Participation:
    """Who took part, as counts only: summaries are shared, names are not.

    `gini` is 0 when everyone wrote equally much and approaches 1 when one person wrote
    everything; `evenness` is the normalised entropy of the same shares (1 = perfectly even);
    `top_share` is the share of messages written by the most active person.
    """

    messages: int
    people: int
    messages_by_role: dict[str, int]
    people_by_role: dict[str, int]
    gini: float
    evenness: float
    top_share: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "people": self.people,
            "messages_by_role": dict(self.messages_by_role),
            "people_by_role": dict(self.people_by_role),
            "gini": self.gini,
            "evenness": self.evenness,
            "top_share": self.top_share,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything a reader or a report needs; `mode` says whether an LLM wrote `llm_prose`."""

    key_points: list[KeyPoint]
    key_phrases: list[str]
    items: dict[str, list[Item]]
    open_questions: list[KeyPoint]
    agreements: list[Stance]
    disagreements: list[Stance]
    participation: Participation
    languages: dict[str, int]
    lang: str
    start: datetime | None = None
    end: datetime | None = None
    mode: Mode = "extractive"
    llm_prose: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the schema version lets stored summaries be read after changes."""
        return {
            "schema": 1,
            "mode": self.mode,
            "lang": self.lang,
            "languages": dict(self.languages),
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "key_points": [point.to_dict() for point in self.key_points],
            "key_phrases": list(self.key_phrases),
            "items": {
                kind: [item.to_dict() for item in found] for kind, found in self.items.items()
            },
            "open_questions": [question.to_dict() for question in self.open_questions],
            "agreements": [stance.to_dict() for stance in self.agreements],
            "disagreements": [stance.to_dict() for stance in self.disagreements],
            "participation": self.participation.to_dict(),
            "llm_prose": self.llm_prose,
        }
