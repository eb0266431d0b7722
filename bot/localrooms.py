"""Rooms that live only in this process, for `salonbot chat` and the handler tests.

``LocalRooms`` is a ``RoomPort`` that behaves like a homeserver where it matters to the
handlers: inviting someone already in the room or banned from it is refused, kicking someone
who is not there is refused, and every membership change is recorded as an event that the
caller hands to the router's ``member`` hooks, exactly as the Matrix runtime does after a sync.
It also plays the people's clients (``join``, ``leave_as``, ``ban``), so a whole salon can be
acted out without a server.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.config import USER_ID_RE
from bot.rooms import ADMIN, MODERATOR, CreatedRoom, RoomError

SERVER_NAME = "chat"


@dataclass
class LocalRoom:
    room_id: str
    name: str
    topic: str | None = None
    encrypted: bool = False
    is_direct: bool = False
    membership: dict[str, str] = field(default_factory=dict)
    power_levels: dict[str, int] = field(default_factory=dict)

    def joined(self) -> list[str]:
        return [user for user, state in self.membership.items() if state == "join"]

    def state_of(self, user_id: str) -> str | None:
        return self.membership.get(user_id)


@dataclass(frozen=True, slots=True)
class MembershipChange:
    """One ``m.room.member`` event: what the runtime passes to the ``member`` hooks."""

    room_id: str
    user_id: str
    membership: str
    prev_membership: str | None
    event_id: str
    reason: str | None = None

    def payload(self) -> dict[str, str | None]:
        return {
            "user_id": self.user_id,
            "membership": self.membership,
            "prev_membership": self.prev_membership,
            "event_id": self.event_id,
        }


class LocalRooms:
    """An in-memory ``RoomPort``; users "exist" when their id has the Matrix syntax."""

    def __init__(self, bot_user_id: str, *, missing_users: Iterable[str] = (),
                 max_upload_size: int | None = None) -> None:
        self.bot_user_id = bot_user_id
        #: What ``upload_limit`` answers: None, a terminal takes any file (the handler then
        #: keeps to its own cap); a test sets a small number to play a strict homeserver.
        self.max_upload_size = max_upload_size
        self.rooms: dict[str, LocalRoom] = {}
        self.aliases: dict[str, str] = {}
        self._missing = set(missing_users)
        self._room_numbers = itertools.count(1)
        self._event_numbers = itertools.count(1)
        self._changes: list[MembershipChange] = []

    # ------------------------------------------------------------------ RoomPort

    async def create_room(
        self,
        *,
        name: str,
        topic: str | None,
        encrypted: bool,
        invite: Sequence[str],
        moderators: Sequence[str],
    ) -> CreatedRoom:
        room = self._new_room(name=name, topic=topic, encrypted=encrypted)
        for user_id in moderators:
            room.power_levels[user_id] = MODERATOR
        for user_id in invite:
            await self.invite(room.room_id, user_id)
        return CreatedRoom(room_id=room.room_id, link=self.room_link(room.room_id))

    async def invite(self, room_id: str, user_id: str) -> None:
        room = self._room(room_id)
        if not await self.user_exists(user_id):
            raise RoomError("unknown-user", f"{user_id} does not exist")
        state = room.state_of(user_id)
        if state == "join":
            raise RoomError("forbidden", f"{user_id} is already in the room")
        if state == "ban":
            raise RoomError("forbidden", f"{user_id} is banned from the room")
        if state != "invite":
            self._change(room, user_id, "invite")

    async def kick(self, room_id: str, user_id: str, reason: str | None = None) -> None:
        room = self._room(room_id)
        if room.state_of(user_id) not in ("join", "invite"):
            raise RoomError("forbidden", f"{user_id} is not in the room")
        self._change(room, user_id, "leave", reason=reason)

    async def set_name(self, room_id: str, name: str) -> None:
        self._room(room_id).name = name

    async def set_topic(self, room_id: str, topic: str) -> None:
        self._room(room_id).topic = topic

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        self._room(room_id).power_levels[user_id] = level

    async def reset_power_level(self, room_id: str, user_id: str) -> None:
        self._room(room_id).power_levels.pop(user_id, None)

    async def user_exists(self, user_id: str) -> bool:
        return bool(USER_ID_RE.match(user_id)) and user_id not in self._missing

    async def resolve_alias(self, alias: str) -> str | None:
        return self.aliases.get(alias)

    async def leave(self, room_id: str) -> None:
        self._change(self._room(room_id), self.bot_user_id, "leave")

    def room_link(self, room_id: str) -> str:
        return f"chat://room/{room_id}"

    async def upload_limit(self) -> int | None:
        return self.max_upload_size

    # ------------------------------------------------------ what clients would do

    def create_direct(self, user_id: str) -> LocalRoom:
        """A direct chat between ``user_id`` and the bot, both joined."""
        room = self._new_room(name=user_id, topic=None, encrypted=True, is_direct=True)
        room.membership[user_id] = "join"
        return room

    def join(self, room_id: str, user_id: str) -> None:
        """The person accepts an invitation; like a homeserver, no invitation means no entry."""
        room = self._room(room_id)
        state = room.state_of(user_id)
        if state == "join":
            return
        if state != "invite":
            raise RoomError("forbidden", f"{user_id} is not invited to {room_id}")
        self._change(room, user_id, "join")

    def leave_as(self, room_id: str, user_id: str) -> None:
        """The person leaves through their own client (or rejects an invitation)."""
        room = self._room(room_id)
        if room.state_of(user_id) not in ("join", "invite"):
            raise RoomError("forbidden", f"{user_id} is not in {room_id}")
        self._change(room, user_id, "leave")

    def ban(self, room_id: str, user_id: str, reason: str | None = None) -> None:
        """A moderator bans someone through their client."""
        self._change(self._room(room_id), user_id, "ban", reason=reason)

    def drain_changes(self) -> list[MembershipChange]:
        """Membership events since the last call, oldest first, as a sync would deliver them."""
        changes, self._changes = self._changes, []
        return changes

    def room(self, room_id: str) -> LocalRoom | None:
        return self.rooms.get(room_id)

    # ----------------------------------------------------------------- internals

    def _new_room(self, *, name: str, topic: str | None, encrypted: bool,
                  is_direct: bool = False) -> LocalRoom:
        room_id = f"!local-{next(self._room_numbers)}:{SERVER_NAME}"
        room = LocalRoom(room_id=room_id, name=name, topic=topic, encrypted=encrypted,
                         is_direct=is_direct)
        room.membership[self.bot_user_id] = "join"
        room.power_levels[self.bot_user_id] = ADMIN
        self.rooms[room_id] = room
        return room

    def _room(self, room_id: str) -> LocalRoom:
        room = self.rooms.get(room_id)
        if room is None:
            raise RoomError("not-found", f"no room {room_id}")
        return room

    def _change(self, room: LocalRoom, user_id: str, membership: str,
                reason: str | None = None) -> None:
        previous = room.state_of(user_id)
        room.membership[user_id] = membership
        self._changes.append(MembershipChange(
            room_id=room.room_id, user_id=user_id, membership=membership,
            prev_membership=previous, event_id=f"$member-{next(self._event_numbers)}",
            reason=reason,
        ))
