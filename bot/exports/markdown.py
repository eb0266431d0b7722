"""The Markdown export: a readable report per salon (``salon-<id>.md``) and an index
(``index.md``) linking them, in the municipality's default language, times in its zone.

The reports are the ones ``close`` writes (``bot.exports.report``), written as Markdown in
which people's words stay words (``bot.documents``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.documents import to_markdown
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.report import IndexRow, Layout, index_blocks, report_blocks, salon_reports
from bot.i18n import translator


def write_markdown(session: Session, out_dir: Path, options: ExportOptions, people: People,
                   now: datetime) -> list[Path]:
    """Writes the files into ``out_dir``; returns their paths, the index first."""
    layout = Layout(translator(options.language), ZoneInfo(options.timezone))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[IndexRow] = []
    written: list[Path] = []
    for report in salon_reports(session, options, people, now):
        name = f"salon-{report.id}.md"
        path = out_dir / name
        path.write_text(to_markdown(report_blocks(report, layout)), encoding="utf-8")
        written.append(path)
        rows.append(IndexRow.of(report, name))
    index = out_dir / "index.md"
    index.write_text(to_markdown(index_blocks(rows, layout, now)), encoding="utf-8")
    return [index, *written]
