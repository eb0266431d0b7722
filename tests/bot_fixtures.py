"""The bot and its citizens on a real Synapse, for the end-to-end tests (``test_e2e_*``).

Nothing here is mocked: the bot is ``bot.matrix.runner.run_bot`` (in this process, or as a
``salonbot run`` subprocess), the citizens are real ``nio`` clients with their own devices
and encryption keys, the homeserver is the session's ``LocalSynapse``. Waits are on
conditions with deadlines, never fixed sleeps.

Use in a test module with ``from bot_fixtures import *``; the fixtures are ``make_bot``,
``make_citizen`` and ``bot_log`` (the bot's log records).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from matrix_helpers import DEFAULT_TIMEOUT, TestUser, e2e_housekeeping, register_user, send_text
from nio import (
    AsyncClient,
    Event,
    JoinError,
    JoinResponse,
    MegolmEvent,
    RoomCreateError,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomInviteError,
    RoomMessage,
    RoomPreset,
    SyncError,
)
from nio.exceptions import EncryptionError

from bot.commands import CommandSpec, Registry
from bot.config import Config, parse_config
from bot.localserver import LocalSynapse
from bot.matrix.runner import RuntimeOptions, run_bot
from bot.matrix.sync import SyncOptions
from handlers import build_registry

__all__ = [
    "BotLog",
    "Citizen",
    "RunningBot",
    "BotSubprocess",
    "bot_log",
    "failing_registry",
    "in_reply_to",
    "make_bot",
    "make_citizen",
    "power_users",
    "raw_event",
    "room_state",
]

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}

CITIZEN_FILTER = {"room": {"timeline": {"limit": 500}}}

#: Everyone on the test homeserver may use the bot unless a test says otherwise.
ALL_LOCAL_USERS = r"@.*:localhost"


def in_reply_to(event: RoomMessage) -> str | None:
    relation = event.source.get("content", {}).get("m.relates_to", {})
    return relation.get("m.in_reply_to", {}).get("event_id")


async def room_state(client: AsyncClient, room_id: str) -> dict[tuple[str, str], dict[str, Any]]:
    """The room's current state as the server has it: (type, state_key) -> event."""
    response = await client.room_get_state(room_id)
    assert isinstance(response, RoomGetStateResponse), response
    return {(e["type"], e.get("state_key", "")): e for e in response.events}


async def power_users(client: AsyncClient, room_id: str) -> dict[str, int]:
    """Who has a power level of their own in the room, as the server has it."""
    state = await room_state(client, room_id)
    return dict(state[("m.room.power_levels", "")]["content"].get("users", {}))


async def raw_event(client: AsyncClient, room_id: str, event_id: str) -> dict[str, Any]:
    """The event exactly as the server stores it (not decrypted by nio)."""
    path = f"/_matrix/client/v3/rooms/{quote(room_id)}/event/{quote(event_id)}"
    response = await client.send("GET", path,
                                 headers={"Authorization": f"Bearer {client.access_token}"})
    async with response:
        assert response.status == 200, await response.text()
        return dict(await response.json())


def failing_registry() -> Registry:
    """The real commands plus ``boom``, a command whose handler always raises."""
    registry = build_registry()

    async def boom(command: Any, ctx: Any) -> None:
        raise RuntimeError("boom: a test-only failure")

    registry.add(CommandSpec(name="boom", handler=boom, usage="{prefix} boom",
                             summary="fails on purpose"))
    return registry


# ----------------------------------------------------------------- citizens


