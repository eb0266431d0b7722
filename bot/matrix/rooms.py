"""``bot.rooms.RoomPort`` on a real homeserver.

Every failure a handler can explain becomes a ``RoomError`` with a stable code;
``M_LIMIT_EXCEEDED`` never does, because nio waits as long as the server asks and sends the
request again. A homeserver that is briefly away is retried a few times before the
operation counts as ``failed``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from nio import (
    AsyncClient,
    ErrorResponse,
    ProfileGetResponse,
    RoomCreateResponse,
    RoomGetStateResponse,
    RoomPreset,
    RoomResolveAliasResponse,
)

from bot.matrix.powers import creation_users, creators, creators_have_infinite_power, with_level
from bot.matrix.retry import TRANSIENT_ERRORS, http_status, is_rate_limited, with_retries
from bot.rooms import MODERATOR, CreatedRoom, RoomError, matrix_to

log = logging.getLogger("salonbot.matrix.rooms")

R = TypeVar("R")

#: Where a homeserver says how large an upload may be (``m.upload.size``): the
#: authenticated endpoint of Matrix 1.11 first, then the older media API's.
MEDIA_CONFIG_PATHS = ("/_matrix/client/v1/media/config", "/_matrix/media/v3/config",
                      "/_matrix/media/r0/config")
#: Answers that mean "this server has no such endpoint": ask the next one.
_NO_ENDPOINT = frozenset({400, 404, 405})
_UNASKED: Any = object()

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


def server_of(matrix_id: str) -> str:
    return matrix_id.split(":", 1)[1] if ":" in matrix_id else ""


def is_not_found(response: ErrorResponse) -> bool:
    return response.status_code in ("M_NOT_FOUND", "M_UNKNOWN_USER") or (
        http_status(response) == 404)


def error_code(response: ErrorResponse) -> str:
    """Our stable code for a homeserver error."""
    if response.status_code == "M_FORBIDDEN" or http_status(response) == 403:
        return "forbidden"
    if is_not_found(response):
        return "not-found"
    if is_rate_limited(response):
        return "rate-limited"
    return "failed"


class MatrixRooms:
    def __init__(self, client: AsyncClient) -> None:
        self.client = client
        self._default_version: str | None = None
        self._upload_limit: int | None = _UNASKED

    @property
    def bot_user_id(self) -> str:
        return self.client.user_id

    async def _call(self, what: str, request: Callable[[], Awaitable[R]]) -> R:
        try:
            return await with_retries(request, what=what)
        except TRANSIENT_ERRORS as err:
            raise RoomError("failed", f"{what}: homeserver unreachable ({err!r})") from err

    async def _checked(self, what: str, request: Callable[[], Awaitable[Any]],
                       not_found: str = "not-found") -> Any:
        response = await self._call(what, request)
        if isinstance(response, ErrorResponse):
            code = error_code(response)
            if code == "not-found":
                code = not_found
            log.info("%s refused: %s", what, response.status_code)
            raise RoomError(code, f"{what}: {response}")
        return response

    async def default_room_version(self) -> str:
        """The version the homeserver gives new rooms (from its capabilities, cached)."""
        if self._default_version is None:
            async def fetch() -> Any:
                response = await self.client.send(
                    "GET", "/_matrix/client/v3/capabilities",
                    headers={"Authorization": f"Bearer {self.client.access_token}"},
                )
                async with response:
                    return await response.json() if response.status == 200 else {}

            body = await self._call("reading the server capabilities", fetch)
            versions = body.get("capabilities", {}).get("m.room_versions", {})
            self._default_version = str(versions.get("default", "10"))
        return self._default_version

    async def upload_limit(self) -> int | None:
        """The homeserver's ``m.upload.size`` (Synapse's ``max_upload_size``), asked once
        and kept. None when the server does not say; also, without keeping it, when it
        cannot be asked now (unreachable, an error of its own), so the next call asks
        again."""
        if self._upload_limit is _UNASKED:
            try:
                limit, final = await self._read_upload_limit()
            except RoomError as err:
                log.info("the homeserver's upload limit is unknown for now (%s)", err)
                return None
            if not final:
                return None
            log.info("the homeserver accepts uploads of up to %s bytes", limit)
            self._upload_limit = limit
        return self._upload_limit

    async def _read_upload_limit(self) -> tuple[int | None, bool]:
        """(the limit or None, whether that answer is the server's last word)."""
        for path in MEDIA_CONFIG_PATHS:
            async def fetch(path: str = path) -> tuple[int, Any]:
                response = await self.client.send(
                    "GET", path,
                    headers={"Authorization": f"Bearer {self.client.access_token}"},
                )
                async with response:
                    if response.status != 200:
                        return response.status, None
                    try:
                        return 200, await response.json(content_type=None)
                    except ValueError:
                        return 200, None

            status, body = await self._call("reading the homeserver's upload limit", fetch)
            if status in _NO_ENDPOINT:
                continue
            if status != 200:
                return None, False  # rate-limited, a server error: ask again next time
            size = body.get("m.upload.size") if isinstance(body, dict) else None
            if isinstance(size, int) and not isinstance(size, bool) and size > 0:
                return size, True
            return None, True  # the server sets no limit it would tell
        return None, True

    async def create_room(
        self,
        *,
        name: str,
        topic: str | None,
        encrypted: bool,
        invite: Sequence[str],
        moderators: Sequence[str],
    ) -> CreatedRoom:
        version = await self.default_room_version()
        users = creation_users(version, self.bot_user_id, moderators, MODERATOR)
        initial_state = [ENCRYPTION_STATE] if encrypted else []
        response: RoomCreateResponse = await self._checked(
            "creating a room",
            lambda: self.client.room_create(
                name=name,
                topic=topic or None,
                room_version=version,
                preset=RoomPreset.private_chat,
                invite=list(invite),
                initial_state=initial_state,
                power_level_override={"users": users},
            ),
        )
        log.info("created room %s (version %s, encrypted=%s)", response.room_id, version,
                 encrypted)
        return CreatedRoom(room_id=response.room_id, link=self.room_link(response.room_id))

    async def invite(self, room_id: str, user_id: str) -> None:
        await self._checked(f"inviting into {room_id}",
                            lambda: self.client.room_invite(room_id, user_id),
                            not_found="unknown-user")

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None:
        await self._checked(f"removing a member from {room_id}",
                            lambda: self.client.room_kick(room_id, user_id, reason))

    async def set_name(self, room_id: str, name: str) -> None:
        await self._checked(f"renaming {room_id}", lambda: self.client.room_put_state(
            room_id, "m.room.name", {"name": name}))

    async def set_topic(self, room_id: str, topic: str) -> None:
        await self._checked(f"setting the topic of {room_id}", lambda: self.client.room_put_state(
            room_id, "m.room.topic", {"topic": topic}))

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        await self._change_power_level(room_id, user_id, level)

    async def reset_power_level(self, room_id: str, user_id: str) -> None:
        await self._change_power_level(room_id, user_id, None)

    async def _change_power_level(self, room_id: str, user_id: str, level: int | None) -> None:
        """``user_id`` at ``level``, or at the room's default when None."""
        state: RoomGetStateResponse = await self._checked(
            f"reading the state of {room_id}", lambda: self.client.room_get_state(room_id))
        version, room_creators = creators(state.events)
        if creators_have_infinite_power(version) and user_id in room_creators:
            return  # a creator's power cannot be set, and is already unlimited
        current: dict[str, Any] = next(
            (e.get("content", {}) for e in state.events
             if e.get("type") == "m.room.power_levels" and e.get("state_key") == ""), {})
        content = with_level(current, user_id, level)
        if content == current:
            return
        await self._checked(f"setting a power level in {room_id}",
                            lambda: self.client.room_put_state(
                                room_id, "m.room.power_levels", content))

    async def user_exists(self, user_id: str) -> bool:
        """False only when the user's homeserver says there is no such user.

        Synapse accepts an invite for a local user that does not exist, so handlers must
        ask first. A server that hides profiles (403) or cannot be reached leaves the
        question open; then the invite itself decides.
        """
        response = await self._call("looking up a user",
                                    lambda: self.client.get_profile(user_id))
        if isinstance(response, ProfileGetResponse):
            return True
        return not is_not_found(response)

    async def resolve_alias(self, alias: str) -> str | None:
        response = await self._call("resolving a room alias",
                                    lambda: self.client.room_resolve_alias(alias))
        return response.room_id if isinstance(response, RoomResolveAliasResponse) else None

    async def leave(self, room_id: str) -> None:
        await self._checked(f"leaving {room_id}", lambda: self.client.room_leave(room_id))
        with contextlib.suppress(*TRANSIENT_ERRORS):  # forgetting only tidies the room list
            await self.client.room_forget(room_id)

    def room_link(self, room_id: str) -> str:
        """A matrix.to link, asking the bot's own server."""
        return matrix_to(room_id, server_of(self.bot_user_id))
