"""Acting as a citizen on Matrix with a real ``nio.AsyncClient``: send, wait, decrypt.

The demo, the benchmarks and the end-to-end tests all drive the bot this way, so it lives
here once. Everything waits on *server* progress (long-polling ``/sync``) with an overall
deadline instead of sleeping, and fails with a clear ``TimeoutError`` instead of hanging.

The helpers also do the end-to-end-encryption housekeeping that
``AsyncClient.sync_forever`` would do (upload/query/claim keys, send queued to-device
messages) because callers use ``sync`` directly, and without it encrypted rooms silently
stop working: a device whose keys were never uploaded never receives room keys.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nio import (
    AsyncClient,
    JoinError,
    KeysUploadError,
    MegolmEvent,
    RoomMessage,
    RoomSendResponse,
    SyncError,
    SyncResponse,
)
from nio.exceptions import EncryptionError

__all__ = [
    "DEFAULT_TIMEOUT",
    "MatrixActionError",
    "accept_invite",
    "e2e_housekeeping",
    "send_text",
    "sync_once",
    "sync_until",
    "wait_for_invite",
    "wait_for_message",
]

#: Seconds; generous because CI machines are slow, but tests normally finish in well under 1 s.
DEFAULT_TIMEOUT = 20.0
#: Long-poll duration of one ``/sync`` (ms).  Short enough to re-check deadlines often.
_POLL_MS = 1000




class MatrixActionError(AssertionError):
    """A Matrix request failed (an AssertionError so pytest shows it plainly in tests)."""


async def e2e_housekeeping(client: AsyncClient) -> None:
    """Upload/query/claim keys and flush to-device messages, as ``sync_forever`` does."""
    if client.olm is None:
        return
    if client.should_upload_keys:
        resp = await client.keys_upload()
        if isinstance(resp, KeysUploadError):
            raise MatrixActionError(f"keys_upload failed for {client.user_id}: {resp}")
    if client.should_query_keys:
        await client.keys_query()
    if client.should_claim_keys:
        await client.keys_claim(client.get_users_for_key_claiming())
    await client.send_to_device_messages()


async def sync_once(client: AsyncClient, timeout_ms: int = _POLL_MS) -> SyncResponse:
    """One incremental ``/sync`` (long-polling up to ``timeout_ms``) plus e2e housekeeping."""
    resp = await client.sync(timeout=timeout_ms)
    if isinstance(resp, SyncError):
        raise MatrixActionError(f"sync failed for {client.user_id}: {resp}")
    await e2e_housekeeping(client)
    return resp


async def _sync_loop(
    client: AsyncClient,
    on_response: Callable[[SyncResponse], Any],
    timeout: float,
    what: str,
) -> Any:
    """Sync until ``on_response`` returns something other than None, or time out."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"{client.user_id}: timed out after {timeout:g}s waiting for {what}")
        poll_ms = max(0, min(_POLL_MS, int(remaining * 1000)))
        try:
            resp = await asyncio.wait_for(sync_once(client, poll_ms), remaining + 5)
        except TimeoutError:
            raise TimeoutError(f"{client.user_id}: /sync hung while waiting for {what}") from None
        result = on_response(resp)
        if isinstance(result, Awaitable):
            result = await result
        if result is not None:
            return result


async def sync_until(
    client: AsyncClient,
    condition: Callable[[], bool | Awaitable[bool]],
    timeout: float = DEFAULT_TIMEOUT,
    *,
    what: str = "condition",
) -> None:
    """Sync until ``condition()`` (checked first, then after every sync) is true.

    ``condition`` typically inspects client state, e.g.
    ``lambda: bob_id in client.rooms[room_id].users``.
    """

    async def check(_: SyncResponse | None = None) -> bool | None:
        result = condition()
        if isinstance(result, Awaitable):
            result = await result
        return True if result else None

    if await check():
        return
    await _sync_loop(client, check, timeout, what)


