"""End-to-end encryption chores that ``sync_forever`` would do, and late room keys.

A message can arrive before its room key (the key is a to-device message that may come in a
later sync), or the sender's client may not have known the bot's device yet. Such events
are kept and tried again after every sync; the bot asks the sender's devices for the key
once. While one is waiting, the stored sync position stays before it, so a restart does not
lose it either; after ``give_up_after`` seconds it is logged and dropped, and the sender is
told in a direct chat (``on_give_up``) that their message could not be read.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nio import AsyncClient, Event, LocalProtocolError, MegolmEvent
from nio.exceptions import EncryptionError

from bot.matrix.retry import TRANSIENT_ERRORS

log = logging.getLogger("salonbot.matrix.crypto")


async def housekeeping(client: AsyncClient) -> None:
    """Upload, query and claim keys and send queued to-device messages."""
    if client.olm is None:
        return
    if client.should_upload_keys:
        await client.keys_upload()
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
    await client.send_to_device_messages()


@dataclass
class Waiting:
    event: MegolmEvent
    room_id: str
    position: str | None
    since: float


#: Told when an event is given up: (sender, room id, event id, sent at in ms).
GaveUp = Callable[[str, str, str, int], Awaitable[None]]


class LateKeys:
    def __init__(self, client: AsyncClient, give_up_after: float = 600.0,
                 on_give_up: GaveUp | None = None) -> None:
        self.client = client
        self.give_up_after = give_up_after
        self.on_give_up = on_give_up
        self._waiting: dict[str, Waiting] = {}

    def try_decrypt(self, event: MegolmEvent, room_id: str) -> Event | None:
        event.room_id = room_id
        try:
            return self.client.decrypt_event(event)
        except (EncryptionError, LocalProtocolError):
            return None

    async def keep(self, event: MegolmEvent, room_id: str, position: str | None) -> None:
        if event.event_id in self._waiting:
            return
        log.warning("cannot decrypt event %s in %s yet (session %s); asking for the key",
                    event.event_id, room_id, event.session_id)
        self._waiting[event.event_id] = Waiting(event, room_id, position, time.monotonic())
        with contextlib.suppress(LocalProtocolError, *TRANSIENT_ERRORS):
            await self.client.request_room_key(event)

    async def ready(self) -> list[tuple[str, Event]]:
        """Events whose key has arrived meanwhile, oldest first; drops expired ones."""
        found: list[tuple[str, Event]] = []
        now = time.monotonic()
        for event_id, waiting in list(self._waiting.items()):
            decrypted = self.try_decrypt(waiting.event, waiting.room_id)
            if decrypted is not None:
                found.append((waiting.room_id, decrypted))
                del self._waiting[event_id]
            elif now - waiting.since > self.give_up_after:
                log.error("giving up on event %s in %s: its room key never arrived",
                          event_id, waiting.room_id)
                if self.on_give_up is not None:
                    await self.on_give_up(waiting.event.sender, waiting.room_id, event_id,
                                          waiting.event.server_timestamp)
                del self._waiting[event_id]
        return found

    def oldest_position(self) -> str | None:
        """The sync position to store while events wait (None when nothing waits)."""
        if not self._waiting:
            return None
        oldest = min(self._waiting.values(), key=lambda w: w.since)
        return oldest.position

    @property
    def waiting(self) -> int:
        return len(self._waiting)
