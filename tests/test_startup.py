"""A restart syncs before SQLAlchemy is loaded (``bot.matrix.startup``), and that changes
nothing about the position: the early request is used only if it was made from the position
the sync loop reads through the ORM."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient

from bot.chat import ChatSession
from bot.matrix import ledger, startup
from bot.matrix.crypto import LateKeys
from bot.matrix.direct import DirectRooms
from bot.matrix.invites import Invites
from bot.matrix.outbox import Outbox
from bot.matrix.retry import RuntimeStats
from bot.matrix.sender import ReplySender
from bot.matrix.startup import Prefetched, SyncOptions
from bot.matrix.sync import SyncLoop
from handlers import build_registry

BOT = "@salonbot:example.org"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_the_position_read_with_the_standard_library_is_the_one_the_orm_reads(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    assert startup.stored_position(url) is None, "no database yet: the ordinary path"
    chat = ChatSession(url, registry=build_registry())
    assert startup.stored_position(url) is None, "no position yet: a first start"
    assert startup.POSITION_KEY == ledger.NEXT_BATCH

    ledger.save_position(chat.db, "s72_1234", NOW)
    assert startup.stored_position(url) == ledger.load_position(chat.db) == "s72_1234"
    chat.db.dispose()  # a clean stop: the WAL files are gone, the read still works
    assert startup.stored_position(url) == "s72_1234"


@pytest.mark.parametrize("url", [
    "sqlite://", "sqlite:///:memory:", "sqlite:///bot.db?timeout=5", "sqlite:///a%20b.db",
    "postgresql+psycopg://bot@localhost/salonbot",
])
def test_only_a_plain_sqlite_file_is_read_early(url: str) -> None:
    assert startup.sqlite_path(url) is None
    assert startup.stored_position(url) is None


def test_the_runner_and_the_command_line_load_no_sqlalchemy_before_the_first_sync() -> None:
    probe = ("import sys, bot.cli, bot.matrix.runner, handlers\n"
             "print(sorted(m for m in ('sqlalchemy', 'apscheduler', 'bot.db', 'bot.router')"
             " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "[]"


class AskingClient(AsyncClient):
    """Records each sync request and stops the loop instead of answering it."""

    def __init__(self, stop: asyncio.Event) -> None:
        super().__init__("http://127.0.0.1:9", BOT)  # never contacted
        self.stop = stop
        self.asked: list[dict[str, Any]] = []

    async def sync(self, timeout: int | None = 0, sync_filter: Any = None,  # type: ignore[override]
                   since: str | None = None, full_state: bool | None = None,
                   **_kwargs: Any) -> Any:
        self.asked.append({"since": since, "timeout": timeout, "full_state": full_state})
        self.stop.set()
        await asyncio.sleep(3600)


def sync_loop(chat: ChatSession, client: AsyncClient) -> SyncLoop:
    stats = RuntimeStats()
    return SyncLoop(
        client=client, router=chat.router, db=chat.db,
        sender=ReplySender(client, Outbox(chat.db), DirectRooms(
            client, encrypt=False, reserved=lambda _room: False), chat.router.clock, stats),
        invites=Invites(client, is_allowed=chat.router.is_allowed, language="da",
                        staff_room=lambda: None),
        late_keys=LateKeys(client), clock=chat.router.clock, stats=stats, options=SyncOptions(),
        is_reserved=lambda _room: False)


async def test_an_early_request_from_another_position_is_dropped_and_asked_again(
        tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    ledger.save_position(chat.db, "s-stored", NOW)
    stop = asyncio.Event()
    client = AskingClient(stop)
    early: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    await asyncio.wait_for(sync_loop(chat, client).run(stop, Prefetched("s-older", early)), 10)

    assert early.cancelled()
    assert client.asked == [{"since": "s-stored", "timeout": 0, "full_state": True}]
    await client.close()


async def test_an_early_request_from_the_stored_position_is_the_first_round(
        tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    ledger.save_position(chat.db, "s-stored", NOW)
    stop = asyncio.Event()
    client = AskingClient(stop)
    early: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_later(0.2, stop.set)

    await asyncio.wait_for(sync_loop(chat, client).run(stop, Prefetched("s-stored", early)), 10)

    assert client.asked == [], "the request on its way was waited for, not sent again"
    assert early.cancelled(), "a stop cancels it like any sync request"
    await client.close()
