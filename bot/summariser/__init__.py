"""Summaries of salon discussions: key points, phrases, items, open questions, stances.

A library that knows nothing about Matrix: messages in, a `Summary` out, rendered as text,
Markdown or HTML in the reader's language. Extractive, offline and deterministic; an optional
LLM pass (`summarise_with_llm`) writes prose grounded in the extractive result.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.summariser.io import SummaryInputError, load_jsonl
from bot.summariser.model import (
    ITEM_KINDS,
    ROLES,
    Item,
    KeyPoint,
    Message,
    Participation,
    Stance,
    Summary,
)
from bot.summariser.render import render

if TYPE_CHECKING:
    from bot.summariser.engine import summarise
    from bot.summariser.llm import (
        LLMSettings,
        add_prose,
        summarise_with_llm,
        summarise_with_llm_async,
    )

#: The names whose modules load NumPy, loaded on first use so that the running bot, which
#: builds the `summarise` command-line parser, does not carry NumPy it never uses.
_HEAVY = {
    "summarise": "engine", "LLMSettings": "llm", "add_prose": "llm",
    "summarise_with_llm": "llm", "summarise_with_llm_async": "llm",
}


def __getattr__(name: str) -> Any:
    home = _HEAVY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ITEM_KINDS",
    "ROLES",
    "Item",
    "KeyPoint",
    "LLMSettings",
    "Message",
    "Participation",
    "Stance",
    "Summary",
    "SummaryInputError",
    "add_prose",
    "load_jsonl",
    "render",
    "summarise",
    "summarise_with_llm",
    "summarise_with_llm_async",
]
