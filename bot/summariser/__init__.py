"""Summaries of salon discussions: key points, phrases, items, open questions, stances.

A library that knows nothing about Matrix: messages in, a `Summary` out, rendered as text,
Markdown or HTML in the reader's language. Extractive, offline and deterministic; an optional
LLM pass (`summarise_with_llm`) writes prose grounded in the extractive result.
"""

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
