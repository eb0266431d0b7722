"""XLSX, one sheet per table, for the case worker who opens the export in a spreadsheet.

Written with XlsxWriter in its ``constant_memory`` mode: each row goes to a temporary file as
soon as it is written, so a sheet of a million rows needs no more memory than one of ten.
Text is always written as text (``write_string``: never a formula, a number or a link
guessed from it) and neutralised as in the CSV, so a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return shows an apostrophe first. The header row is bold and
frozen; dates and times are real spreadsheet dates, times in the municipality's zone
(``bot.timezone``: a spreadsheet knows no zones; the CSV and JSON keep UTC). A table longer
than a sheet's 1,048,576 rows goes on in a second sheet (``messages (2)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.exports.neutralise import neutralise
from bot.exports.tables import Table

MAX_ROWS = 1_048_576
MAX_WIDTH = 60
#: Rows looked at for the column widths.
WIDTH_SAMPLE = 500
#: The longest text a cell holds; longer text is cut there (the CSV and JSON keep it whole).
MAX_CELL = 32_767


class Workbook:
    """An XLSX file being written, one ``add`` per table."""

    def __init__(self, path: Path, zone: str) -> None:
        import xlsxwriter  # loaded on first use, not at every start of the bot

        self.book = xlsxwriter.Workbook(str(path), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False, "remove_timezone": True})
        self.zone = ZoneInfo(zone)
        self.bold = self.book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
        self.when = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.day = self.book.add_format({"num_format": "yyyy-mm-dd"})

    def _sheet(self, table: Table, part: int) -> Any:
        name = table.name if part == 1 else f"{table.name} ({part})"
        sheet = self.book.add_worksheet(name[:31])
        for column, field in enumerate(table.fields):
            sheet.write_string(0, column, field.name, self.bold)
        sheet.freeze_panes(1, 0)
        return sheet

    def add(self, table: Table, rows: Iterable[tuple[Any, ...]]) -> int:
        kinds = [f.type for f in table.fields]
        widths = [max(len(f.name) + 2, 10 if f.type in ("date", "datetime") else 6)
                  for f in table.fields]
        widths = [16 if k == "datetime" else w for k, w in zip(kinds, widths, strict=True)]
        part = 1
        sheet = self._sheet(table, part)
        sheets = [sheet]
        zone, when, day = self.zone, self.when, self.day
        line = 0
        count = 0
        for values in rows:
            line += 1
            if line == MAX_ROWS:
                part += 1
                sheet = self._sheet(table, part)
                sheets.append(sheet)
                line = 1
            for column, value in enumerate(values):
                if value is None:
                    continue
                kind = kinds[column]
                if kind == "string":
                    if value == "":
                        continue
                    text = neutralise(value)[:MAX_CELL]
                    sheet.write_string(line, column, text)
                    if count < WIDTH_SAMPLE and len(text) > widths[column]:
                        widths[column] = min(len(text) + 1, MAX_WIDTH)
                elif kind == "datetime":
                    sheet.write_datetime(line, column, _local(value, zone), when)
                elif kind == "date":
                    sheet.write_datetime(line, column, _day(value), day)
                elif kind == "boolean":
                    sheet.write_boolean(line, column, bool(value))
                else:
                    sheet.write_number(line, column, value)
            count += 1
        for each in sheets:
            for column, width in enumerate(widths):
                each.set_column(column, column, width)
        return count

    def close(self) -> None:
        self.book.close()


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
