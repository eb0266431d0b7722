"""Writes the README's command table from the registry, so the docs never drift from the code.

Run: .venv/bin/python scripts/command_table.py --write   (a test checks the README is current)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.i18n import LANGUAGES, translator
from handlers import build_registry

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- command-table:start -->", "<!-- command-table:end -->"


def command_table() -> str:
    en = translator("en")
    header = "| command | " + " | ".join(LANGUAGES[:3]) + " | what it does |"
    lines = [header, "| --- | --- | --- | --- | --- |"]
    for spec in build_registry().specs:
        usage = en._(spec.usage).format(prefix="!salon").replace("|", "\\|")
        aliases = [", ".join(f"`{a}`" for a in spec.aliases.get(lang, ())) or "–"
                   for lang in LANGUAGES[:3]]
        lines.append(f"| `{usage}` | " + " | ".join(aliases) + f" | {en._(spec.summary)} |")
    return "\n".join(lines)


def render_readme(text: str) -> str:
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{command_table()}\n{END}{after}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite README.md in place")
    args = parser.parse_args()
    current = README.read_text(encoding="utf-8")
    wanted = render_readme(current)
    if args.write:
        README.write_text(wanted, encoding="utf-8")
        return 0
    print(command_table())
    return 0 if wanted == current else 1


if __name__ == "__main__":
    sys.exit(main())