class Citizen:
    """Someone on a Matrix client: sends, syncs and remembers every message it has seen
    (messages whose room key comes late are decrypted as soon as it arrives)."""

    def __init__(self, user: TestUser, client: AsyncClient) -> None:
        self.user = user
        self.client = client
        self.seen: list[tuple[str, RoomMessage]] = []
        #: Every timeline event seen (reactions, redactions, polls too), decrypted once its
        #: key is there; ``events`` picks from it.
        self.timeline: list[tuple[str, Event]] = []
        self._undecrypted: list[MegolmEvent] = []

    @property
    def user_id(self) -> str:
        return self.user.user_id

    def _decrypt(self, event: MegolmEvent) -> Event | None:
        try:
            decrypted = self.client.decrypt_event(event)
        except EncryptionError:
            return None
        return decrypted if isinstance(decrypted, Event) else None

    async def sync(self, timeout_ms: int = 1000) -> None:
        # A long timeline: a burst of replies between two syncs must not be cut off.
        response = await self.client.sync(timeout=timeout_ms, sync_filter=CITIZEN_FILTER)
        if isinstance(response, SyncError):
            raise AssertionError(f"sync failed for {self.user_id}: {response}")
        await e2e_housekeeping(self.client)
        for event in list(self._undecrypted):
            decrypted = self._decrypt(event)
            if decrypted is not None:
                self._undecrypted.remove(event)
                self.timeline.append((event.room_id, decrypted))
                if isinstance(decrypted, RoomMessage):
                    self.seen.append((event.room_id, decrypted))
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, MegolmEvent):
                    event.room_id = room_id
                    self._undecrypted.append(event)
                    continue
                self.timeline.append((room_id, event))
                if isinstance(event, RoomMessage):
                    self.seen.append((room_id, event))

    async def until(self, condition: Callable[[], object], *, timeout: float = DEFAULT_TIMEOUT,
                    what: str = "a condition") -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                note = (f"; {len(self._undecrypted)} message(s) could not be decrypted"
                        if self._undecrypted else "")
                raise TimeoutError(f"{self.user_id}: no {what} after {timeout:g} s{note}")
            await asyncio.wait_for(self.sync(max(0, min(1000, int(remaining * 1000)))),
                                   remaining + 5)

    def messages(self, room_id: str, sender: str | None = None) -> list[RoomMessage]:
        return [e for r, e in self.seen if r == room_id and (sender is None or e.sender == sender)]

    def replies_to(self, event_id: str) -> list[RoomMessage]:
        return [e for _, e in self.seen if in_reply_to(e) == event_id]

    def events(self, room_id: str, event_type: str | None = None,
               sender: str | None = None) -> list[Event]:
        """Timeline events of any kind in ``room_id`` (decrypted), by their (decrypted)
        type, e.g. ``org.matrix.msc3381.poll.start``, and sender."""
        return [e for r, e in self.timeline if r == room_id
                and (event_type is None or e.source.get("type") == event_type)
                and (sender is None or e.sender == sender)]

    async def say(self, room_id: str, text: str) -> str:
        return await send_text(self.client, room_id, text)

    async def ask(self, room_id: str, text: str, *, timeout: float = DEFAULT_TIMEOUT
                  ) -> RoomMessage:
        """Send a command and return the bot's (single) reply to it."""
        event_id = await self.say(room_id, text)
        await self.until(lambda: self.replies_to(event_id), timeout=timeout,
                         what=f"reply to {text!r}")
        return self.replies_to(event_id)[0]

    async def open_chat_with(self, bot_user_id: str, *, encrypted: bool = False,
                             invite: tuple[str, ...] = (), timeout: float = DEFAULT_TIMEOUT
                             ) -> str:
        """A new room with the bot (a direct chat unless others are invited); returns once
        the bot has joined."""
        response = await self.client.room_create(
            is_direct=not invite, invite=[bot_user_id, *invite],
            initial_state=[ENCRYPTION_STATE] if encrypted else [])
        assert isinstance(response, RoomCreateResponse), response
        room_id = response.room_id
        await self.until(lambda: self.has_joined(room_id, bot_user_id), timeout=timeout,
                         what=f"join of {bot_user_id} in {room_id}")
        return room_id

    async def create_room(self, *, invite: tuple[str, ...] = (), encrypted: bool = False) -> str:
        """A new room, known to this client when this returns (so it can send at once)."""
        response = await self.client.room_create(
            is_direct=len(invite) == 1, invite=list(invite),
            initial_state=[ENCRYPTION_STATE] if encrypted else [])
        assert not isinstance(response, RoomCreateError), response
        await self.until(lambda: response.room_id in self.client.rooms,
                         what=f"the new room {response.room_id}")
        return response.room_id

    async def create_room_inviting(self, user_id: str) -> str:
        return await self.create_room(invite=(user_id,))

    async def invite_and_wait(self, room_id: str, user_id: str, *,
                              timeout: float = DEFAULT_TIMEOUT) -> None:
        response = await self.client.room_invite(room_id, user_id)
        assert not isinstance(response, RoomInviteError), response
        await self.until(lambda: self.has_joined(room_id, user_id), timeout=timeout,
                         what=f"join of {user_id} in {room_id}")

    def has_joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and user_id in room.users and user_id not in room.invited_users

    async def accept_invite(self, room_id: str | None = None, *,
                            timeout: float = DEFAULT_TIMEOUT) -> str:
        def pending() -> str | None:
            return next((r for r in self.client.invited_rooms
                         if room_id is None or r == room_id), None)

        await self.until(pending, timeout=timeout, what=f"invite to {room_id or 'a room'}")
        invited = pending()
        assert invited is not None
        response = await self.client.join(invited)
        assert not isinstance(response, JoinError), response
        await self.until(lambda: self.has_joined(invited, self.user_id), timeout=timeout,
                         what=f"own join of {invited}")
        return invited


