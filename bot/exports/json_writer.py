"""JSON: one document with the same tables, written as a stream (row by row, never the whole
document in memory).

    {"schema_version": "1", "created": "…Z", "since": null, "salon_id": null,
     "tables": {"salons": {"title": …, "description": …, "fields": [{"name", "type",
     "description"}, …], "rows": [{"id": 1, …}, …]}, …}}

Values keep their JSON types (numbers, booleans, null); times are UTC strings
(``2026-03-05T17:00:00Z``), dates ``2026-03-05``. Text is not neutralised: JSON is read by
programs, not run by a spreadsheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from bot.exports.csv_writer import utc_text
from bot.exports.tables import Table


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class JsonDocument:
    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.out: TextIO = path.open("w", encoding="utf-8", newline="\n")
        head = _dump(header)
        self.out.write(head[:-1] + (", " if header else "") + '"tables": {')
        self.first = True

    def add(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        out = self.out
        out.write(("\n" if self.first else ",\n") + _dump(table.name) + ": ")
        self.first = False
        meta = {"title": table.title, "description": table.description,
                "fields": [{"name": f.name, "type": f.type, "description": f.description}
                           for f in table.fields]}
        head = _dump(meta)
        out.write(head[:-1] + ', "rows": [')
        names = table.field_names
        times = [i for i, f in enumerate(table.fields) if f.type == "datetime"]
        days = [i for i, f in enumerate(table.fields) if f.type == "date"]
        count = 0
        for values in rows:
            row = list(values)
            for i in times:
                if row[i] is not None:
                    row[i] = utc_text(row[i])
            for i in days:
                if row[i] is not None:
                    row[i] = row[i].isoformat()
            out.write(("\n" if not count else ",\n") + _dump(dict(zip(names, row, strict=True))))
            count += 1
        out.write("]}")
        return count

    def close(self) -> None:
        self.out.write("\n}}\n")
        self.out.close()

