"""Direct chats the bot opens itself, for replies that belong to one person only."""

from __future__ import annotations

import logging
from collections.abc import Callable

from nio import AsyncClient, RoomCreateResponse, RoomPreset

from bot.matrix.rooms import ENCRYPTION_STATE

log = logging.getLogger("salonbot.matrix.direct")


class DirectRooms:
    """Finds the two-person room the bot shares with someone, or opens one.

    ``reserved(room_id)`` says a room is not a direct chat even with two members (a salon
    whose host is alone with the bot, the staff room).
    """

    def __init__(self, client: AsyncClient, *, encrypt: bool,
                 reserved: Callable[[str], bool]) -> None:
        self.client = client
        self.encrypt = encrypt
        self.reserved = reserved
        self._opened: dict[str, str] = {}

    def find(self, user_id: str) -> str | None:
        if user_id in self._opened:
            return self._opened[user_id]
        wanted = {self.client.user_id, user_id}
        for room_id, room in self.client.rooms.items():
            if set(room.users) == wanted and not self.reserved(room_id):
                return room_id
        return None

    async def open(self, user_id: str) -> str | None:
        """The id of a new direct chat with ``user_id``, or None when the server refuses."""
        response = await self.client.room_create(
            is_direct=True,
            preset=RoomPreset.private_chat,
            invite=[user_id],
            initial_state=[ENCRYPTION_STATE] if self.encrypt else [],
        )
        if not isinstance(response, RoomCreateResponse):
            log.error("could not open a direct chat: %s", response)
            return None
        self._opened[user_id] = response.room_id
        log.info("opened direct chat %s", response.room_id)
        return response.room_id
