"""A Summary as plain text, Markdown or HTML, with every heading in the reader's language.

The summary is first laid out as neutral blocks, then written in one format, so the three
formats can never drift apart in content. User text is escaped for Markdown and HTML, and
control and bidi-override characters are dropped first, so a message cannot reorder or hide
parts of the summary around it.
"""

from __future__ import annotations

import html
import re
from datetime import tzinfo
from typing import Final, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_percent

from bot.i18n import Translator, translator
from bot.summariser.model import ITEM_KIND_LABELS, LANGUAGE_LABELS, ROLE_LABELS, ROLES, Summary
from bot.summariser.text import one_line

Format = Literal["text", "md", "html"]
FORMATS: Final = ("text", "md", "html")

# "&" too: Markdown renderers turn "&lt;" or "&#x202e;" into the character they name.
_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]{}<>#|~!&])")
# C0 and C1 controls (except tab and newline), and the bidi embeddings, overrides and
# isolates (U+202A–U+202E, U+2066–U+2069) that can make text display in another order.
_INVISIBLE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_DOUBLE_SPACE: Final = re.compile(r"(?<=\S)  +(?=\S)")
_MD_LINE_START: Final = re.compile(r"^(\s*\d*)([-+=.)])")

Block = tuple[str, str | list[str]]  # ("title"|"heading"|"subheading"|"para"|"ol"|"ul", ...)


