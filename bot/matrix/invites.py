"""Accepting invites from the people the bot serves, declining the others politely."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from nio import AsyncClient, InviteMemberEvent, JoinResponse, RoomLeaveResponse
from nio.api import Api

from bot.i18n import translator
from bot.matrix.retry import TRANSIENT_ERRORS

log = logging.getLogger("salonbot.matrix.invites")


def inviter_of(invite_state: list[object], bot_user_id: str) -> str | None:
    for event in invite_state:
        if (isinstance(event, InviteMemberEvent) and event.state_key == bot_user_id
                and event.membership == "invite"):
            return event.sender
    return None


#: Joins of one invited room that failed before the invite is declined.
MAX_JOIN_ATTEMPTS = 3


class Invites:
    """An invite whose join keeps failing is tried ``MAX_JOIN_ATTEMPTS`` times (once per
    sync), then declined, and the inviter is told (``on_give_up``): it never holds up the
    other rooms, and it does not come back with every sync."""

    def __init__(self, client: AsyncClient, *, is_allowed: Callable[[str], bool],
                 language: str, staff_room: Callable[[], str | None],
                 on_give_up: Callable[[str, str], Awaitable[None]] | None = None) -> None:
        self.client = client
        self.is_allowed = is_allowed
        self.language = language
        self.staff_room = staff_room
        self.on_give_up = on_give_up
        self._failures: dict[str, int] = {}

    async def handle(self, room_id: str, invite_state: list[object]) -> bool:
        """Join or decline one invite; True when the bot joined."""
        inviter = inviter_of(invite_state, self.client.user_id)
        if inviter is None:
            return False
        if self.is_allowed(inviter) or room_id == self.staff_room():
            try:
                response: object = await self.client.join(room_id)
            except TRANSIENT_ERRORS as err:
                response = err
            if isinstance(response, JoinResponse):
                self._failures.pop(room_id, None)
                log.info("joined %s (invited by %s)", room_id, inviter)
                return True
            failures = self._failures[room_id] = self._failures.get(room_id, 0) + 1
            if failures < MAX_JOIN_ATTEMPTS:
                log.warning("could not join %s (attempt %d of %d): %s", room_id, failures,
                            MAX_JOIN_ATTEMPTS, response)
                return False
            log.error("could not join %s after %d attempts (%s); declining the invite",
                      room_id, failures, response)
            await self.decline(room_id)
            if self.on_give_up is not None:
                await self.on_give_up(inviter, room_id)
            del self._failures[room_id]
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
        try:
            response: object = await self.client._send(RoomLeaveResponse, method, path,
                                                       json.dumps({"reason": reason}))
        except TRANSIENT_ERRORS as err:
            response = err
        if not isinstance(response, RoomLeaveResponse):
            log.warning("could not decline the invite to %s: %s", room_id, response)
