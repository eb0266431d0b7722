"""One export, whatever asks for it: ``salonbot export`` on the command line and ``export`` in
the staff room both call ``run_export``.

It writes the files into a folder, reads the database as a stream (bounded memory however
large it is), and logs the export (who, how, what, since, which salon, how many rows) in the
``exports`` table in the caller's transaction, so an export that fails is not logged and a
logged one was written. The staff room writes in a worker thread (``write_export_apart``)
and logs with ``log_export`` once the file is ready to send. Formats:

- ``csv``: one file per table (``bot.exports.tables``) and ``datapackage.json``;
- ``xlsx``: one workbook, a sheet per table;
- ``json``: one document with the same tables;
- ``ics``: every meeting in one calendar;
- ``md`` and ``html``: the readable reports (``bot.exports.markdown`` and
  ``bot.exports.site``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import SingletonThreadPool

from bot.db import ExportRecord
from bot.exports.csv_writer import write_csv
from bot.exports.datapackage import package, write_package
from bot.exports.options import FORMATS, REPORT_FORMATS, ExportOptions
from bot.exports.people import People
from bot.exports.scope import Scope
from bot.exports.tables import SCHEMA_VERSION, TABLES
from bot.i18n import translator

VIA = ("staff-room", "command-line")

T = TypeVar("T")


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
                 now: datetime, people: People | None = None) -> ExportResult:
    """The files of the export, without the log (``run_export`` does both). ``people``:
    read (and the pseudonym key made) beforehand, else here; reading them writes the key
    on a database's first export."""
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    if people is None:
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


async def write_export_apart(session: Session, options: ExportOptions, out_dir: Path, *,
                             now: datetime, finish: Callable[[ExportResult], T]) -> T:
    """``write_export`` and then ``finish`` (the staff room packs the files there) in a
    worker thread, so the event loop goes on meanwhile (timers, deliveries, signals): a
    million rows of XLSX take most of a minute. ``session`` is the command's; the log row
    is the caller's to add to it afterwards (``log_export``), in the command's transaction.

    Why a session of its own: an ORM session and its connection must be used by one thread
    at a time, and handing the command's session to the worker would leave that to every
    later change of the router (a rollback or close in the loop thread while the worker
    reads). A handler has no ``Database``, but the session's engine is enough: the worker
    opens a read session on it and checks a connection out of the pool in its own thread
    (pysqlite's ``check_same_thread`` does not stand in the way: SQLAlchemy turns it off for
    file databases, whose pool hands connections between threads). The loop thread never
    touches that session, and the worker never touches ``session``.

    What the read session cannot see is the command's own uncommitted work, so the one write
    an export may need, the pseudonym key made on a database's first export, happens in
    ``session`` first (``People.of``, in the loop thread), and the worker is given the
    people read there and never reads the key itself (which on SQLite would wait for the
    write lock the command holds, and on PostgreSQL for the command's uncommitted row).

    - SQLite: a plain (deferred) read transaction beside the command's; the command holds
      the write lock (``BEGIN IMMEDIATE``) until it commits, so nothing commits meanwhile
      and the worker reads the state the command sees. WAL lets it read beside that lock.
    - PostgreSQL: ``REPEATABLE READ``, so every table is read from one snapshot.
    - SQLite ``:memory:`` (no configuration of the bot uses it): each thread of that pool
      has a database of its own, an empty one, so there the export is written in the loop
      thread with ``session``, as it was before.

    A cancelled caller (the bot stopping) waits for the worker to finish before it goes on
    (``run_in_thread``), so the command's transaction is rolled back and ``out_dir``
    removed only once nothing uses them; a stop in the middle of a large export takes that
    long.
    """
    people = People.of(session, now)
    engine = session.get_bind()
    if not isinstance(engine, Engine) or isinstance(engine.pool, SingletonThreadPool):
        return finish(write_export(session, options, out_dir, now=now, people=people))
    reader = _read_only(engine)

    def work() -> T:
        with Session(reader) as apart:
            try:
                return finish(write_export(apart, options, out_dir, now=now, people=people))
            finally:
                apart.rollback()  # it only read

    return await run_in_thread(work)


def _read_only(engine: Engine) -> Engine:
    """The engine for the worker's read transaction (see ``write_export_apart``)."""
    if engine.dialect.name == "sqlite":
        # The command's session may come from an engine that begins IMMEDIATE: a reader
        # must not ask for the write lock the command holds.
        return engine.execution_options(sqlite_immediate=False)
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="REPEATABLE READ")
    return engine


async def run_in_thread(work: Callable[[], T]) -> T:
    """``work()`` in a worker thread. A cancellation is passed on only once the thread has
    ended: a thread cannot be stopped, and what it still uses must outlive it."""
    task = asyncio.ensure_future(asyncio.to_thread(work))
    cancelled: asyncio.CancelledError | None = None
    while not task.done():
        try:
            await asyncio.wait({task})
        except asyncio.CancelledError as err:
            cancelled = err  # the thread cannot be stopped; let it finish with its files
    if cancelled is not None:
        if not task.cancelled():
            task.exception()  # looked at: a failure goes with the cancelled command
        raise cancelled
    return task.result()
