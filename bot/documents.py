"""A small neutral document model, written as the reply's markup, Markdown or HTML.

The summary is laid out once as blocks (kept in the stored summary's data) and written from
them in each format; the minutes file, the final report ``close`` writes and the Markdown and
HTML exports use the same blocks, so one layout reads the same everywhere and people's words
are escaped the same way in each format.

A block is ``[kind, body]``: ``title``, ``heading``, ``subheading`` and ``minor`` (four
heading levels) have a string, ``para`` a line, ``ul`` a list of lines, ``table`` a list
``[caption, column headings, rows]`` where a row is a list of lines (its first cell heads
the row). A line is a list of segments: ``["t", text]``, ``["b", text]`` (bold) or
``["a", label, url]``. Lists, not tuples, so they survive JSON.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

from bot.replies import escape_markup

# C0 and C1 controls (except tab and newline) and the bidi overrides and isolates, which
# could make a message reorder or hide the text around it.
_INVISIBLE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2066-\u2069]")
_SPACE: Final = re.compile(r"\s+")
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]{}<>#|~!&])")
_MD_LINE_START: Final = re.compile(r"^(\s*\d*)([-+=.)])")

Segment = list[str]
Line = list[Segment]
Block = list[Any]

HEADINGS: Final = ("title", "heading", "subheading", "minor")


def text(value: str) -> Segment:
    return ["t", value]


def bold(value: str) -> Segment:
    return ["b", value]


def anchor(label: str, url: str) -> Segment:
    return ["a", label, url]


def clean(value: str) -> str:
    """One line of visible text: no controls, no bidi tricks, no line breaks."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", value)).strip()


def plain(line: Line) -> str:
    """A line's text without its markup (a link shows its label)."""
    return "".join(clean(s[1]) if s[0] != "t" else _INVISIBLE.sub("", s[1]).replace("\n", " ")
                   for s in line)


def _source_line(line: Line) -> str:
    out = []
    for segment in line:
        if segment[0] == "a":
            label = clean(segment[1]).replace("[", "(").replace("]", ")")
            out.append(f"[{escape_markup(label)}]({segment[2]})")
        elif segment[0] == "b":
            out.append(f"**{escape_markup(clean(segment[1]))}**")
        else:
            out.append(escape_markup(_INVISIBLE.sub("", segment[1]).replace("\n", " ")))
    return "".join(out)


def _source_rows(body: list[Any]) -> list[str]:
    """A table in a chat message: one bullet per row, ``first: heading value; …``."""
    _caption, head, rows = body
    lines = []
    for row in rows:
        first, rest = _source_line(row[0]), []
        for name, cell in zip(head[1:], row[1:], strict=False):
            value = _source_line(cell)
            if value:
                rest.append(f"{escape_markup(clean(name))}: {value}")
        lines.append("- " + first + (": " + "; ".join(rest) if rest else ""))
    return lines


def to_source(blocks: Sequence[Block]) -> str:
    """The reply's markup (``bot.replies``): headings in bold, lists as ``- `` lines."""
    lines: list[str] = []
    for kind, body, *_ in blocks:
        if kind in HEADINGS:
            if kind == "heading" and lines:
                lines.append("")
            lines.append(f"**{escape_markup(clean(body))}**")
        elif kind == "para":
            lines.append(_source_line(body))
        elif kind == "table":
            lines += _source_rows(body)
        else:
            lines += ["- " + _source_line(line) for line in body]
    return "\n".join(lines)


def _md_escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", value)


def _md_line(line: Line) -> str:
    out = []
    for segment in line:
        if segment[0] == "a":
            out.append(f"[{_md_escape(clean(segment[1]))}]({segment[2]})")
        elif segment[0] == "b":
            out.append(f"**{_md_escape(clean(segment[1]))}**")
        else:
            out.append(_md_escape(_INVISIBLE.sub("", segment[1]).replace("\n", " ")))
    joined = "".join(out)
    return _MD_LINE_START.sub(lambda match: match.group(1) + "\\" + match.group(2), joined)


