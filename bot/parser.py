"""The one command parser: ``!salon <verb> <args…>`` into a verb and its arguments.

Phones replace straight quotes with typographic ones, so „…“, “…”, «…» and ”…” count as
quotes too. Only double quotes group words: an apostrophe in "don't" is just a letter.
Phones also turn ``--`` into a dash (— or –), so a word that starts with one is read as an
option; a dash inside a word or on its own is left alone.

Reading happens in two steps because the verb decides which options exist: ``split`` finds
the verb and the words after it, ``read_options`` separates the command's declared options
from its arguments. ``parse`` does both.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"'})
_DASHES = ("--", "—", "–")  # what phones make of "--": an em dash or an en dash
# What people type for the Nordic letters on a keyboard that lacks them: å as aa or a,
# æ and ä as ae or a, ø and ö as oe or o.
_NORDIC = str.maketrans({"æ": "a", "ä": "a", "ø": "o", "ö": "o", "å": "a", "ß": "ss"})
_DIGRAPHS = (("aa", "a"), ("ae", "a"), ("oe", "o"))


class ParseError(Exception):
    """The text is a command for the bot but cannot be read; ``reason`` says why:
    ``unclosed-quote``, ``unknown-option:<name>`` or ``option-needs-value:<name>``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    """A command as typed: the verb still in the user's words (aliases are resolved later).

    ``words`` is everything after the verb before options are read; ``args`` and
    ``options`` are filled by ``read_options``.
    """

    verb: str
    args: tuple[str, ...] = ()
    options: dict[str, str | bool] = field(default_factory=dict)
    rest: str = ""
    words: tuple[str, ...] = ()

    def option(self, name: str) -> str | bool | None:
        return self.options.get(name)


def fold_verb(word: str) -> str:
    """The key a verb is looked up by: case, accents and how Nordic letters are spelled do
    not matter (``ÅBN``, ``aabn`` and ``abn`` are all ``åbn``; ``invitér`` is ``inviter``)."""
    text = word.casefold()
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = unicodedata.normalize("NFKD", text.translate(_NORDIC))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def read_choice(word: str, choices: Mapping[T, Iterable[str]]) -> T | None:
    """Which of ``choices`` a word names (``ja``, ``JA``, ``maaske`` …), folded as verbs are;
    None when it names none."""
    folded = fold_verb(word)
    for choice, words in choices.items():
        if folded in {fold_verb(w) for w in words}:
            return choice
    return None


def is_command(body: str, prefix: str) -> bool:
    head = body.lstrip()[: len(prefix)]
    if head.casefold() != prefix.casefold():
        return False
    after = body.lstrip()[len(prefix) : len(prefix) + 1]
    return after == "" or after.isspace()


class Word(str):
    """A word as typed; ``quoted`` when it began with a quote, so that a quoted text which
    happens to start with a dash (``"—Hvorfor ikke?"``) is never read as an option."""

    quoted: bool

    def __new__(cls, text: str, quoted: bool = False) -> Word:
        word = super().__new__(cls, text)
        word.quoted = quoted
        return word


def split_words(text: str) -> list[Word]:
    """Words split at white space (any, also the no-break spaces phones insert); double
    quotes group words and are dropped, as a shell does; an unclosed quote is an error."""
    words: list[Word] = []
    current: list[str] = []
    started = quoted = in_quote = False
    for ch in text.translate(_QUOTES):
        if in_quote:
            if ch == '"':
                in_quote = False
            else:
                current.append(ch)
        elif ch == '"':
            in_quote = True
            quoted = quoted or not started
            started = True
        elif ch.isspace():
            if started:
                words.append(Word("".join(current), quoted))
            current, started, quoted = [], False, False
        else:
            current.append(ch)
            started = True
    if in_quote:
        raise ParseError("unclosed-quote")
    if started:
        words.append(Word("".join(current), quoted))
    return words


def typed_verb(body: str, prefix: str) -> str:
    """The first word after the prefix, also when the rest cannot be split (for messages)."""
    words = body.lstrip()[len(prefix) :].translate(_QUOTES).replace('"', " ").split(None, 1)
    return words[0].casefold() if words else ""


def split(body: str, prefix: str) -> ParsedCommand | None:
    """The verb and the words after it; None when the message is not for the bot."""
    if not is_command(body, prefix):
        return None
    rest = body.lstrip()[len(prefix) :].strip()
    words = split_words(rest) if rest else []
    if not words:
        return ParsedCommand(verb="")
    after_verb = rest[len(rest.split(None, 1)[0]) :].strip()
    return ParsedCommand(verb=words[0].casefold(), rest=after_verb, words=tuple(words[1:]))


def option_name(word: str) -> str | None:
    """``--public``, ``—public`` or ``–public`` -> ``public``; None for any other word,
    and for a quoted one."""
    if getattr(word, "quoted", False):
        return None
    for dash in _DASHES:
        name = word[len(dash) :]
        if word.startswith(dash) and name[:1].isalpha():
            return name.lower()
    return None


def read_options(command: ParsedCommand, flags: frozenset[str] = frozenset(),
                 values: frozenset[str] = frozenset()) -> ParsedCommand:
    """Options may appear anywhere after the verb: ``flags`` stand alone, ``values`` take
    the next word. Any other ``--name`` is an error, so a typo is never taken as text."""
    args: list[str] = []
    options: dict[str, str | bool] = {}
    words = command.words
    index = 0
    while index < len(words):
        name = option_name(words[index])
        if name is None:
            args.append(words[index])
        elif name in flags:
            options[name] = True
        elif name not in values:
            raise ParseError(f"unknown-option:{name}")
        elif index + 1 < len(words) and option_name(words[index + 1]) not in flags | values:
            options[name] = words[index + 1]
            index += 1
        else:
            raise ParseError(f"option-needs-value:{name}")
        index += 1
    return ParsedCommand(verb=command.verb, args=tuple(args), options=options,
                         rest=command.rest, words=words)


def parse(body: str, prefix: str, flags: frozenset[str] = frozenset(),
          values: frozenset[str] = frozenset()) -> ParsedCommand | None:
    """None when the message is not for the bot; ParseError when it is but is unreadable."""
    command = split(body, prefix)
    return None if command is None else read_options(command, flags, values)
