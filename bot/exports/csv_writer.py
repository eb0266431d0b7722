"""CSV, one file per table: UTF-8 with a byte-order mark (so spreadsheets read æøå), RFC 4180
(comma, CRLF line ends, a field quoted when it holds a comma, a quote or a line break, quotes
doubled), a header row of the field names, and no text cell that starts a formula
(``bot.exports.neutralise``).

Values as the Data Package declares them: times in UTC as ``2026-03-05T17:00:00Z``, dates as
``2026-03-05``, booleans as ``true``/``false``, nothing as an empty field.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.exports.neutralise import FORMULA_STARTS, PREFIX
from bot.exports.tables import Table

ENCODING = "utf-8-sig"  # UTF-8 with the byte-order mark
LINE_END = "\r\n"


def utc_text(moment: datetime | str) -> str:
    """``2026-03-05T17:00:00Z``: from a datetime, or from SQLite's stored UTC text
    (``2026-03-05 17:00:00.000000``, see ``Table.rows(raw_times=True)``).

    An aware datetime in another zone is converted first: ``--since 2026-03-01`` is
    midnight in Copenhagen, ``2026-02-28T23:00:00Z``, not ``2026-03-01T00:00:00Z``. A naive
    one is taken as UTC, as the database stores its times."""
    if moment.__class__ is str:
        return moment[:10] + "T" + moment[11:19] + "Z"  # type: ignore[index]
    if moment.utcoffset():  # type: ignore[union-attr]  # None (naive) or zero: UTC already
        moment = moment.astimezone(UTC)  # type: ignore[union-attr]
    return moment.isoformat(timespec="seconds")[:19] + "Z"  # type: ignore[union-attr]


def date_text(day: date) -> str:
    return day.isoformat()


def write_csv(path: Path, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
    """Writes the table's rows to ``path``; returns how many."""
    strings = [i for i, f in enumerate(table.fields) if f.type == "string"]
    times = [i for i, f in enumerate(table.fields) if f.type == "datetime"]
    days = [i for i, f in enumerate(table.fields) if f.type == "date"]
    flags = [i for i, f in enumerate(table.fields) if f.type == "boolean"]
    count = 0
    with path.open("w", encoding=ENCODING, newline="") as out:
        writer = csv.writer(out, dialect="excel", lineterminator=LINE_END)
        writer.writerow(table.field_names)
        write = writer.writerow
        for values in rows:
            row = list(values)
            for i in strings:
                text = row[i]
                if text and text.startswith(FORMULA_STARTS):
                    row[i] = PREFIX + text
            for i in times:
                moment = row[i]
                if moment is not None:
                    row[i] = (moment[:10] + "T" + moment[11:19] + "Z"
                              if moment.__class__ is str else utc_text(moment))
            for i in days:
                if row[i] is not None:
                    row[i] = row[i].isoformat()
            for i in flags:
                if row[i] is not None:
                    row[i] = "true" if row[i] else "false"
            write(row)
            count += 1
    return count


#: The CSV dialect of these files, as a Data Package describes it.
DIALECT = {"delimiter": ",", "lineTerminator": LINE_END, "quoteChar": '"',
           "doubleQuote": True, "header": True}
