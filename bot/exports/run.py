"""One export, whatever asks for it: ``salonbot export`` on the command line and ``export`` in
the staff room both call ``run_export``.

It writes the files into a folder, reads the database as a stream (bounded memory however
large it is), and logs the export (who, how, what, since, which salon, how many rows) in the
``exports`` table in the caller's transaction, so an export that fails is not logged and a
logged one was written. Formats:

- ``csv``: one file per table (``bot.exports.tables``) and ``datapackage.json``;
- ``xlsx``: one workbook, a sheet per table;
- ``json``: one document with the same tables;
- ``ics``: every meeting in one calendar;
- ``md`` and ``html``: the readable reports (``bot.exports.markdown`` and
  ``bot.exports.site``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.db import ExportRecord
from bot.exports.csv_writer import write_csv
from bot.exports.datapackage import package, write_package
from bot.exports.options import FORMATS, REPORT_FORMATS, ExportOptions
from bot.exports.people import People
from bot.exports.scope import Scope
from bot.exports.tables import SCHEMA_VERSION, TABLES
from bot.i18n import translator

VIA = ("staff-room", "command-line")


@dataclass
class ExportResult:
    format: str
    #: The files written, in the order written.
    files: list[Path] = field(default_factory=list)
    #: Rows per table (for md/html: ``salons``, the salons with a report; for ics: meetings).
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def is_report(self) -> bool:
        """A readable report (md, html): a file or page per salon and an index, no tables;
        ``total`` is the number of salons."""
        return self.format in REPORT_FORMATS


def _title(options: ExportOptions, now: datetime) -> str:
    t = translator(options.language)
    return t._("Citizen salons: export of {date}").format(date=now.date().isoformat())


def run_export(session: Session, options: ExportOptions, out_dir: Path, *,
               by_user: str | None, via: str, now: datetime) -> ExportResult:
    """Writes the export into ``out_dir`` (made if missing) and logs it in ``session``."""
    if via not in VIA:
        raise ValueError(f"unknown way of asking for an export {via!r}")
    result = write_export(session, options, out_dir, now=now)
    log_export(session, result, options, by_user=by_user, via=via, now=now)
    return result


def log_export(session: Session, result: ExportResult, options: ExportOptions, *,
               by_user: str | None, via: str, now: datetime) -> None:
    """The export's row in the log (``exports``), listed in ``digest``."""
    session.add(ExportRecord(by_user=by_user, via=via, format=options.format,
                             since=options.since, salon_id=options.salon_id,
                             rows=result.total, created_at=now))
    session.flush()


def write_export(session: Session, options: ExportOptions, out_dir: Path, *,
                 now: datetime) -> ExportResult:
    """The files of the export, without the log (``run_export`` does both)."""
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    people = People.of(session, now)
    scope = Scope(people, options, now)
    result = ExportResult(options.format)
    if options.format == "csv":
        written = []
        for table in TABLES:
            path = out_dir / f"{table.name}.csv"
            rows = write_csv(path, table, table.rows(session, scope, raw_times=True))
            result.files.append(path)
            result.rows[table.name] = rows
            written.append((table, path.name, rows))
        path = out_dir / "datapackage.json"
        write_package(path, package(written, options, now, _title(options, now)))
        result.files.append(path)
    elif options.format == "xlsx":
        from bot.exports.xlsx import Workbook

        path = out_dir / "salonbot-export.xlsx"
        book = Workbook(path, options.timezone)
        try:
            for table in TABLES:
                result.rows[table.name] = book.add(table, table.rows(session, scope))
        finally:
            book.close()
        result.files.append(path)
    elif options.format == "json":
        from bot.exports.csv_writer import utc_text
        from bot.exports.json_writer import JsonDocument

        path = out_dir / "salonbot-export.json"
        header = {"schema_version": SCHEMA_VERSION, "title": _title(options, now),
                  "created": utc_text(now),
                  "since": utc_text(options.since) if options.since else None,
                  "salon_id": options.salon_id}
        document = JsonDocument(path, header)
        try:
            for table in TABLES:
                result.rows[table.name] = document.add(table, table.rows(session, scope,
                                                                      raw_times=True))
        finally:
            document.close()
        result.files.append(path)
    elif options.format == "ics":
        from bot.exports.ics import write_ics

        path = out_dir / "salonbot-meetings.ics"
        result.rows["meetings"] = write_ics(session, path, options, people,
                                            translator(options.language),
                                            _title(options, now))
        result.files.append(path)
    elif options.format == "md":
        from bot.exports.markdown import write_markdown

        result.files += write_markdown(session, out_dir, options, people, now)
        result.rows["salons"] = len(result.files) - 1  # a file per salon and the index
    else:  # html
        from bot.exports.site import write_site

        result.files += write_site(session, out_dir, options, people, now)
        result.rows["salons"] = len(result.files) - 1  # a page per salon and the index
    return result
