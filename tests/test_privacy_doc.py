"""docs/privacy.md is the true map: a row for every table, every personal column the schema
declares named in its table's row, and a forget-me column that says what ``bot.privacy``'s
rule for the table does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import privacy
from bot.db import Base

DOC = Path(__file__).resolve().parent.parent / "docs" / "privacy.md"
ROW = re.compile(r"^\| `([a-z_]+)` \| (.*?) \| (.*?) \| (.*?) \| (.*?) \|$", re.MULTILINE)
NAME = re.compile(r"`([a-z_]+)`")


def rows() -> dict[str, tuple[str, str, str, str]]:
    return {m.group(1): (m.group(2), m.group(3), m.group(4), m.group(5))
            for m in ROW.finditer(DOC.read_text(encoding="utf-8"))}


def test_every_table_has_a_row_in_the_privacy_page() -> None:
    found = set(rows())
    missing = set(Base.metadata.tables) - found
    assert not missing, (f"docs/privacy.md has no row for {sorted(missing)}: say which "
                         "columns hold personal data, why, how long, and what forget-me does")
    assert not found - set(Base.metadata.tables), "the page names tables that no longer exist"


@pytest.mark.parametrize("table", sorted(Base.metadata.tables))
def test_the_row_names_the_personal_columns_of_the_map_and_only_real_columns(
        table: str) -> None:
    personal_cell, why, how_long, forget = rows()[table]
    named = set(NAME.findall(personal_cell))
    declared = set(privacy.personal_columns().get(table, {}))
    missing = declared - named
    assert not missing, f"docs/privacy.md's row for {table} does not name {sorted(missing)}"
    columns = set(Base.metadata.tables[table].columns.keys())
    assert named <= columns, f"{table}: the row names {sorted(named - columns)}, no such column"
    assert why.strip() and how_long.strip() and forget.strip()
    if not declared:
        assert personal_cell.startswith("none"), table
        assert forget.startswith("nothing to do"), table


@pytest.mark.parametrize("table", sorted(privacy.RULES))
def test_the_forget_me_column_says_what_the_rule_does(table: str) -> None:
    rule = privacy.RULES[table]
    forget = rows()[table][3]
    named = set(NAME.findall(forget))
    if rule.delete or rule.delete_naming:
        assert "deleted" in forget, f"{table}: forget-me deletes rows, the page must say so"
    for column in rule.clear:
        assert column in named and "NULL" in forget, f"{table}.{column} is set to NULL"
    for column in rule.delete_naming:
        assert column in named, f"{table}: rows naming the person in {column} are deleted"
    if rule.drawn_on is not None:
        assert "made again" in forget, f"{table}: rows drawn on the person are made again"


def test_the_page_describes_my_data_forget_me_and_retention_as_built() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert "not built yet" not in text
    for needle in ("`my-data`", "`forget-me`", "`forget-me yes`", "privacy.retention_days",
                   "privacy.retention", "bot.privacy.RULES", 'info={"personal": <kind>}'):
        assert needle in text, needle
