"""A private, throw-away Synapse homeserver on 127.0.0.1.

Used by ``salonbot demo`` (so people can try the bot without an account on a
public server) and by the end-to-end test suite (so the bot is tested against a
real homeserver instead of mocks).  It is therefore product code, but it is
deliberately *not* a production deployment helper: passwords are hashed with a
low bcrypt cost, rate limits are relaxed by default and the server refuses all
federation.

Synapse runs as a subprocess (``python -m synapse.app.homeserver``) using the
same interpreter as the caller, so it must be installed in the same environment
(``pip install -e '.[test]'`` or ``pip install matrix-synapse``).  It is never
imported here: importing Synapse pulls in Twisted and would install its reactor
into the bot's process.

Layout of ``data_dir`` (everything that must survive a restart lives here)::

    homeserver.yaml              rewritten on every start from the constructor arguments
    log.config                   ditto
    homeserver.log               Synapse's own log (at ``log_level``)
    console.log                  the subprocess' stdout/stderr (import errors, tracebacks)
    homeserver.db                SQLite database
    media_store/                 uploaded media
    signing.key                  generated once
    registration_shared_secret   generated once, used by :meth:`LocalSynapse.register`
    macaroon_secret_key          generated once
    form_secret                  generated once
    synapse.lock                 flock held by the running server (its pid inside)
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import yaml

__all__ = ["LocalSynapse", "LocalSynapseError", "RELAXED_RATE_LIMIT_KEYS", "synapse_available"]

#: Every rate limiter Synapse 1.163 reads through ``RatelimitSettings.parse``
#: (see ``synapse/config/ratelimiting.py``).  Dotted keys are nested sections.
#: A test compares this list with the installed Synapse so an upgrade that adds
#: a limiter is noticed instead of silently slowing down or flaking the tests.
RELAXED_RATE_LIMIT_KEYS: tuple[str, ...] = (
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
)

_RELAXED_LIMIT = {"per_second": 10_000, "burst_count": 100_000}
_SECRET_FILES = ("registration_shared_secret", "macaroon_secret_key", "form_secret")
_LOG_TAIL_LINES = 40


class LocalSynapseError(RuntimeError):
    """Synapse could not be started, stopped or talked to."""


def synapse_available() -> bool:
    """Whether ``matrix-synapse`` is importable by this interpreter (without importing it)."""
    return importlib.util.find_spec("synapse") is not None


def _free_port(host: str = "127.0.0.1") -> int:
    """Ask the kernel for an unused TCP port.

    There is a small race between closing this socket and Synapse binding the
    port; :meth:`LocalSynapse.start` retries with a new port if it loses it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def _set_rate_limit(config: dict[str, Any], dotted_key: str, value: Mapping[str, Any]) -> None:
    section = config
    *parents, leaf = dotted_key.split(".")
    for part in parents:
        section = section.setdefault(part, {})
    section[leaf] = dict(value)


def _deep_merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        else:
            base[key] = value
    return base


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _read_from(path: Path, offset: int) -> str:
    """The part of an append-only log written since ``offset`` (i.e. by this run)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return ""


def _pdeathsig() -> None:  # pragma: no cover - runs in the forked child
    """Make the kernel SIGTERM Synapse if the parent dies (e.g. pytest is SIGKILLed).

    Without this an aborted test run leaves orphaned homeservers behind.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except Exception:
        pass


