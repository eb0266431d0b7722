"""Citizens that time the round trip of a command: from ``room_send`` to the reply in a sync.

Each citizen runs its own sync loop all the time, long-polling with ``timeout=30000`` like a
Matrix app does. The homeserver answers a long poll as soon as anything arrives for the
citizen, so the reply is seen when it lands, not at the next poll; the time is taken the
moment the sync response has been parsed (and decrypted), before anything else runs. A reply
is recognised by its ``m.in_reply_to``, so concurrent commands cannot be confused.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    LocalProtocolError,
    LoginResponse,
    MegolmEvent,
    RoomSendResponse,
    SyncError,
)
from nio.exceptions import EncryptionError

from bot.citizen import e2e_housekeeping

LONG_POLL_MS = 30_000
#: Citizens need no presence, typing or receipts: fewer wake-ups that are not replies.
CITIZEN_FILTER: dict[str, Any] = {
    "presence": {"types": []},
    "room": {"ephemeral": {"types": []}},
}


class NoReply(Exception):
    """The bot did not answer in time."""


@dataclass(frozen=True)
class Seen:
    at: float
    body: str
    sender: str
    #: Reply minus command by the homeserver's clock (ms resolution): the bot's share of the
    #: round trip, from the command being stored to the reply being stored.
    bot_s: float | None = None


def in_reply_to(event: Any) -> str | None:
    source = getattr(event, "source", None)
    if not isinstance(source, dict):
        return None
    relation = source.get("content", {}).get("m.relates_to", {})
    if not isinstance(relation, dict):
        return None
    target = relation.get("m.in_reply_to", {})
    return target.get("event_id") if isinstance(target, dict) else None


class TimedCitizen:
    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self.replies: dict[str, Seen] = {}
        self._stored_at: dict[str, int] = {}  # own event id -> origin_server_ts
        self._waiting: dict[str, asyncio.Future[Seen]] = {}
        self._undecrypted: list[MegolmEvent] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def user_id(self) -> str:
        return self.client.user_id

    @classmethod
    async def log_in(cls, homeserver: str, user_id: str, password: str,
                     store: Path) -> TimedCitizen:
        store.mkdir(parents=True, exist_ok=True)
        client = AsyncClient(homeserver, user_id, store_path=str(store),
                             config=AsyncClientConfig(encryption_enabled=True,
                                                      store_sync_tokens=False))
        response = await client.login(password, device_name="bench-citizen")
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"{user_id} could not log in: {response}")
        await e2e_housekeeping(client)
        return cls(client)

    def start(self) -> None:
        self._task = asyncio.create_task(self._sync_forever(), name=f"sync {self.user_id}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.close()

    async def _sync_forever(self) -> None:
        while True:
            response = await self.client.sync(timeout=LONG_POLL_MS, sync_filter=CITIZEN_FILTER)
            now = time.perf_counter()
            if isinstance(response, SyncError):
                await asyncio.sleep(0.5)
                continue
            self._scan(response, now)
            await e2e_housekeeping(self.client)
            if self._undecrypted:
                self._retry_decryption()

    def _scan(self, response: Any, now: float) -> None:
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, MegolmEvent):
                    event.room_id = room_id
                    self._undecrypted.append(event)
                else:
                    self._record(event, now)

    def _retry_decryption(self) -> None:
        now = time.perf_counter()
        for event in list(self._undecrypted):
            with contextlib.suppress(EncryptionError):
                self._record(self.client.decrypt_event(event), now)
                self._undecrypted.remove(event)

    def _record(self, event: Any, now: float) -> None:
        if getattr(event, "sender", None) == self.user_id:
            self._stored_at[event.event_id] = event.server_timestamp
        target = in_reply_to(event)
        if target is None or target in self.replies:
            return
        command_ts = self._stored_at.get(target)
        bot_s = None if command_ts is None else (event.server_timestamp - command_ts) / 1000
        seen = Seen(now, str(getattr(event, "body", "")), str(getattr(event, "sender", "")),
                    bot_s)
        self.replies[target] = seen
        waiting = self._waiting.pop(target, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(seen)

    async def send(self, room_id: str, text: str) -> tuple[str, float]:
        """The event id of the sent message and the clock reading just before sending."""
        sent = time.perf_counter()
        response = await self.client.room_send(
            room_id, "m.room.message", {"msgtype": "m.text", "body": text},
            ignore_unverified_devices=True)
        if not isinstance(response, RoomSendResponse):
            raise RuntimeError(f"{self.user_id} could not send to {room_id}: {response}")
        return response.event_id, sent

    async def reply_to(self, event_id: str, timeout: float) -> Seen:
        if event_id in self.replies:
            return self.replies[event_id]
        if self._task is not None and self._task.done():
            raise RuntimeError(f"{self.user_id} stopped syncing") from self._task.exception()
        future = self._waiting.setdefault(event_id, asyncio.get_running_loop().create_future())
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise NoReply(f"no reply to {event_id} within {timeout:g} s") from None

    async def ask(self, room_id: str, text: str, timeout: float = 30.0) -> tuple[float, Seen]:
        """Round trip in seconds (send → reply seen) and the reply."""
        event_id, sent = await self.send(room_id, text)
        seen = await self.reply_to(event_id, timeout)
        return seen.at - sent, seen

    async def until(self, condition: Any, timeout: float = 60.0, what: str = "") -> None:
        """Wait (on this citizen's own syncs) until ``condition()`` is true."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.user_id}: timed out waiting for {what}")
            await asyncio.sleep(0.02)

    async def know_devices(self, users: set[str], timeout: float = 60.0) -> None:
        """Wait until this client has the device keys of ``users``.

        nio shares a room key only with devices it knows; a message sent into an encrypted
        room before the members' keys were queried stays unreadable for them for good.
        """
        deadline = time.monotonic() + timeout
        while True:
            if self.client.should_query_keys:
                with contextlib.suppress(LocalProtocolError):
                    await self.client.keys_query()
            store = self.client.device_store
            if all(list(store.active_user_devices(user)) for user in users - {self.user_id}):
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.user_id}: no device keys of {sorted(users)}")
            await asyncio.sleep(0.05)

    async def wait_for_members(self, room_id: str, wanted: set[str],
                               timeout: float = 60.0) -> None:
        """Wait until the homeserver lists ``wanted`` among the room's joined members.

        Asks the server rather than trusting the client's room state, and the answer also
        brings nio's member list (whom messages are encrypted for) up to date.
        """
        deadline = time.monotonic() + timeout
        # nio sends only into rooms it has synced.
        await self.until(lambda: room_id in self.client.rooms, timeout, f"a sync of {room_id}")
        while True:
            response = await self.client.joined_members(room_id)
            present = {m.user_id for m in getattr(response, "members", [])}
            if wanted <= present:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.user_id}: {sorted(wanted - present)} not joined "
                                   f"to {room_id} after {timeout:g} s")
            await asyncio.sleep(0.1)
