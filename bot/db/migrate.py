"""Alembic driven from code, so `salonbot run` can bring a database up to date by itself."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.session import make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


class SchemaError(Exception):
    """The database's schema is one this version of salonbot cannot use."""


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def head_revision() -> str:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    if len(heads) != 1:
        raise SchemaError(f"the migrations have {len(heads)} heads; expected one")
    return heads[0]


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def check_not_newer(url: str) -> None:
    current = current_revision(url)
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config(url))
    if not _known(script, current):
        raise SchemaError(
            f"the database is at schema revision {current}, which this salonbot does not know: "
            "it was written by a newer salonbot. Upgrade salonbot, or restore a backup."
        )


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def upgrade(url: str, revision: str = "head") -> None:
    check_not_newer(url)
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
