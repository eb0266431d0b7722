"""Accepting invites from the people the bot serves, declining the others politely."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from nio import AsyncClient, InviteMemberEvent, JoinResponse, RoomLeaveResponse
from nio.api import Api

from bot.i18n import translator

log = logging.getLogger("salonbot.matrix.invites")


def inviter_of(invite_state: list[object], bot_user_id: str) -> str | None:
    for event in invite_state:
        if (isinstance(event, InviteMemberEvent) and event.state_key == bot_user_id
                and event.membership == "invite"):
            return event.sender
    return None


class Invites:
    def __init__(self, client: AsyncClient, *, is_allowed: Callable[[str], bool],
                 language: str, staff_room: Callable[[], str | None]) -> None:
        self.client = client
        self.is_allowed = is_allowed
        self.language = language
        self.staff_room = staff_room

    async def handle(self, room_id: str, invite_state: list[object]) -> bool:
        """Join or decline one invite; True when the bot joined."""
        inviter = inviter_of(invite_state, self.client.user_id)
        if inviter is None:
            return False
        if self.is_allowed(inviter) or room_id == self.staff_room():
            response = await self.client.join(room_id)
            if isinstance(response, JoinResponse):
                log.info("joined %s (invited by %s)", room_id, inviter)
                return True
            log.warning("could not join %s: %s", room_id, response)
            return False
        await self.decline(room_id)
        log.info("declined the invite to %s from %s (not in bot.allowed_users)", room_id,
                 inviter)
        return False

    async def decline(self, room_id: str) -> None:
        """Reject with a reason the inviter's client shows beside the rejection."""
        t = translator(self.language)
        reason = t._("Sorry, I can only join chats with the people I was set up to help, "
                     "so I can't join this one.")
        method, path = Api.room_leave(self.client.access_token, room_id)
        response = await self.client._send(RoomLeaveResponse, method, path,
                                           json.dumps({"reason": reason}))
        if not isinstance(response, RoomLeaveResponse):
            log.warning("could not decline the invite to %s: %s", room_id, response)
