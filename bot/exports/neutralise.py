"""No cell of an export starts a spreadsheet formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
tab or carriage return can hide one), so a citizen who writes ``=HYPERLINK("http://x","y")``
as an idea would otherwise put a live link, or worse, into a case worker's spreadsheet
(OWASP, "CSV Injection"). Such a *text* cell gets a leading apostrophe, which spreadsheets
show as text and the reader sees at once.

Only text is neutralised. A number column holds numbers the database typed (an id, a count,
a capacity): ``-2`` there is the number minus two, which no spreadsheet runs, and writing it
as ``'-2`` would turn it into text and break sums and the Data Package's types. A *text*
that looks like a number, ``-2+3`` say, is text and gets the apostrophe.
"""

from __future__ import annotations

#: What a spreadsheet may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it as text: an apostrophe before a formula start."""
    return PREFIX + text if text.startswith(FORMULA_STARTS) else text
