"""What the runtime needs before SQLAlchemy is loaded: the sync request and the position.

A restart spends most of its first second waiting for the homeserver (the login, then the
first sync, which carries the state of every joined room). ``bot.matrix.runner`` fires that
first request while a thread loads SQLAlchemy, the models and the handlers and checks the
schema, so this module imports only matrix-nio and the standard library. The request it
fires is the one ``bot.matrix.sync.SyncLoop`` would make, from the position read here with
the standard ``sqlite3`` module; the loop uses its answer only if the position it then reads
through the ORM is the same one (else it asks again), so nothing about exactly-once changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import AsyncClient

#: ``bot.matrix.ledger.NEXT_BATCH`` in ``sync_state`` (a test keeps the two the same).
POSITION_KEY = "next_batch"


@dataclass
class SyncOptions:
    timeout_ms: int = 30_000
    timeline_limit: int = 100
    backoff_first: float = 1.0
    backoff_cap: float = 60.0


def sync_filter(options: SyncOptions) -> dict[str, Any]:
    return {
        "presence": {"types": []},
        "room": {
            "timeline": {"limit": options.timeline_limit},
            "ephemeral": {"types": []},
            # Encryption needs every member, so members are not lazy-loaded.
            "state": {"lazy_load_members": False},
        },
    }


#: A sync response or error to come (``AsyncClient.sync`` in a task).
SyncRequest = asyncio.Future[Any]


def start_sync(client: AsyncClient, options: SyncOptions, since: str | None,
               first: bool) -> SyncRequest:
    """The sync request of one round, started (the first round after a start asks at once
    and for the full state of every room, which nio needs to reply and encrypt)."""
    # Let nio process every response, also one it has seen before (a retried round).
    client.next_batch = None
    return asyncio.ensure_future(client.sync(
        timeout=0 if first else options.timeout_ms,
        sync_filter=sync_filter(options),
        since=since,
        full_state=True if first else None,
    ))


@dataclass
class Prefetched:
    """A first sync request already on its way, and the position it was made from."""

    since: str | None
    request: SyncRequest

    def discard(self) -> None:
        if not self.request.done():
            self.request.cancel()


def sqlite_path(url: str) -> Path | None:
    """The file of a plain ``sqlite:///`` URL; None for anything else (memory, options,
    escapes, other databases), which then takes the ordinary path."""
    prefix = "sqlite:///"
    path = url[len(prefix):] if url.startswith(prefix) else ""
    if not path or path == ":memory:" or any(c in path for c in "?%#"):
        return None
    return Path(path)


def stored_position(url: str) -> str | None:
    """The stored sync position of a SQLite database the bot has run on before, read with
    the standard library; None when it cannot be known that way (another database, no file
    yet, no schema, no position yet: a first start), which takes the ordinary path."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    try:
        # Read-write like the bot's own connections: a read-only one cannot open a WAL
        # database whose -shm file is gone (after a clean stop).
        with contextlib.closing(sqlite3.connect(path, timeout=1.0)) as db:
            row = db.execute("SELECT value FROM sync_state WHERE key = ?",
                             (POSITION_KEY,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row is not None and isinstance(row[0], str) else None
