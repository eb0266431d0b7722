"""The one way to write a reply: a small Markdown subset turned into plain text and HTML.

Handlers write ``**bold**``, ``[label](https://…)`` links and ``- `` bullet lines; every
transport shows the plain ``body`` or the HTML ``formatted_body`` from the same source, and
user-supplied text is escaped so nobody can inject markup into the bot's messages.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^\s)]+|matrix:[^\s)]+)\)")


def escape_markup(text: str) -> str:
    """Makes user text safe to embed in a reply source (no accidental bold or links)."""
    return text.replace("**", "*\u200b*").replace("](", "]\u200b(")


def _inline_html(line: str) -> str:
    escaped = html.escape(line, quote=False)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)

    def link(match: re.Match[str]) -> str:
        # The URL was matched in escaped text: undo that before escaping it as an attribute,
        # or "&" would arrive as "&amp;amp;".
        url = html.escape(html.unescape(match.group(2)), quote=True)
        return f'<a href="{url}">{match.group(1)}</a>'

    return _LINK.sub(link, escaped)


def _inline_plain(line: str) -> str:
    line = _BOLD.sub(r"\1", line)
    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return label if label == url else f"{label} ({url})"

    return _LINK.sub(link, line)


def to_plain(source: str) -> str:
    lines = [
        "• " + _inline_plain(line[2:]) if line.startswith("- ") else _inline_plain(line)
        for line in source.splitlines()
    ]
    return "\n".join(lines).replace("\u200b", "")


def to_html(source: str) -> str:
    out: list[str] = []
    in_list = False
    for line in source.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{_inline_html(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(_inline_html(line) + "<br/>" if line else "<br/>")
    if in_list:
        out.append("</ul>")
    text = "".join(out)
    while text.endswith("<br/>"):
        text = text[: -len("<br/>")]
    return text.replace("\u200b", "")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (a calendar, minutes): the reply's text is its caption."""

    filename: str
    mimetype: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """What a handler says. ``room_id`` None means "in the room the command came from, as a
    reply to it"; another room id posts there (the staff room, say) as a plain notice.

    ``watch`` names the posted event for later (``meeting:12:announcement``): reactions and
    answers to it then reach the hooks with that key. ``not_before`` holds it back until
    then. ``mentions`` are user ids put in ``m.mentions`` (they get a notification).
    ``attachment`` sends a file (``m.file``, encrypted in encrypted rooms) with the text as
    its caption. ``in_reply_to``: an event in the room it goes to that it answers (a staff
    answer to the salon's outcome announcement). ``anonymous``: the person who asked is not
    kept with it (the answer to ``forget-me``), not even while it waits to be sent.
    """

    source: str
    room_id: str | None = None
    direct_to: str | None = None
    extra: dict[str, object] = field(default_factory=dict)
    watch: str | None = None
    not_before: datetime | None = None
    mentions: tuple[str, ...] = ()
    attachment: Attachment | None = None
    anonymous: bool = False
    in_reply_to: str | None = None

    @property
    def body(self) -> str:
        return to_plain(self.source)

    @property
    def formatted_body(self) -> str:
        return to_html(self.source)


def without_reply_fallback(body: str) -> str:
    """A reply's own words: clients put the message they answer in front of them as ``> ``
    lines and a blank line (the reply fallback). Those lines are someone else's words, who
    may not have consented to being recorded; and a command written as a reply must still
    start with the prefix."""
    lines = body.split("\n")
    if not lines or not lines[0].startswith(">"):
        return body
    index = 0
    while index < len(lines) and lines[index].startswith(">"):
        index += 1
    if index < len(lines) and not lines[index].strip():
        index += 1
    return "\n".join(lines[index:])
