"""The runtime knows no commands: only the composition root (``bot/cli.py``) picks the
handler areas and hands their registry on."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def test_only_the_composition_root_imports_handlers() -> None:
    offenders = []
    for path in sorted(BOT.rglob("*.py")):
        if path == BOT / "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name == "handlers" or name.startswith("handlers.") for name in names):
                offenders.append(f"{path.relative_to(BOT.parent)}:{node.lineno}")
    assert offenders == [], "bot/ must not import handlers (pass the registry in): " + \
        ", ".join(offenders)
