"""docs/privacy.md is the map forget-me will follow: it must name every table there is."""

from __future__ import annotations

import re
from pathlib import Path

from bot.db import Base

DOC = Path(__file__).resolve().parent.parent / "docs" / "privacy.md"


def test_every_table_has_a_row_in_the_privacy_page() -> None:
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.MULTILINE))
    missing = set(Base.metadata.tables) - rows
    assert not missing, (f"docs/privacy.md has no row for {sorted(missing)}: say which "
                         "columns hold personal data, why, how long, and what forget-me does")
    assert not rows - set(Base.metadata.tables), "the page names tables that no longer exist"