async def encrypted_staff_room(staff: Citizen, wanderer: Citizen) -> tuple[str, str]:
    """An encrypted staff room the case worker made, which a citizen has wandered into.
    Returns its alias and id."""
    alias = f"staff-{staff.user.localpart}"
    created = await staff.client.room_create(alias=alias, name="Kommunens medarbejdere",
                                             preset=RoomPreset.public_chat,
                                             initial_state=[ENCRYPTION_STATE])
    assert isinstance(created, RoomCreateResponse), created
    joined = await wanderer.client.join(created.room_id)
    assert isinstance(joined, JoinResponse), joined
    await staff.until(lambda: created.room_id in staff.client.rooms, what="the staff room")
    await wanderer.until(lambda: created.room_id in wanderer.client.rooms,
                         what="the staff room, for the citizen")
    return f"#{alias}:localhost", created.room_id


@pytest.fixture
def make_citizen(
    synapse: LocalSynapse, matrix_client: Callable[..., Awaitable[AsyncClient]]
) -> Callable[..., Awaitable[Citizen]]:
    """``await make_citizen("citizen", server=None)``: a new user logged in on a new device."""

    async def make(prefix: str = "citizen", *, server: LocalSynapse | None = None) -> Citizen:
        user = register_user(server or synapse, prefix)
        client = await matrix_client(user, server=server)
        return Citizen(user, client)

    return make


# ---------------------------------------------------------------------- bot


