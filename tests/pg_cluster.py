"""A throw-away PostgreSQL cluster for the test suite, plus database create/drop helpers.

Kept out of ``conftest.py`` so the fixtures stay small and so the logic can be
reused (e.g. by benchmarks).  The cluster trades durability for speed
(``fsync=off`` etc.): it only ever holds test data.

Running as root (CI containers) needs care: ``initdb``/``postgres`` refuse to
run as root, so they run as the ``postgres`` OS user via ``runuser``, and the
cluster directory lives in its own ``/tmp/salonbot-pg-*`` directory because
pytest's ``/tmp/pytest-of-root`` is mode 0700 and ``postgres`` cannot enter it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

__all__ = [
    "PgCluster",
    "PgClusterError",
    "create_database",
    "drop_database",
    "find_pg_bindir",
]

#: Options appended to postgresql.conf: speed over durability, enough
#: connections for per-test databases with connection pools.
_FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
}


class PgClusterError(RuntimeError):
    """The throw-away cluster could not be created or started."""


def find_pg_bindir() -> Path | None:
    """Directory holding ``initdb`` and ``pg_ctl``: PATH first, then the newest Debian one.

    Debian does not put ``initdb`` on PATH (only wrapper scripts), hence the
    ``/usr/lib/postgresql/<version>/bin`` fallback.
    """
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl", path=str(Path(initdb).parent)):
        return Path(initdb).parent

    def version(path: str) -> tuple[int, ...]:
        match = re.search(r"/postgresql/([\d.]+)/bin$", path)
        return tuple(int(x) for x in match.group(1).split(".")) if match else (0,)

    candidates = [
        d
        for d in glob.glob("/usr/lib/postgresql/*/bin")
        if os.access(os.path.join(d, "initdb"), os.X_OK)
        and os.access(os.path.join(d, "pg_ctl"), os.X_OK)
    ]
    return Path(max(candidates, key=version)) if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _conninfo(url: URL, database: str | None = None) -> str:
    """libpq conninfo for a SQLAlchemy URL (SQLAlchemy's driver suffix is not libpq's)."""
    params = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "dbname": database or url.database,
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    return psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v is not None})


def create_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``server_url``; return its SQLAlchemy URL."""
    url = make_url(server_url)
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Drop ``name``, disconnecting leftover sessions (a leaked pool must not hang teardown)."""
    url = make_url(server_url)
    ident = sql.Identifier(name)
    with psycopg.connect(_conninfo(url), autocommit=True) as conn:
        try:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        except psycopg.errors.SyntaxError:  # server older than PostgreSQL 13
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))


class PgCluster:
    """``initdb`` + ``pg_ctl`` a private cluster listening on 127.0.0.1:<free port>.

    Authentication is ``trust`` for the ``postgres`` superuser; the unix socket
    lives inside the cluster directory so it never clashes with a system server.
    """

    def __init__(self, bindir: Path, base_dir: Path | None = None) -> None:
        self.bindir = bindir
        self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix="salonbot-pg-"))
        self._owns_base_dir = base_dir is None
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir / "sock"
        self.log_file = self.base_dir / "postgres.log"
        self.port: int | None = None
        self._as_root = os.geteuid() == 0

    @property
    def server_url(self) -> str:
        """SQLAlchemy URL of the maintenance database ``postgres``."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        if self._as_root:
            return ["runuser", "-u", "postgres", "--", *args]
        return list(args)

    def _run(self, *args: str, timeout: float = 60) -> None:
        proc = subprocess.run(
            self._cmd(*args),
            cwd=self.base_dir,  # postgres must be able to stat its cwd
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={k: v for k, v in os.environ.items() if not k.startswith("PG")},
        )
        if proc.returncode != 0:
            log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            raise PgClusterError(
                f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}"
                + (f"\n--- {self.log_file}:\n{log[-3000:]}" if log else "")
            )

    def _chown_to_postgres(self) -> None:
        if not self._as_root:
            return
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            raise PgClusterError(
                "running as root but there is no `postgres` OS user to run the server as "
                "(installing the Debian package postgresql creates it)"
            ) from None
        if shutil.which("runuser") is None:
            raise PgClusterError("running as root but `runuser` (util-linux) is missing")
        for path in (self.base_dir, self.socket_dir):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        os.chmod(self.base_dir, 0o700)

    def init(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self._chown_to_postgres()
        initdb = str(self.bindir / "initdb")
        common = ("-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "-N")
        try:
            # C.UTF-8 rather than C: lower()/ILIKE must handle å, ä, ö like production.
            self._run(initdb, *common, "--locale=C.UTF-8")
        except PgClusterError:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self._run(initdb, *common, "--no-locale")
        # The config file is owned by postgres; appending as root keeps that owner.
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# salonbot test cluster\n")
            conf.write("listen_addresses = '127.0.0.1'\n")
            conf.write(f"unix_socket_directories = '{self.socket_dir}'\n")
            for key, value in _FAST_SETTINGS.items():
                conf.write(f"{key} = {value}\n")

    def start(self, timeout: float = 60) -> None:
        if not (self.data_dir / "PG_VERSION").exists():
            self.init()
        pg_ctl = str(self.bindir / "pg_ctl")
        for attempt in range(3):  # the free port may be taken before postgres binds it
            # After ``stop(keep=True)`` the cluster comes back on its port: URLs stay valid.
            if self.port is None or attempt:
                self.port = _free_port()
            offset = self.log_file.stat().st_size if self.log_file.exists() else 0
            try:
                self._run(
                    pg_ctl, "-D", str(self.data_dir), "-l", str(self.log_file),
                    "-o", f"-p {self.port}", "-w", "-t", str(int(timeout)), "start",
                    timeout=timeout + 10,
                )  # fmt: skip
                return
            except PgClusterError:
                with open(self.log_file, "rb") as fh:
                    fh.seek(offset)
                    lost_port = b"could not bind" in fh.read()
                if not lost_port or attempt == 2:
                    raise

    def stop(self, *, keep: bool = False) -> None:
        """Stop (immediate: nothing worth a checkpoint) and delete the cluster; ``keep``
        keeps its data and port for another ``start`` (a server that goes away and comes
        back), and stops cleanly: with ``synchronous_commit=off`` an immediate stop loses
        the last commits."""
        if self.port is not None and (self.data_dir / "postmaster.pid").exists():
            with contextlib.suppress(PgClusterError, subprocess.TimeoutExpired):
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.data_dir),
                    "-m", "fast" if keep else "immediate", "-w", "stop", timeout=30,
                )  # fmt: skip
        if keep:
            return
        self.port = None
        if self._owns_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)
