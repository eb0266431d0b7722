"""The database layer on SQLite and PostgreSQL: migrations, refusal of newer schemas, models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from bot.db import Base, Database, Member, Role, Salon, Standing, UserSetting, migrate

TABLES = {"salons", "members", "user_settings", "room_settings", "sync_state", "handled_events"}


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_from_empty_up_down_and_up_again(db_url: str) -> None:
    assert migrate.current_revision(db_url) is None
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert _tables(db_url) >= TABLES
    migrate.downgrade(db_url, "base")
    assert migrate.current_revision(db_url) is None
    assert not (TABLES & _tables(db_url))
    migrate.upgrade(db_url)
    assert _tables(db_url) >= TABLES


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert diff == [], f"models and migrations disagree; add a migration: {diff}"


def test_a_database_from_a_newer_salonbot_is_refused(db_url: str) -> None:
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe9999'"))
    engine.dispose()
    with pytest.raises(migrate.SchemaError, match="newer salonbot"):
        migrate.upgrade(db_url)


def test_salons_members_and_settings_round_trip(db_url: str) -> None:
    migrate.upgrade(db_url)
    db = Database(db_url)
    created = datetime(2026, 11, 23, 19, 0, tzinfo=timezone(timedelta(hours=1)))
    with db.session() as session:
        salon = Salon(
            room_id="!r:example.org",
            title="Ny legeplads i Hørning",
            topic="Hvor?",
            is_public=True,
            created_by="@anna:example.org",
            created_at=created,
        )
        salon.members.append(
            Member(user_id="@anna:example.org", standing=Standing.HOST, role=Role.CITIZEN)
        )
        salon.members.append(Member(user_id="@ole:example.org", role=Role.POLITICIAN))
        session.add(salon)
        session.add(UserSetting(user_id="@ole:example.org", language="nb"))
    with db.session() as session:
        loaded = session.scalars(select(Salon)).one()
        assert loaded.title == "Ny legeplads i Hørning"
        assert loaded.created_at == created
        assert loaded.created_at.tzinfo is not None
        assert [m.user_id for m in loaded.members if m.is_host] == ["@anna:example.org"]
        assert loaded.member("@ole:example.org").role == "politician"
        assert session.get(UserSetting, "@ole:example.org").language == "nb"
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(Member(salon_id=loaded.id, user_id="@anna:example.org"))
    with db.session() as session:
        session.delete(session.scalars(select(Salon)).one())
    with db.session() as session:
        assert session.scalars(select(Member)).all() == []
    db.dispose()


def test_naive_datetimes_are_refused(db_url: str) -> None:
    migrate.upgrade(db_url)
    db = Database(db_url)
    with pytest.raises(Exception, match="naive datetime"), db.session() as session:
        session.add(Salon(room_id="!x:y", title="t", created_at=datetime(2026, 1, 1)))
        session.flush()
    with db.session() as session:
        session.add(Salon(room_id="!x:y", title="t", created_at=datetime.now(UTC)))
    db.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


SECRET = "@hemmelig.person:example.org"


def test_errors_never_show_the_personal_data_in_their_parameters(db_url: str) -> None:
    """A failed statement lands in the log with its traceback; its values must not."""
    migrate.upgrade(db_url)
    db = Database(db_url)
    with pytest.raises(IntegrityError) as integrity, db.session() as session:
        session.add(Member(salon_id=424242, user_id=SECRET, role=Role.CITIZEN))
    with pytest.raises(StatementError) as statement, db.session() as session:
        session.add(Salon(room_id="!x:y", title=SECRET, created_by=SECRET,
                          created_at=datetime(2026, 1, 1)))
        session.flush()
    db.dispose()
    for err in (integrity.value, statement.value):
        assert err.statement, "the statement itself is still shown, for the operator"
        assert "hidden due to hide_parameters" in str(err)
        assert SECRET not in str(err)