class BotLog(logging.Handler):
    """Collects the records of the ``salonbot`` loggers (the bot's own log)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return "\n".join(
            f"{r.levelname} {r.name}: {r.getMessage()}"
            + (f"\n{logging.Formatter().formatException(r.exc_info)}" if r.exc_info else "")
            for r in self.records)


@pytest.fixture
def bot_log() -> Iterator[BotLog]:
    handler = BotLog()
    logger = logging.getLogger("salonbot")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


def bot_config(server: LocalSynapse, user: TestUser, home: Path, *,
               sections: dict[str, Any] | None = None, **bot: Any) -> Config:
    """``sections`` are further top-level config sections, e.g.
    ``{"reminders": {"before": ["5s"]}}``."""
    bot.setdefault("allowed_users", [ALL_LOCAL_USERS])
    encrypt = bot.pop("encrypt_new_rooms", True)
    return parse_config({
        **(sections or {}),
        "matrix": {
            "homeserver": server.base_url,
            "user_id": user.user_id,
            "password": user.password,
            "device_name": "salonbot",
            "store_path": str(home / "store"),
            "encrypt_new_rooms": encrypt,
        },
        "bot": bot,
        "database": {"url": f"sqlite:///{home / 'salonbot.db'}"},
    }, environ={})


class RunningBot:
    """``run_bot`` as a task in the test's event loop; ``stop`` and ``start`` again reuse
    the same account, device store and database, as an operator's restart would."""

    def __init__(self, config: Config, user: TestUser,
                 registry: Callable[[], Registry] = build_registry) -> None:
        self.config = config
        self.user = user
        self.registry = registry
        self.options = RuntimeOptions()
        self.task: asyncio.Task[int] | None = None
        self._stop = asyncio.Event()
        self.started_in: float | None = None

    @property
    def user_id(self) -> str:
        return self.user.user_id

    @property
    def stats(self) -> Any:
        return self.options.stats

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    async def start(self, *, sync: SyncOptions | None = None, timeout: float = 60) -> None:
        assert not self.running, "the bot is already running"
        self._stop = asyncio.Event()
        self.options = RuntimeOptions(sync=sync or SyncOptions(), ready=asyncio.Event())
        assert self.options.ready is not None
        began = time.monotonic()
        self.task = asyncio.create_task(run_bot(
            self.config, self.registry(), stop=self._stop, options=self.options))
        ready = asyncio.create_task(self.options.ready.wait())
        done, _ = await asyncio.wait({self.task, ready}, timeout=timeout,
                                     return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if self.task in done:
            raise AssertionError(f"the bot ended during start-up with {self.task.result()}")
        if not done:
            raise TimeoutError(f"the bot did not finish its first sync in {timeout} s")
        self.started_in = time.monotonic() - began

    async def stop(self, timeout: float = 20) -> int:
        assert self.task is not None
        self._stop.set()
        return await asyncio.wait_for(self.task, timeout)


@pytest.fixture
async def make_bot(synapse: LocalSynapse, tmp_path: Path) -> AsyncIterator[
        Callable[..., Awaitable[RunningBot]]]:
    """``await make_bot(server=None, registry=build_registry, start=True, sections=None,
    **bot_section)``: a bot with a fresh account, device store and SQLite database;
    ``sections`` are other config sections (``{"reminders": {"before": ["5s"]}}``)."""
    bots: list[RunningBot] = []
    counter = itertools.count(1)

    async def make(*, server: LocalSynapse | None = None,
                   registry: Callable[[], Registry] = build_registry,
                   start: bool = True, sync: SyncOptions | None = None,
                   sections: dict[str, Any] | None = None,
                   **bot_section: Any) -> RunningBot:
        server = server or synapse
        user = register_user(server, "salonbot")
        home = tmp_path / f"bot{next(counter)}"
        home.mkdir()
        bot = RunningBot(bot_config(server, user, home, sections=sections, **bot_section),
                         user, registry)
        bots.append(bot)
        if start:
            await bot.start(sync=sync)
        return bot

    yield make
    for bot in bots:
        if bot.running:
            await bot.stop()


class BotSubprocess:
    """``python -m bot.cli run -c <config>``, the operator's way, with its log in a file."""

    def __init__(self, config: Config, home: Path) -> None:
        self.home = home
        self.config_path = home / "config.yaml"
        self.log_path = home / "bot.log"
        data = config.model_dump(mode="json")
        data["matrix"]["password"] = config.matrix.password.get_secret_value() \
            if config.matrix.password else None
        data["matrix"].pop("access_token", None)
        self.config_path.write_text(yaml.safe_dump(data), encoding="utf-8")
        self.proc: subprocess.Popen[bytes] | None = None
        self._offset = 0

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SALONBOT_")}
        self._offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "-c", str(self.config_path)],
                stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)

    def log(self) -> str:
        try:
            return self.log_path.read_bytes()[self._offset:].decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    async def wait_for_log(self, text: str, timeout: float = 60) -> None:
        """Waits (polling the log file) until this run has logged ``text``."""
        deadline = time.monotonic() + timeout
        while text not in self.log():
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot did not log {text!r} in {timeout} s:\n{self.log()}")
            await asyncio.sleep(0.05)

    async def signal_and_wait(self, signum: signal.Signals, timeout: float = 10) -> int:
        assert self.proc is not None
        self.proc.send_signal(signum)
        return await asyncio.to_thread(self.proc.wait, timeout)

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


async def open_salon(bot: RunningBot, host: Citizen, *people: Citizen, title: str) -> str:
    """The host opens a salon (Danish: the bot's default language) and invites people."""
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, f'!salon åbn "{title}"')
    salon = await host.accept_invite()
    for person in people:
        await host.ask(salon, f"!salon inviter {person.user_id}")
        await person.accept_invite(salon)
    return salon


async def bot_with_staff_room(
        make_bot: Callable[..., Awaitable[RunningBot]],
        make_citizen: Callable[..., Awaitable[Citizen]]
) -> tuple[RunningBot, Citizen, Citizen, str]:
    """A bot whose staff room (encrypted, ``bot.staff_room`` by its alias) a case worker
    made and a citizen wandered into, once the bot is in it: (bot, the case worker, the
    citizen, the room's id)."""
    staff = await make_citizen("caseworker")
    wanderer = await make_citizen("wanderer")
    alias, staff_room = await encrypted_staff_room(staff, wanderer)
    bot = await make_bot(staff_room=alias, staff=[staff.user_id])
    await staff.until(lambda: staff.has_joined(staff_room, bot.user_id),
                      what="the bot in the staff room")
    return bot, staff, wanderer, staff_room
