"""The one command parser: ``!salon <verb> <args…>`` into a verb and its arguments.

Phones replace straight quotes with typographic ones, so „…“, “…”, «…» and ”…” count as
quotes too. Only double quotes group words: an apostrophe in "don't" is just a letter.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"'})


class ParseError(Exception):
    """The text is a command for the bot but cannot be read; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A command as typed: the verb still in the user's words (aliases are resolved later)."""

    verb: str
    args: tuple[str, ...] = ()
    options: dict[str, str | bool] = field(default_factory=dict)
    rest: str = ""

    def option(self, name: str) -> str | bool | None:
        return self.options.get(name)


def is_command(body: str, prefix: str) -> bool:
    head = body.lstrip()[: len(prefix)]
    if head.casefold() != prefix.casefold():
        return False
    after = body.lstrip()[len(prefix) : len(prefix) + 1]
    return after == "" or after.isspace()


def split_words(text: str) -> list[str]:
    lexer = shlex.shlex(text.translate(_QUOTES), posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as err:
        raise ParseError("unclosed-quote") from err


def parse(body: str, prefix: str, flags: frozenset[str] = frozenset()) -> ParsedCommand | None:
    """None when the message is not for the bot; ParseError when it is but is unreadable.

    ``flags`` are the ``--options`` that take no value; every other ``--name`` takes the next
    word as its value. Options may appear anywhere after the verb.
    """
    if not is_command(body, prefix):
        return None
    rest = body.lstrip()[len(prefix) :].strip()
    if not rest:
        return ParsedCommand(verb="")
    words = split_words(rest)
    if not words:
        return ParsedCommand(verb="")
    verb, tail = words[0], words[1:]
    args: list[str] = []
    options: dict[str, str | bool] = {}
    index = 0
    while index < len(tail):
        word = tail[index]
        if word.startswith("--") and len(word) > 2:
            name = word[2:].lower()
            if name in flags:
                options[name] = True
            elif index + 1 < len(tail):
                options[name] = tail[index + 1]
                index += 1
            else:
                raise ParseError(f"option-needs-value:{name}")
        else:
            args.append(word)
        index += 1
    after_verb = rest[len(rest.split(None, 1)[0]) :].strip() if rest.split() else ""
    return ParsedCommand(verb=verb.casefold(), args=tuple(args), options=options, rest=after_verb)
