"""The HTML export: a static site staff open in a browser, straight from the folder or the
ZIP. ``index.html`` lists the salons (title, status, dates, counts, outcomes still waiting);
``salon-<id>.html`` is a salon's report: meetings, minutes, items, outcomes with their status
and answers, summary (the report ``close`` writes, ``bot.exports.report``).

Self-contained: the CSS is inline, there are no scripts, fonts or images, and a Content
Security Policy forbids the page to load anything, so opening it sends nothing anywhere.
It is in the municipality's default language (``<html lang>``), reads on a phone (viewport,
tables become one card per row on a narrow screen), prints cleanly (print CSS: no
navigation, link targets written out) and is built for assistive technology: landmarks, a
skip link, one ``h1`` and headings in order, tables with a caption and ``th scope``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.documents import Block, clean, to_html
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.report import (
    Layout,
    index_blocks,
    index_title,
    moment_words,
    report_blocks,
    report_title,
    write_reports,
)
from bot.i18n import Translator, translator

#: Nothing may be loaded: no scripts, no fonts, no images from anywhere, no requests.
CSP: Final = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; "
              "form-action 'none'; base-uri 'none'")

CSS: Final = """
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;font-size:1rem;line-height:1.5;color:#1b1b1b;background:#fff}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{position:static;display:block;padding:.5rem;background:#fff;color:#0b4f9c}
header,main,footer{max-width:62rem;margin:0 auto;padding:0 1rem}
header{padding-top:1rem;border-bottom:1px solid #767676}
header p{margin:.25rem 0 .75rem}
footer{margin-top:2rem;padding-bottom:2rem;border-top:1px solid #767676;color:#3b3b3b}
h1{font-size:1.75rem;line-height:1.25;margin:1.25rem 0 .75rem}
h2{font-size:1.4rem;margin:2rem 0 .5rem;border-bottom:2px solid #d0d7de}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
h4{font-size:1rem;margin:1.25rem 0 .25rem}
p,li,caption,h1,h2,h3,h4{overflow-wrap:anywhere}
td,th{overflow-wrap:break-word}
a{color:#0b4f9c;text-decoration:underline}
a:visited{color:#5b2a86}
a:focus{outline:3px solid #1b1b1b;outline-offset:2px}
table{border-collapse:collapse;width:100%;margin:.75rem 0 1.25rem}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#e8eef6}
tbody th{font-weight:600}
@media (max-width:48rem){
h1{font-size:1.5rem}
table,thead,tbody,tr,th,td,caption{display:block;width:100%}
thead tr{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
tr{border:1px solid #767676;margin:0 0 .75rem}
th,td{border:0;border-bottom:1px solid #d0d7de}
td[data-label]::before{content:attr(data-label) ": ";font-weight:700}
}
@media print{
@page{margin:1.5cm}
body{font-size:11pt;color:#000}
nav,.skip{display:none}
header,main,footer{max-width:none;padding:0}
a{color:#000}
a[href^="http"]::after{content:" (" attr(href) ")";font-size:90%}
h2,h3,h4{break-after:avoid}
tr,li{break-inside:avoid}
thead th{background:none}
}
""".strip()


def page(blocks: Sequence[Block], title: str, t: Translator, *, now_words: str,
         home: str | None) -> str:
    """A whole page: ``home`` links back to the index (None: this is the index)."""
    nav = ""
    if home is not None:
        label, back = t._("Pages"), t._("Back to all salons")
        nav = (f'<nav aria-label="{html.escape(label, quote=True)}">'
               f'<p><a href="{html.escape(home, quote=True)}">{html.escape(back)}</a></p></nav>')
    skip = t._("Skip to the content")
    site = t._("salonbot: citizen salons and what they concluded")
    footer = t._("Exported on {when}. People are named only if they chose to be; everyone "
                 "else appears under a pseudonym.").format(when=now_words)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(t.lang, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{html.escape(clean(title))}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f'<a class="skip" href="#main">{html.escape(skip)}</a>',
        "<header>",
        f"<p>{html.escape(site)}</p>",
        nav,
        "</header>",
        '<main id="main">',
        to_html(blocks).rstrip("\n"),
        "</main>",
        "<footer>",
        f"<p>{html.escape(footer)}</p>",
        "</footer>",
        "</body>",
        "</html>",
        "",
    ])


def write_site(session: Session, out_dir: Path, options: ExportOptions, people: People,
               now: datetime) -> list[Path]:
    """Writes the site into ``out_dir``; returns the paths, ``index.html`` first."""
    t = translator(options.language)
    when = moment_words(Layout(t, ZoneInfo(options.timezone)), now)
    return write_reports(
        session, out_dir, options, people, now, suffix=".html",
        salon_page=lambda report, layout: page(report_blocks(report, layout),
                                               report_title(t, report), t, now_words=when,
                                               home="index.html"),
        index_page=lambda rows, layout: page(index_blocks(rows, layout, now), index_title(t),
                                             t, now_words=when, home=None))
