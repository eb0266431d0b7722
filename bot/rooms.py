"""What handlers may ask of the chat system, without knowing it is Matrix.

The Matrix runtime implements this against a homeserver; ``salonbot chat`` implements it
with rooms that live only in the terminal session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

MODERATOR = 50


def matrix_to(room: str, server: str | None) -> str:
    """A matrix.to link to a room (id or alias), which Element and others open. A room id
    (of version 12 it carries no server) names a server to ask; an alias needs none."""
    target = quote(room, safe="!#:@$.-_")
    if room.startswith("#") or not server:
        return f"https://matrix.to/#/{target}"
    return f"https://matrix.to/#/{target}?via={server}"
ADMIN = 100


class RoomError(Exception):
    """A room operation the server refused. ``code`` is stable so handlers can explain it:
    ``unknown-user``, ``forbidden``, ``not-found``, ``rate-limited`` or ``failed``."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class CreatedRoom:
    room_id: str
    link: str


class RoomPort(Protocol):
    async def create_room(
        self,
        *,
        name: str,
        topic: str | None,
        encrypted: bool,
        invite: Sequence[str],
        moderators: Sequence[str],
    ) -> CreatedRoom: ...

    async def invite(self, room_id: str, user_id: str) -> None: ...

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None: ...

    async def set_name(self, room_id: str, name: str) -> None: ...

    async def set_topic(self, room_id: str, topic: str) -> None: ...

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None: ...

    async def reset_power_level(self, room_id: str, user_id: str) -> None:
        """Back to the room's default level: the person's own entry is removed, so they have
        whatever everyone else has (``users_default``), now and if the default changes."""
        ...

    async def user_exists(self, user_id: str) -> bool: ...

    async def resolve_alias(self, alias: str) -> str | None:
        """The room id behind ``#name:server``, or None when the alias is unknown."""
        ...

    async def leave(self, room_id: str) -> None: ...

    def room_link(self, room_id: str) -> str: ...

    async def upload_limit(self) -> int | None:
        """The largest file, in bytes, the chat system accepts for upload; None when it
        does not say (then a handler keeps to a cap of its own). A file above it is refused
        by the server and never arrives, so a handler that sends one checks first."""
        ...
