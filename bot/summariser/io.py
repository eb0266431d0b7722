"""Reading a discussion from JSON lines, one message per line, with errors people can act on.

Every problem is a `SummaryInputError` naming the line, so a person fixing an export by hand
knows where to look; nothing in a bad file can make the loader crash or eat all memory.
"""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Final

from bot.i18n import LANGUAGES, N_, normalise_language
from bot.summariser.model import ITEM_KINDS, ROLES, Message

MAX_TEXT_CHARS: Final = 20_000
MAX_REACTIONS: Final = 1_000_000_000
# Longest JSON line accepted: room for a full-length text even with every character escaped.
MAX_LINE_BYTES: Final = 512_000
REQUIRED_KEYS: Final = ("id", "author", "role", "text", "ts")
OPTIONAL_KEYS: Final = ("reply_to", "reactions", "item", "lang")
# Epoch numbers above this are milliseconds (Matrix's origin_server_ts), not seconds.
_MILLISECONDS_FROM: Final = 100_000_000_000
# JSON may escape half of a surrogate pair ("\ud800"); such text cannot be written as UTF-8.
_SURROGATE_RE: Final = re.compile(r"[\ud800-\udfff]")


class SummaryInputError(ValueError):
    """A problem with the input; `template` and `params` let a caller translate the message."""

    def __init__(
        self,
        line: int | None,
        message: str,
        *,
        template: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.line = line
        self.message = message
        self.template = template or message
        self.params = params or {}
        super().__init__(f"line {line}: {message}" if line is not None else message)


def _fail(line: int | None, template: str, **params: Any) -> SummaryInputError:
    return SummaryInputError(line, template.format(**params), template=template, params=params)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _string(record: dict[str, Any], key: str, line: int, *, nullable: bool = False) -> str | None:
    value = record.get(key)
    if value is None and nullable:
        return None
    if not isinstance(value, str) or (not nullable and not value.strip()):
        if nullable:
            raise _fail(line, N_('"{key}" must be a string or null'), key=key)
        raise _fail(line, N_('"{key}" must be a non-empty string'), key=key)
    return value


def _timestamp(value: Any, line: int) -> datetime:
    try:
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.strip())
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if isinstance(value, int | float) and not isinstance(value, bool):
            seconds = float(value)
            if math.isfinite(seconds):
                if abs(seconds) >= _MILLISECONDS_FROM:
                    seconds /= 1000.0
                return datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        pass
    raise _fail(
        line, N_('"ts" must be an ISO 8601 date and time or a number of seconds since 1970')
    )


def _reactions(value: Any, line: int) -> dict[str, int]:
    if value is None:
        return {}
    if isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(count, int) and not isinstance(count, bool)
        and 0 <= count <= MAX_REACTIONS
        for key, count in value.items()
    ):
        return dict(value)
    raise _fail(
        line,
        N_('"reactions" must be an object that maps emoji to whole numbers from 0 to {maximum}'),
        maximum=MAX_REACTIONS,
    )


def _choice(value: Any, key: str, choices: tuple[str, ...], line: int) -> str:
    if isinstance(value, str) and value in choices:
        return value
    shown = value if isinstance(value, str) else json.dumps(value)
    raise _fail(
        line, N_('unknown {key} "{value}"; use one of: {choices}'),
        key=key, value=shown[:40], choices=", ".join(choices),
    )


def _check_unicode(record: dict[str, Any], line: int) -> None:
    """A lone surrogate would only fail when the summary is printed; name its line now."""
    for key in REQUIRED_KEYS + OPTIONAL_KEYS:
        value = record.get(key)
        texts = list(value) if isinstance(value, dict) else [value]  # reactions: the emoji
        for text in texts:
            found = _SURROGATE_RE.search(text) if isinstance(text, str) else None
            if found is not None:
                raise _fail(
                    line, N_('"{key}" contains a character that is not valid Unicode ({code})'),
                    key=key, code=f"U+{ord(found.group()):04X}",
                )


def parse_record(raw: bytes, line: int) -> Message:
    """One JSON line to a Message, checking every key the format defines."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(line, N_("the line is not valid UTF-8 text")) from None
    try:
        record = json.loads(decoded, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        raise _fail(line, N_("not valid JSON ({detail})"), detail=detail) from None
    if not isinstance(record, dict):
        raise _fail(line, N_("expected a JSON object with the keys {keys}"),
                    keys=", ".join(REQUIRED_KEYS))
    for key in REQUIRED_KEYS:
        if key not in record:
            raise _fail(line, N_('missing key "{key}"'), key=key)
    _check_unicode(record, line)
    message_id = _string(record, "id", line)
    author = _string(record, "author", line)
    role = _choice(record["role"], "role", ROLES, line)
    text = record["text"]
    if not isinstance(text, str):
        raise _fail(line, N_('"{key}" must be a string'), key="text")
    if len(text) > MAX_TEXT_CHARS:
        raise _fail(
            line, N_("the text is longer than {limit} characters"), limit=MAX_TEXT_CHARS
        )
    ts = _timestamp(record["ts"], line)
    reply_to = _string(record, "reply_to", line, nullable=True)
    reactions = _reactions(record.get("reactions"), line)
    item = record.get("item")
    if item is not None:
        item = _choice(item, "item", ITEM_KINDS, line)
    lang = record.get("lang")
    if lang is not None:
        normalised = normalise_language(lang) if isinstance(lang, str) else None
        if normalised is None:
            lang = _choice(lang, "lang", LANGUAGES, line)
        lang = normalised
    assert message_id is not None and author is not None
    return Message(id=message_id, author=author, role=role, text=text, ts=ts,
                   reply_to=reply_to, reactions=reactions, lang=lang, item=item)


def read_jsonl(stream: IO[bytes]) -> list[Message]:
    messages: list[Message] = []
    first_line: dict[str, int] = {}
    line = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            break
        line += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            raise _fail(line, N_("the line is too long (more than {limit} bytes)"),
                        limit=MAX_LINE_BYTES)
        if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        message = parse_record(raw, line)
        if message.id in first_line:
            raise _fail(line, N_('the id "{value}" was already used on line {other}'),
                        value=message.id[:60], other=first_line[message.id])
        first_line[message.id] = line
        messages.append(message)
    if not messages:
        raise _fail(None, N_("the file contains no messages"))
    return messages


def load_jsonl(path: str | Path) -> list[Message]:
    """Messages from a JSON lines file ("-" reads standard input)."""
    if str(path) == "-":
        return read_jsonl(sys.stdin.buffer)
    try:
        with open(path, "rb") as stream:
            return read_jsonl(stream)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise _fail(
            None, N_("cannot read {path}: {reason}"), path=str(path), reason=reason
        ) from None