def render(
    summary: Summary,
    fmt: Format = "text",
    reader_lang: str | None = None,
    *,
    tz: tzinfo | str | None = None,
) -> str:
    """`tz` is the salon's time zone for the dates shown (default UTC)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    t = translator(reader_lang or summary.lang)
    blocks = [(kind, _visible(body)) for kind, body in _layout(summary, t, zone)]
    if fmt == "md":
        return _markdown(blocks)
    if fmt == "html":
        return _html(blocks)
    return _text(blocks)


def _visible(body: str | list[str]) -> str | list[str]:
    """Without control and bidi characters, and without the double space one could leave."""
    if isinstance(body, str):
        return _DOUBLE_SPACE.sub(" ", _INVISIBLE.sub("", body))
    return [_DOUBLE_SPACE.sub(" ", _INVISIBLE.sub("", line)) for line in body]


def _period(summary: Summary, t: Translator, zone: tzinfo | None) -> str | None:
    if summary.start is None or summary.end is None:
        return None
    start = summary.start.astimezone(zone) if zone else summary.start
    end = summary.end.astimezone(zone) if zone else summary.end
    first = format_date(start.date(), format="long", locale=t.lang)
    if start.date() == end.date():
        return first
    return f"{first} – {format_date(end.date(), format='long', locale=t.lang)}"


def _layout(summary: Summary, t: Translator, zone: tzinfo | None) -> list[Block]:
    part = summary.participation
    blocks: list[Block] = [("title", t._("Summary of the discussion"))]
    intro = (
        t.ngettext("{n} message", "{n} messages", part.messages).format(n=part.messages)
        + " "
        + t.ngettext("from {n} person", "from {n} people", part.people).format(n=part.people)
    )
    period = _period(summary, t, zone)
    blocks.append(("para", f"{intro}, {period}." if period else f"{intro}."))

    if summary.mode == "llm" and summary.llm_prose:
        blocks.append(("heading", t._("In brief")))
        paragraphs = re.split(r"\n\s*\n", summary.llm_prose.strip())
        blocks += [("para", one_line(paragraph)) for paragraph in paragraphs if paragraph.strip()]

    blocks.append(("heading", t._("Key points")))
    if summary.key_points:
        lines = []
        for point in summary.key_points:
            count = point.count
            note = (
                " (" + t.ngettext("raised in {n} message", "raised in {n} messages", count)
                .format(n=count) + ")"
                if count > 1
                else ""
            )
            lines.append(one_line(point.text) + note)
        blocks.append(("ol", lines))
    else:
        blocks.append(("para", t._("There is not enough discussion to summarise yet.")))

    if summary.key_phrases:
        blocks += [("heading", t._("Key phrases")), ("para", ", ".join(summary.key_phrases))]

    if any(summary.items.values()):
        blocks.append(("heading", t._("Items from the minutes")))
        for kind, found in summary.items.items():
            if found:
                blocks.append(("subheading", t._(ITEM_KIND_LABELS[kind])))
                blocks.append(("ul", [one_line(item.text) for item in found]))

    if summary.open_questions:
        blocks.append(("heading", t._("Open questions")))
        blocks.append(("ul", [one_line(question.text) for question in summary.open_questions]))

    if summary.agreements:
        blocks.append(("heading", t._("Points of agreement")))
        blocks.append(("ul", [
            one_line(stance.text) + " ("
            + t.ngettext("{n} in favour", "{n} in favour", stance.support).format(n=stance.support)
            + ")"
            for stance in summary.agreements
        ]))

    if summary.disagreements:
        blocks.append(("heading", t._("Points of disagreement")))
        blocks.append(("ul", [
            one_line(stance.text) + " ("
            + t.ngettext("{n} in favour", "{n} in favour", stance.support).format(n=stance.support)
            + ", "
            + t.ngettext("{n} against", "{n} against", stance.objection)
            .format(n=stance.objection)
            + ")"
            for stance in summary.disagreements
        ]))

    if part.messages == 0:
        return blocks
    blocks.append(("heading", t._("Who took part")))
    roles = []
    for role in ROLES:
        messages = part.messages_by_role.get(role, 0)
        if messages:
            people = part.people_by_role.get(role, 0)
            roles.append(
                t._(ROLE_LABELS[role]) + ": "
                + t.ngettext("{n} message", "{n} messages", messages).format(n=messages)
                + " "
                + t.ngettext("from {n} person", "from {n} people", people).format(n=people)
            )
    if roles:
        blocks.append(("ul", roles))
    if part.people > 1:
        blocks.append(("para", _evenness(part.gini, t) + " " + t._(
            "The most active person wrote {share} of the messages."
        ).format(share=format_percent(part.top_share, locale=t.lang))))

    if summary.languages:
        names = [
            f"{t._(LANGUAGE_LABELS.get(code, code))} ({count})"
            for code, count in summary.languages.items()
        ]
        blocks.append(("para", t._("Languages: {languages}").format(languages=", ".join(names))))
    return blocks


def _evenness(gini: float, t: Translator) -> str:
    """Plain words for the Gini coefficient: readers should not need to know what it is."""
    if gini < 0.2:
        return t._("Everyone took part about equally.")
    if gini < 0.4:
        return t._("Participation was fairly even.")
    if gini < 0.6:
        return t._("A few people wrote most of the messages.")
    return t._("One or two people wrote almost all of the messages.")


def _text(blocks: list[Block]) -> str:
    out: list[str] = []
    for kind, body in blocks:
        if kind == "title":
            assert isinstance(body, str)
            out += [body, "=" * len(body)]
        elif kind == "heading":
            assert isinstance(body, str)
            out += ["", body, "-" * len(body)]
        elif kind == "subheading":
            out += ["", f"{body}:"]
        elif kind == "para":
            out.append(str(body))
        elif kind == "ol":
            out += [f"{number}. {line}" for number, line in enumerate(body, 1)]
        else:
            out += [f"- {line}" for line in body]
    return "\n".join(out) + "\n"


def _md_escape(value: str) -> str:
    """User text must stay text: no headings, links, lists or HTML from a chat message."""
    escaped = _MD_SPECIAL.sub(r"\\\1", value)
    return _MD_LINE_START.sub(lambda match: match.group(1) + "\\" + match.group(2), escaped)


def _markdown(blocks: list[Block]) -> str:
    """Blocks are separated by blank lines, so a paragraph never joins the list above it."""
    out: list[str] = []
    for kind, body in blocks:
        if kind == "title":
            out.append(f"# {_md_escape(str(body))}")
        elif kind == "heading":
            out.append(f"## {_md_escape(str(body))}")
        elif kind == "subheading":
            out.append(f"### {_md_escape(str(body))}")
        elif kind == "para":
            out.append(_md_escape(str(body)))
        elif kind == "ol":
            out.append("\n".join(
                f"{number}. {_md_escape(line)}" for number, line in enumerate(body, 1)
            ))
        else:
            out.append("\n".join(f"- {_md_escape(line)}" for line in body))
    return "\n\n".join(out) + "\n"


def _html(blocks: list[Block]) -> str:
    tags = {"title": "h1", "heading": "h2", "subheading": "h3", "para": "p"}
    out: list[str] = []
    for kind, body in blocks:
        if kind in tags:
            out.append(f"<{tags[kind]}>{html.escape(str(body))}</{tags[kind]}>")
        else:
            tag = "ol" if kind == "ol" else "ul"
            items = "".join(f"<li>{html.escape(line)}</li>" for line in body)
            out.append(f"<{tag}>{items}</{tag}>")
    return "\n".join(out) + "\n"
