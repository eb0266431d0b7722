"""Engines and sessions; SQLite gets WAL and foreign keys so it behaves like PostgreSQL.

pysqlite's own transaction handling starts transactions late and breaks SAVEPOINT, so it is
switched off and SQLAlchemy's ``begin`` emits ``BEGIN`` itself (the recipe in SQLAlchemy's
SQLite dialect docs). That lets a unit of work that will write take the write lock first
(``write=True``: ``BEGIN IMMEDIATE``): a locked database then fails the command before it
has done anything on the homeserver, instead of at the commit after it created a room.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

#: A database that is locked, unreachable or restarting: the work is tried again later,
#: never answered with an apology (it is not a bug and it did not happen).
TRANSIENT_DB_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)

#: How long SQLite waits for a lock held by someone else before it fails.
SQLITE_BUSY_TIMEOUT_S = 30.0


def is_transient(err: BaseException) -> bool:
    if isinstance(err, TRANSIENT_DB_ERRORS):
        return True
    return isinstance(err, DBAPIError) and bool(err.connection_invalidated)


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Runs ``callback`` once the session's transaction has committed (never after a
    rollback): in-memory mirrors of the database (the scheduler's timers, the watched
    events) change only when the rows they mirror have. A rolled-back savepoint (one
    failing hook) drops the callbacks registered inside it and keeps the others."""
    session.info.setdefault("after_commit", []).append(callback)


def _mark_savepoint(session: Session, transaction: Any) -> None:
    if transaction.nested:
        marks = session.info.setdefault("savepoint_marks", {})
        marks[id(transaction)] = len(session.info.get("after_commit", ()))


def _forget_rolled_back(session: Session, previous: Any) -> None:
    pending: list[Callable[[], None]] | None = session.info.get("after_commit")
    if not pending:
        return
    if previous.nested:
        mark = session.info.get("savepoint_marks", {}).pop(id(previous), None)
        if mark is not None:
            del pending[mark:]
    else:
        pending.clear()


def make_engine(url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout},
                               hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Erased text (a redaction, forget-me, retention) is overwritten, not left in
            # free pages of the file.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            immediate = connection.get_execution_options().get("sqlite_immediate")
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


class Database:
    def __init__(self, url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT_S) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine = make_engine(url, busy_timeout=busy_timeout)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_immediate=True), expire_on_commit=False)
        for maker in (self._sessions, self._write_sessions):
            event.listen(maker, "after_transaction_create", _mark_savepoint)
            event.listen(maker, "after_soft_rollback", _forget_rolled_back)
        self._work: asyncio.Lock | None = None

    @property
    def work_lock(self) -> asyncio.Lock:
        """Held by every unit of work that may wait (on the homeserver) inside its
        transaction: a command, a hook, a scheduled job. Without it a second unit in the same
        event loop would block the loop on SQLite's write lock that the first one holds."""
        if self._work is None:
            self._work = asyncio.Lock()
        return self._work

    @asynccontextmanager
    async def unit(self, *, write: bool = True) -> AsyncIterator[Session]:
        """``session`` under the work lock, for work that awaits inside its transaction."""
        async with self.work_lock:
            with self.session(write=write) as session:
                yield session

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        ``write=True`` takes SQLite's write lock at the start (PostgreSQL needs nothing: a
        server that is down fails the first statement, which comes before any side effect).
        """
        session = (self._write_sessions if write else self._sessions)()
        try:
            if write and self.is_sqlite:
                session.connection()
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            callbacks = session.info.pop("after_commit", [])
            session.close()
        for callback in callbacks:
            callback()

    def healthy(self) -> bool:
        """Whether a unit of work that writes could run now (SQLite: the write lock is free;
        elsewhere: the server answers). Tells a database that is down or locked from one
        statement that fails every time."""
        try:
            if self.is_sqlite:
                raw = self.engine.raw_connection()
                try:
                    cursor = raw.cursor()
                    cursor.execute("BEGIN IMMEDIATE")
                    cursor.execute("ROLLBACK")
                finally:
                    raw.close()
            else:
                with self.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
        except (*TRANSIENT_DB_ERRORS, sqlite3.Error):
            return False
        return True

    def checkpoint(self) -> None:
        """After erasing personal data: SQLite's write-ahead log still holds the old pages
        until a checkpoint copies them back and truncates it."""
        if not self.is_sqlite:
            return
        raw = self.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
