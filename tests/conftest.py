"""Shared fixtures: a real Synapse, real nio clients, a real PostgreSQL.

The suite tests against real servers rather than mocks; the price is paid once
per session (Synapse starts in ~1 s, PostgreSQL in ~1 s).  Missing servers are
a hard failure, never a skip, so a green run always means "really tested".

Add feature-specific fixtures in your own test modules (or a sub-conftest),
not here.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from matrix_helpers import TestUser, e2e_housekeeping, register_user
from nio import AsyncClient, AsyncClientConfig, LoginResponse, SyncError
from pg_cluster import PgCluster, PgClusterError, create_database, drop_database, find_pg_bindir

from bot.localserver import LocalSynapse, synapse_available

SYNAPSE_MISSING = "matrix-synapse is not installed: run `make test` or `pip install -e '.[test]'`"
POSTGRES_MISSING = (
    "PostgreSQL server binaries not found: run `make test` (installs the Debian package "
    "postgresql) or `apt-get install postgresql`"
)

MakeUser = Callable[..., TestUser]
MatrixClientFactory = Callable[..., Awaitable[AsyncClient]]

_MATRIX_FIXTURES = {"synapse", "make_user", "matrix_client"}
_POSTGRES_FIXTURES = {"postgres_url"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the servers they use, so ``-m 'not matrix'`` etc. work without boilerplate."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & _MATRIX_FIXTURES:
            item.add_marker(pytest.mark.matrix)
        if used & _POSTGRES_FIXTURES:
            item.add_marker(pytest.mark.postgres)


# ---------------------------------------------------------------- Matrix


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSynapse]:
    """One relaxed-rate-limit Synapse for the whole session (logs: ``synapse.log_path``)."""
    if not synapse_available():
        pytest.fail(SYNAPSE_MISSING, pytrace=False)
    with LocalSynapse(tmp_path_factory.mktemp("synapse")) as server:
        yield server


@pytest.fixture(scope="session")
def make_user(synapse: LocalSynapse) -> MakeUser:
    """Factory: ``make_user(prefix="user", admin=False)`` registers a fresh, unique user."""

    def make(prefix: str = "user", *, admin: bool = False) -> TestUser:
        return register_user(synapse, prefix, admin=admin)

    return make


@pytest.fixture
async def matrix_client(
    synapse: LocalSynapse, tmp_path: Path
) -> AsyncIterator[MatrixClientFactory]:
    """Factory: ``await matrix_client(user)`` -> a logged-in, initially synced ``AsyncClient``.

    Each call logs in a new device with its own e2e store (so two clients of
    the same user are two devices), uploads its keys and does a full initial
    sync.  All clients are closed at teardown.  ``server`` targets another
    LocalSynapse (e.g. a ``rate_limited=True`` one); ``config`` replaces the
    default ``AsyncClientConfig`` -- note that nio retries 429s forever unless
    ``max_limit_exceeded`` is set.
    """
    clients: list[AsyncClient] = []
    counter = itertools.count(1)

    async def login(
        user: TestUser,
        *,
        encryption: bool = True,
        device_name: str = "salonbot-test",
        server: LocalSynapse | None = None,
        config: AsyncClientConfig | None = None,
    ) -> AsyncClient:
        store = tmp_path / "nio-store" / f"{user.localpart}-{next(counter)}"
        store.mkdir(parents=True)
        client = AsyncClient(
            (server or synapse).base_url,
            user.user_id,
            store_path=str(store),
            config=config
            or AsyncClientConfig(encryption_enabled=encryption, store_sync_tokens=True),
        )
        clients.append(client)
        resp = await client.login(user.password, device_name=device_name)
        if not isinstance(resp, LoginResponse):
            raise AssertionError(f"login of {user.user_id} failed: {resp}")
        sync = await client.sync(timeout=0, full_state=True)
        if isinstance(sync, SyncError):
            raise AssertionError(f"initial sync of {user.user_id} failed: {sync}")
        await e2e_housekeeping(client)  # uploads device + one-time keys
        return client

    yield login
    for client in clients:
        await client.close()


# ------------------------------------------------------------ PostgreSQL


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of an empty ``salonbot_test`` database.

    ``SALONBOT_TEST_POSTGRES_URL`` points at an existing server/database instead
    (e.g. a CI service container); otherwise a throw-away cluster is started.
    """
    external = os.environ.get("SALONBOT_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    bindir = find_pg_bindir()
    if bindir is None:
        pytest.fail(POSTGRES_MISSING, pytrace=False)
    cluster = PgCluster(bindir)
    try:
        cluster.start()
        yield create_database(cluster.server_url, "salonbot_test")
    except PgClusterError as exc:
        pytest.fail(f"could not start the test PostgreSQL cluster: {exc}", pytrace=False)
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database per test, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'salonbot.db'}"
        return
    server_url: str = request.getfixturevalue("postgres_url")
    name = f"salonbot_t_{uuid.uuid4().hex[:16]}"
    url = create_database(server_url, name)
    try:
        yield url
    finally:
        drop_database(server_url, name)


# --- A skipped test is a defect here: it must fail and say what is missing. ---------------

_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _SKIPPED and exitstatus == 0:
        print(f"\nsalonbot: {len(_SKIPPED)} test(s) were skipped; skipping is not allowed here "
              "(a missing part must fail with a message saying how to get it):")
        for nodeid in _SKIPPED:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
