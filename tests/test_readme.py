"""The README is the newcomer's contract: its command table and commands must be true."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_table_script():
    path = ROOT / "scripts/command_table.py"
    spec = importlib.util.spec_from_file_location("command_table", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_table_in_readme_is_generated_from_the_registry() -> None:
    script = _load_table_script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert script.render_readme(readme) == readme, (
        "README.md's command table is out of date: run "
        ".venv/bin/python scripts/command_table.py --write")
    for verb in ("open", "list", "join", "info", "topic", "invite", "cohost", "leave", "close",
                 "help", "language"):
        assert f"`!salon {verb}" in readme, verb


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "make test" in ci
