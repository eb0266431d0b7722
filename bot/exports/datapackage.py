"""``datapackage.json``: a Frictionless Tabular Data Package describing the CSV files, so
open-data tools (and a case worker's colleague in IT) know every field's type and meaning.

Each resource has a Table Schema: every field typed and described, the primary key, and the
foreign keys between the tables. An export ``--since`` a date holds only what changed since,
so its rows may refer to rows of an earlier export: it declares no foreign keys. The custom
property ``schema_version`` says which layout of the tables this is
(``bot.exports.tables.SCHEMA_VERSION``).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.exports.csv_writer import DIALECT, utc_text
from bot.exports.options import ExportOptions
from bot.exports.tables import SCHEMA_VERSION, Table

NAME = "salonbot-export"


def schema(table: Table, *, foreign_keys: bool = True) -> dict[str, Any]:
    fields = []
    for f in table.fields:
        field: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
        if f.values:
            field["constraints"] = {"enum": [str(v) for v in f.values]}
        fields.append(field)
    result: dict[str, Any] = {
        "fields": fields,
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }
    if foreign_keys and table.foreign_keys:
        result["foreignKeys"] = [
            {"fields": key.field, "reference": {"resource": key.table, "fields": key.reference}}
            for key in table.foreign_keys]
    return result


def package(tables: list[tuple[Table, str, int]], options: ExportOptions, now: datetime,
            title: str) -> dict[str, Any]:
    """The package for ``tables``: (table, file name, rows written)."""
    keys = options.since is None
    names = {table.name for table, _, _ in tables}
    resources = []
    for table, path, rows in tables:
        described = schema(table, foreign_keys=keys)
        if "foreignKeys" in described:  # only to tables in this package
            described["foreignKeys"] = [k for k in described["foreignKeys"]
                                        if k["reference"]["resource"] in names]
        resources.append({
            "name": table.name, "title": table.title, "description": table.description,
            "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "dialect": DIALECT,
            "schema": described, "row_count": rows,
            "since_filters_on": table.since,
        })
    data: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": title,
        "created": utc_text(now),
        "schema_version": SCHEMA_VERSION,
    }
    if options.since is not None:
        data["since"] = utc_text(options.since)
    if options.salon_id is not None:
        data["salon_id"] = options.salon_id
    data["resources"] = resources
    return data


def write_package(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