def _md_table(body: list[Any]) -> list[str]:
    caption, head, rows = body
    out = [f"*{_md_escape(clean(caption))}*", ""] if caption else []
    out.append("| " + " | ".join(_md_escape(clean(h)) for h in head) + " |")
    out.append("|" + "|".join(" --- " for _ in head) + "|")
    for row in rows:
        cells = [_md_line(cell) or " " for cell in row]
        cells += [" "] * (len(head) - len(cells))
        out.append("| " + " | ".join(cells) + " |")
    return out


def to_markdown(blocks: Sequence[Block]) -> str:
    """Markdown in which people's words stay words: no headings, links or HTML from them."""
    out: list[str] = []
    marks = {"title": "#", "heading": "##", "subheading": "###", "minor": "####"}
    for kind, body, *_ in blocks:
        if kind in marks:
            out += [f"{marks[kind]} {_md_escape(clean(body))}", ""]
        elif kind == "para":
            out += [_md_line(body), ""]
        elif kind == "table":
            out += [*_md_table(body), ""]
        else:
            out += [f"- {_md_line(line)}" for line in body] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


def _html_line(line: Line) -> str:
    out = []
    for segment in line:
        if segment[0] == "a":
            out.append(f'<a href="{html.escape(segment[2], quote=True)}">'
                       f"{html.escape(clean(segment[1]))}</a>")
        elif segment[0] == "b":
            out.append(f"<strong>{html.escape(clean(segment[1]))}</strong>")
        else:
            out.append(html.escape(_INVISIBLE.sub("", segment[1])))
    return "".join(out)


def _html_table(body: list[Any]) -> str:
    caption, head, rows = body
    out = ["<table>"]
    if caption:
        out.append(f"<caption>{html.escape(clean(caption))}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col">{html.escape(clean(h))}</th>'
                                       for h in head) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        cells = [f'<th scope="row">{_html_line(row[0])}</th>'] if row else []
        # Each cell says its column, so a narrow screen can show a row as a card.
        cells += [f'<td data-label="{html.escape(clean(name), quote=True)}">'
                  f"{_html_line(cell)}</td>"
                  for name, cell in zip(head[1:], row[1:], strict=False)]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def to_html(blocks: Sequence[Block]) -> str:
    tags = {"title": "h1", "heading": "h2", "subheading": "h3", "minor": "h4"}
    out: list[str] = []
    for kind, body, *_ in blocks:
        if kind in tags:
            out.append(f"<{tags[kind]}>{html.escape(clean(body))}</{tags[kind]}>")
        elif kind == "para":
            out.append(f"<p>{_html_line(body)}</p>")
        elif kind == "table":
            out.append(_html_table(body))
        else:
            out.append("<ul>" + "".join(f"<li>{_html_line(line)}</li>" for line in body)
                       + "</ul>")
    return "\n".join(out) + "\n"


def html_document(blocks: Sequence[Block], title: str, lang: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(lang)}">',
        '<head><meta charset="utf-8">',
        f"<title>{html.escape(clean(title))}</title>",
        "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.4}"
        "</style></head>",
        "<body>",
        to_html(blocks).rstrip("\n"),
        "</body></html>",
        "",
    ])


def demoted(blocks: Iterable[Block]) -> list[Block]:
    """The blocks one level down, to sit under a heading of their own (in the minutes)."""
    down = {"title": "heading", "heading": "subheading", "subheading": "subheading"}
    return [[down.get(kind, kind), body] for kind, body, *_ in blocks]


def nested(blocks: Iterable[Block], under: str) -> list[Block]:
    """The blocks under a heading of kind ``under``: their title one level below it, and
    every heading below that in step (the last level takes what would go deeper)."""
    shift = HEADINGS.index(under) + 1
    out: list[Block] = []
    for kind, body, *_ in blocks:
        if kind in HEADINGS:
            kind = HEADINGS[min(len(HEADINGS) - 1, HEADINGS.index(kind) + shift)]
        out.append([kind, body])
    return out
