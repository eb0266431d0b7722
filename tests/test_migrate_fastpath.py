"""A database already at the head revision starts the bot without loading Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.db import migrate

PROBE = """
import sys
from bot.db import migrate
migrate.upgrade(sys.argv[1])
print(migrate.current_revision(sys.argv[1]), "alembic" in sys.modules)
"""


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert migrate.declared_head() == migrate.head_revision()


def _upgrade_in_a_fresh_process(url: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, url], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_only_a_database_behind_the_code_loads_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    head = migrate.head_revision()
    assert _upgrade_in_a_fresh_process(url) == f"{head} True"  # empty: Alembic migrates
    assert _upgrade_in_a_fresh_process(url) == f"{head} False"  # at head: one query
    migrate.downgrade(url, "0001")
    assert _upgrade_in_a_fresh_process(url) == f"{head} True"  # behind: Alembic again


def test_a_database_from_a_newer_salonbot_is_still_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    migrate.upgrade(url)
    engine = migrate.make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    try:
        migrate.upgrade(url)
    except migrate.SchemaError as error:
        assert "newer salonbot" in str(error)
    else:
        raise AssertionError("a schema from a newer salonbot was accepted")
