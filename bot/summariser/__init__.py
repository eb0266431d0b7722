"""Summaries of salon discussions: key points, phrases, items, open questions, stances.

A library that knows nothing about Matrix: messages in, a `Summary` out, rendered as text,
Markdown or HTML in the reader's language. Extractive, offline and deterministic; an optional
LLM pass (`summarise_with_llm`) writes prose grounded in the extractive result.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.summariser.engine import summarise
    from bot.summariser.io import SummaryInputError, load_jsonl
    from bot.summariser.llm import (
        LLMSettings,
        add_prose,
        summarise_with_llm,
        summarise_with_llm_async,
    )
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

#: Where each public name lives. Loaded on first use, so that importing a light submodule
#: (the command-line parser) does not load NumPy into the bot's process.
_HOME = {
    "summarise": "engine", "SummaryInputError": "io", "load_jsonl": "io",
    "LLMSettings": "llm", "add_prose": "llm", "summarise_with_llm": "llm",
    "summarise_with_llm_async": "llm", "render": "render",
    **dict.fromkeys(("ITEM_KINDS", "ROLES", "Item", "KeyPoint", "Message", "Participation",
                     "Stance", "Summary"), "model"),
}


def __getattr__(name: str) -> Any:
    """Import the name's home and keep the name here.

    Keeping it matters for `render`: importing the submodule `render` sets this package's
    attribute `render` to the module, which would then shadow the function. Code in this
    package imports these names from the package, not from the submodule, for that reason.
    """
    home = _HOME.get(name)
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