async def wait_for_message(
    client: AsyncClient,
    room_id: str,
    predicate: Callable[[RoomMessage], bool] = lambda _event: True,
    timeout: float = DEFAULT_TIMEOUT,
) -> RoomMessage:
    """Sync until a (decrypted) ``RoomMessage`` in ``room_id`` satisfies ``predicate``.

    Only events delivered by syncs made during this call are considered, so
    call it *before* anything else syncs this client after the message was
    sent.  Events that arrive before their megolm key (the key comes as a
    to-device message, possibly in a later sync) are kept and retried after
    each sync instead of being dropped.
    """
    undecrypted: list[MegolmEvent] = []

    def scan(resp: SyncResponse) -> RoomMessage | None:
        room = resp.rooms.join.get(room_id)
        candidates: list[Any] = []
        for event in list(undecrypted):
            try:
                candidates.append(client.decrypt_event(event))
                undecrypted.remove(event)
            except EncryptionError:
                pass
        if room is not None:
            candidates.extend(room.timeline.events)
        for event in candidates:
            if isinstance(event, MegolmEvent):
                event.room_id = room_id
                undecrypted.append(event)
            elif isinstance(event, RoomMessage) and predicate(event):
                return event
        return None

    try:
        return await _sync_loop(client, scan, timeout, f"a matching message in {room_id}")
    except TimeoutError as exc:
        if undecrypted:
            raise TimeoutError(
                f"{exc}; {len(undecrypted)} event(s) could not be decrypted "
                f"(missing megolm session: did the sender query our keys?)"
            ) from None
        raise


async def send_text(client: AsyncClient, room_id: str, text: str) -> str:
    """Send an ``m.text`` message (encrypted if the room is) and return its event id.

    Uses ``ignore_unverified_devices=True``: test devices are never verified,
    and without it nio refuses to encrypt for them (``OlmUnverifiedDeviceError``).

    In an encrypted room nio shares the megolm session only with the members
    it knows about.  Members that joined or were invited after the sender's
    last sync are unknown to it and silently get an undecryptable message, so
    sync the sender first, e.g.
    ``await sync_until(sender, lambda: bob_id in sender.rooms[room_id].users)``.
    (The very first send into a room is the exception: nio fetches the joined
    members itself.)  Sending right after ``room_create`` without a sync
    raises ``LocalProtocolError("No such room ...")`` on an e2e-enabled client.
    """
    await e2e_housekeeping(client)
    resp = await client.room_send(
        room_id,
        "m.room.message",
        {"msgtype": "m.text", "body": text},
        ignore_unverified_devices=True,
    )
    if not isinstance(resp, RoomSendResponse):
        raise MatrixActionError(f"{client.user_id} could not send to {room_id}: {resp}")
    return resp.event_id


async def wait_for_invite(
    client: AsyncClient,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    room_id: str | None = None,
) -> str:
    """Sync until the client has a pending invite (to ``room_id`` if given); return the room id.

    Any invite the client has not acted on yet counts, including one that
    arrived before the call.
    """

    def pending() -> str | None:
        for rid in client.invited_rooms:
            if room_id is None or rid == room_id:
                return rid
        return None

    found = pending()
    if found is not None:
        return found

    return await _sync_loop(
        client, lambda _resp: pending(), timeout, f"an invite to {room_id or 'any room'}"
    )


async def accept_invite(
    client: AsyncClient, room_id: str, timeout: float = DEFAULT_TIMEOUT
) -> None:
    """Join ``room_id`` and sync until the client sees itself joined (room state loaded).

    Waiting for the sync matters for encrypted rooms: nio only knows a room is
    encrypted (and whom to share keys with) once it has seen the room state.
    """
    resp = await client.join(room_id)
    if isinstance(resp, JoinError):
        raise MatrixActionError(f"{client.user_id} could not join {room_id}: {resp}")
    await sync_until(
        client,
        lambda: room_id in client.rooms and client.user_id in client.rooms[room_id].users,
        timeout,
        what=f"own join of {room_id}",
    )
