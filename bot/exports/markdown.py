"""The Markdown export: a readable report per salon (``salon-<id>.md``) and an index
(``index.md``) linking them, in the municipality's default language, times in its zone.

The reports are the ones ``close`` writes (``bot.exports.report``), written as Markdown in
which people's words stay words (``bot.documents``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.documents import to_markdown
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.report import index_blocks, report_blocks, write_reports


def write_markdown(session: Session, out_dir: Path, options: ExportOptions, people: People,
                   now: datetime) -> list[Path]:
    """Writes the files into ``out_dir``; returns their paths, the index first."""
    return write_reports(
        session, out_dir, options, people, now, suffix=".md",
        salon_page=lambda report, layout: to_markdown(report_blocks(report, layout)),
        index_page=lambda rows, layout: to_markdown(index_blocks(rows, layout, now)))
