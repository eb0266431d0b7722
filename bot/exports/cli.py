"""``salonbot export``: the export for the operator, on the command line.

    salonbot export --format csv|xlsx|json|md|html|ics --out DIR [--since DATE] [--salon REF]
                    [-c config.yaml | --db URL]

The configuration gives the database, the municipality's language and time zone and the
retention period; ``--db`` names another database (the rest then comes from ``-c``, or the
defaults). What was written is printed in the operator's language (``SALONBOT_LANG`` or the
locale); bad input is one line on stderr and exit code 2, never a traceback.

The export is read in one ordinary (deferred) transaction, so a running bot on the same
SQLite file is not held up by it, and logged in a short write transaction once the files are
written (``run_export`` does both in one transaction, for the staff room's command).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from bot.exports.options import FORMATS, ExportOptions
from bot.when.since import since_moment

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        print(f"salonbot export: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "export", help="export the salons' data (csv, xlsx, json, md, html, ics)",
        description="Export the salons' data for the municipality: one table per entity "
                    "with a datapackage.json (csv), a workbook (xlsx), one document (json), "
                    "readable reports (md), a static site (html) or a calendar (ics). People "
                    "appear under pseudonyms unless they chose to be named.")
    parser.__class__ = _Parser  # its errors are one line too
    parser.add_argument("--format", dest="format", required=True, metavar="FORMAT",
                        help="csv, xlsx, json, md, html or ics")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--since", metavar="DATE",
                        help="only what was created or changed since (2026-03-01)")
    parser.add_argument("--salon", metavar="REF", help="only this salon (#12 or its room id)")
    parser.add_argument("-c", "--config", default=None, help="YAML configuration")
    parser.add_argument("--db", default=None, help="database URL instead of the config's")
    parser.set_defaults(func=run)


def _database_exists(url: str) -> bool:
    if not url.startswith("sqlite"):
        return True
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    return not name or name == ":memory:" or Path(name).exists()


def run(args: argparse.Namespace) -> int:
    from bot.cli import fail, operator_translator
    from bot.config import load_config

    t = operator_translator()
    fmt = (args.format or "").strip().lower()
    if fmt not in FORMATS:
        return fail(t._("“{value}” is not an export format: use one of {formats}.").format(
            value=args.format, formats=", ".join(FORMATS)))
    config_path = args.config
    if config_path is None and args.db is None:
        if not Path("config.yaml").exists():
            return fail(t._("Say which database to export: -c config.yaml or --db URL."))
        config_path = "config.yaml"
    config = load_config(config_path) if config_path else None  # ConfigError: one line
    url = args.db or (config.database.url if config else "")
    language = config.bot.default_language if config else "da"
    zone = config.bot.timezone if config else "Europe/Copenhagen"
    retention = config.privacy.retention_days if config else 180
    server = config.matrix.user_id.split(":", 1)[1] if config else None
    since = None
    if args.since:
        try:
            since = since_moment(args.since, zone, datetime.now(UTC))
        except ValueError:
            return fail(t._("“{value}” is not a date: write it as 2026-03-01 (or "
                              "2026-03-01T18:00).").format(value=args.since))
    if not _database_exists(url):
        return fail(t._("There is no salonbot database at {url}.").format(url=url))

    from bot.db import Database
    from bot.db.migrate import current_revision, declared_head

    try:
        revision = current_revision(url)
    except Exception as err:  # a server that is away, a file that is no database
        return fail(t._("Cannot read the database {url}: {error}").format(
            url=url, error=str(err).splitlines()[0]))
    head = declared_head()
    if revision != head:
        return fail(t._("The database is at schema revision {current}, not {head}: run "
                          "salonbot db upgrade first.").format(current=revision or "base",
                                                               head=head))
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        return fail(t._("Cannot write to {folder}: {error}").format(folder=out,
                                                                      error=err.strerror))
    from sqlalchemy.exc import SQLAlchemyError

    from bot.exports.run import log_export, write_export
    from bot.pseudonyms import installation_key

    now = datetime.now(UTC)
    database = Database(url)
    try:
        with database.session(write=True) as session:  # the pseudonym key, made once
            installation_key(session, now)
        with database.session() as session:
            salon_id = None
            if args.salon:
                from bot.salon_refs import stored_salon

                try:
                    salon = stored_salon(session, args.salon)
                    salon_id = salon.id if salon is not None else None
                except ValueError:  # no reference, or an alias only the homeserver knows
                    return fail(t._("“{ref}” names no salon this command can find: write "
                                      "its number (#12) or its room id.").format(
                                          ref=args.salon))
                if salon_id is None:
                    return fail(t._("There is no salon {ref}.").format(ref=args.salon))
            options = ExportOptions(format=fmt, since=since, salon_id=salon_id,
                                    language=language, timezone=zone,
                                    retention_days=retention, server=server)
            try:
                result = write_export(session, options, out, now=now)
            except OSError as err:
                return fail(t._("Cannot write to {folder}: {error}").format(
                    folder=out, error=err.strerror))
        # Logged in a transaction of its own: the export's read transaction may be older
        # than what the running bot wrote meanwhile, which SQLite would refuse to extend.
        with database.session(write=True) as session:
            log_export(session, result, options, by_user=None, via="command-line", now=now)
    except SQLAlchemyError as err:
        return fail(t._("Cannot read the database {url}: {error}").format(
            url=url, error=str(getattr(err, "orig", err)).splitlines()[0]))
    finally:
        database.dispose()
    if result.is_report:
        print(t.ngettext("Exported the report of {n} salon and an index as {format} into "
                         "{folder}:",
                         "Exported the reports of {n} salons and an index as {format} into "
                         "{folder}:", result.total).format(
            n=result.total, format=fmt, folder=out))
    else:
        print(t.ngettext("Exported {rows} row as {format} into {folder}:",
                         "Exported {rows} rows as {format} into {folder}:", result.total).format(
            rows=result.total, format=fmt, folder=out))
    for path in result.files:
        print(f"  {path}")
    counts = ", ".join(f"{name} {n}" for name, n in result.rows.items())
    if counts and not result.is_report:
        print(t._("Rows per table: {counts}.").format(counts=counts))
    print(t._("People appear under pseudonyms (P-…) unless they chose to be named "
              "(consent named)."))
    return 0