class LocalSynapse:
    """A Synapse homeserver in a subprocess, listening on 127.0.0.1 only.

    Example::

        with LocalSynapse(Path("demo-data/synapse")) as hs:
            bot_id = hs.register("salonbot", "secret")
            print(hs.base_url)

    ``rate_limited=False`` (the default) relaxes every rate limiter so that tests
    creating many users/rooms/messages quickly don't get ``M_LIMIT_EXCEEDED``;
    ``rate_limited=True`` keeps Synapse's defaults, which is what a test of the
    bot's back-off behaviour needs.  ``extra_config`` is deep-merged into the
    generated ``homeserver.yaml`` last, for anything not covered by an argument
    (e.g. ``{"default_room_version": "10"}``).
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        port: int | None = None,
        server_name: str = "localhost",
        rate_limited: bool = False,
        log_level: str = "WARNING",
        extra_config: Mapping[str, Any] | None = None,
    ) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.server_name = server_name
        self.rate_limited = rate_limited
        self.log_level = log_level.upper()
        self.extra_config: dict[str, Any] = dict(extra_config or {})
        self._explicit_port = port
        self._port: int | None = port
        self._proc: subprocess.Popen[bytes] | None = None
        self._console: Any = None
        # Where this run's output starts in the (appended) logs.
        self._log_offsets: dict[Path, int] = {}
        self._lock_fd: int | None = None

    # ------------------------------------------------------------------ paths

    @property
    def config_path(self) -> Path:
        return self.data_dir / "homeserver.yaml"

    @property
    def log_path(self) -> Path:
        """Synapse's own log file; look here first when something misbehaves."""
        return self.data_dir / "homeserver.log"

    @property
    def console_log_path(self) -> Path:
        """stdout/stderr of the Synapse process (tracebacks before logging is set up)."""
        return self.data_dir / "console.log"

    @property
    def port(self) -> int:
        if self._port is None:
            self._port = self._choose_port()
        return self._port

    @property
    def base_url(self) -> str:
        """Client-server API base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def registration_shared_secret(self) -> str:
        return self._secret("registration_shared_secret")

    # -------------------------------------------------------------- lifecycle

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 60) -> None:
        """Write the configuration and start Synapse; return once it answers HTTP.

        Idempotent: does nothing if this instance's Synapse is already running.
        Raises :class:`LocalSynapseError` (with the end of Synapse's logs) if the
        process exits or does not answer ``/_matrix/client/versions`` in time.
        """
        if self.is_running():
            return
        if not synapse_available():
            raise LocalSynapseError(
                "matrix-synapse is not installed in this Python environment "
                f"({sys.executable}): run `pip install -e '.[test]'` or "
                "`pip install matrix-synapse`"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + timeout
        # Only an automatically chosen port can be re-chosen if someone grabbed it
        # between _free_port() and Synapse's bind().
        attempts = 1 if self._explicit_port is not None else 3
        for attempt in range(attempts):
            self._lock_data_dir()
            try:
                self._ensure_secrets()
                self.write_config()
                self._spawn()
                self._wait_until_ready(deadline)
                return
            except LocalSynapseError:
                self._terminate(timeout=5)
                address_lost = "Address already in use" in self._run_output()
                if not address_lost or attempt == attempts - 1:
                    raise
                self._port = _free_port()
            except BaseException:  # e.g. Ctrl-C during start-up: don't leave Synapse behind
                self._terminate(timeout=5)
                raise

    def stop(self, timeout: float = 20) -> None:
        """Stop Synapse: SIGTERM, wait up to ``timeout`` seconds, then SIGKILL."""
        self._terminate(timeout)

    def restart(self, timeout: float = 60) -> None:
        """Stop and start again with the same data directory and port."""
        self.stop()
        self.start(timeout=timeout)

    def __enter__(self) -> LocalSynapse:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.is_running() else "stopped"
        return f"<LocalSynapse {self.server_name} {self.base_url} {state} {self.data_dir}>"

    # ------------------------------------------------------------------ users

    def register(self, localpart: str, password: str, *, admin: bool = False) -> str:
        """Create ``@localpart:server_name`` through the shared-secret admin API.

        Idempotent: if the user already exists its id is returned and nothing is
        changed (neither the password nor the admin flag).  This uses the admin
        API rather than ``/register`` because open registration is disabled.
        """
        # Synapse lower-cases the localpart (the HMAC still covers it as given).
        user_id = f"@{localpart.lower()}:{self.server_name}"
        url = f"{self.base_url}/_synapse/admin/v1/register"
        nonce = self._request("GET", url)["nonce"]
        mac = hmac.new(self.registration_shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce.encode(), localpart.encode(), password.encode()):
            mac.update(part)
            mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
            # Don't leave a device + access token behind for every registration.
            "inhibit_login": True,
        }
        try:
            result = self._request("POST", url, body)
        except LocalSynapseError as exc:
            if exc.args and "M_USER_IN_USE" in str(exc.args[0]):
                return user_id
            raise
        return str(result.get("user_id", user_id))

    # --------------------------------------------------------------- internals

    def config(self) -> dict[str, Any]:
        """The ``homeserver.yaml`` contents this instance runs with."""
        d = self.data_dir
        cfg: dict[str, Any] = {
            "server_name": self.server_name,
            "public_baseurl": f"{self.base_url}/",
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    # The admin API (used by register()) is served by "client".
                    "resources": [{"names": ["client"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.config"),
            "media_store_path": str(d / "media_store"),
            "signing_key_path": str(d / "signing.key"),
            "registration_shared_secret_path": str(d / "registration_shared_secret"),
            "macaroon_secret_key_path": str(d / "macaroon_secret_key"),
            "form_secret_path": str(d / "form_secret"),
            "report_stats": False,
            "enable_metrics": False,
            "enable_registration": False,
            # No network: never fetch keys from matrix.org, never federate.  An
            # empty whitelist makes invites to remote users fail fast instead of
            # hanging on DNS lookups.
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "federation_domain_whitelist": [],
            "url_preview_enabled": False,
            "presence": {"enabled": False},
            # Local throw-away accounts: the default cost (12) makes every
            # registration and login take ~0.25 s of CPU.
            "bcrypt_rounds": 4,
        }
        if not self.rate_limited:
            for key in RELAXED_RATE_LIMIT_KEYS:
                _set_rate_limit(cfg, key, _RELAXED_LIMIT)
        return _deep_merge(cfg, self.extra_config)

    def write_config(self) -> Path:
        """(Re)write ``homeserver.yaml`` and ``log.config``; return the config path.

        Rewritten on every start so that ``port``, ``log_level``, ``rate_limited``
        and ``extra_config`` always take effect; state lives in other files.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_config = {
            "version": 1,
            "formatters": {
                "precise": {
                    "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                    "%(request)s - %(message)s"
                }
            },
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "loggers": {"synapse.storage.SQL": {"level": "WARNING"}},
            "root": {"level": self.log_level, "handlers": ["file"]},
            "disable_existing_loggers": False,
        }
        (self.data_dir / "log.config").write_text(yaml.safe_dump(log_config), encoding="utf-8")
        self.config_path.write_text(
            "# Generated by salonbot's bot/localserver.py; rewritten on every start.\n"
            + yaml.safe_dump(self.config(), sort_keys=False),
            encoding="utf-8",
        )
        return self.config_path

    def _choose_port(self) -> int:
        """Reuse the port of a previous run on this data_dir (stable demo URL) if free."""
        with contextlib.suppress(OSError, yaml.YAMLError, KeyError, IndexError, TypeError):
            previous = yaml.safe_load(self.config_path.read_text(encoding="utf-8"))
            port = int(previous["listeners"][0]["port"])
            if _port_is_free(port):
                return port
        return _free_port()

    def _secret(self, name: str) -> str:
        path = self.data_dir / name
        try:
            return path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise LocalSynapseError(f"{path} is missing: call start() first") from None

    def _ensure_secrets(self) -> None:
        for name in _SECRET_FILES:
            path = self.data_dir / name
            if not path.exists():
                self._write_private(path, secrets.token_urlsafe(32) + "\n")
        key_path = self.data_dir / "signing.key"
        if not key_path.exists():
            # Synapse's format ("ed25519 <key id> <unpadded base64 seed>"); the
            # seed is just 32 random bytes, so no need to import signedjson/nacl.
            seed = base64.b64encode(os.urandom(32)).decode().rstrip("=")
            key_id = "a_" + secrets.token_hex(2)
            self._write_private(key_path, f"ed25519 {key_id} {seed}\n")

    @staticmethod
    def _write_private(path: Path, text: str) -> None:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)

    def _lock_data_dir(self) -> None:
        """Take an exclusive lock on ``data_dir``: two Synapses on one SQLite DB corrupt it.

        The locked descriptor is inherited by Synapse (``pass_fds``), so the lock
        lives exactly as long as the server process, even if this process dies
        first (Synapse does not write its ``pid_file`` unless it daemonizes).
        """
        if self._lock_fd is not None:
            return
        path = self.data_dir / "synapse.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise LocalSynapseError(
                f"another Synapse (pid {holder}) is already running on {self.data_dir}; "
                "stop it first"
            ) from None
        self._lock_fd = fd

    def _unlock_data_dir(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _record_pid(self) -> None:
        assert self._lock_fd is not None and self._proc is not None
        os.ftruncate(self._lock_fd, 0)
        os.pwrite(self._lock_fd, f"{self._proc.pid}\n".encode(), 0)

    def _spawn(self) -> None:
        self._close_console()
        self._log_offsets = {p: _size(p) for p in (self.console_log_path, self.log_path)}
        self._console = open(self.console_log_path, "ab")  # noqa: SIM115 - lives with the proc
        self._console.write(f"--- starting Synapse on port {self.port}\n".encode())
        self._console.flush()
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        in_main_thread = threading.current_thread() is threading.main_thread()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.data_dir,
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
            env=env,
            # Own session: a Ctrl-C in the demo terminal reaches the bot, which
            # then stops Synapse cleanly, instead of killing both at once.
            start_new_session=True,
            # PR_SET_PDEATHSIG fires when the spawning *thread* exits, so only
            # use it from the main thread (worker threads come and go).
            preexec_fn=_pdeathsig if in_main_thread and sys.platform == "linux" else None,
            pass_fds=(self._lock_fd,) if self._lock_fd is not None else (),
        )
        self._record_pid()

    def _wait_until_ready(self, deadline: float) -> None:
        assert self._proc is not None
        url = f"{self.base_url}/_matrix/client/versions"
        while True:
            code = self._proc.poll()
            if code is not None:
                raise LocalSynapseError(
                    f"Synapse exited with code {code} during start-up\n{self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise LocalSynapseError(f"Synapse did not answer {url} in time\n{self._log_tail()}")
            time.sleep(0.05)

    def _terminate(self, timeout: float) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self._proc = None
        self._close_console()
        self._unlock_data_dir()

    def _close_console(self) -> None:
        if self._console is not None:
            self._console.close()
            self._console = None

    def _run_output(self) -> str:
        return "".join(_read_from(p, off) for p, off in self._log_offsets.items())

    def _log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The end of what this run wrote to its logs, for error messages."""
        parts = []
        for path, offset in self._log_offsets.items():
            tail = "\n".join(_read_from(path, offset).splitlines()[-lines:])
            if tail.strip():
                parts.append(f"--- last lines of {path}:\n{tail}")
        return "\n".join(parts) or f"(no log output in {self.data_dir})"

    def _request(self, method: str, url: str, body: Mapping[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.load(resp)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise LocalSynapseError(f"{method} {url} -> HTTP {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise LocalSynapseError(f"{method} {url} failed: {exc.reason}") from None
