"""The one way the bot posts: an ``m.notice`` with plain ``body`` and HTML ``formatted_body``.

In the room of the command it is a reply to the command (``m.in_reply_to``). In encrypted
rooms it is encrypted for every device of every member, verified or not (see
docs/security.md). A reply that cannot be delivered now stays in the outbox and is tried
again after the next sync; one that can never be delivered is logged as an error, never
dropped silently.
"""

from __future__ import annotations

import enum
import logging
from datetime import timedelta
from typing import Any

from nio import (
    AsyncClient,
    ErrorResponse,
    LocalProtocolError,
    RoomSendResponse,
    SendRetryError,
)

from bot.clock import Clock
from bot.matrix.direct import DirectRooms
from bot.matrix.outbox import Outbox, OutgoingReply
from bot.matrix.retry import TRANSIENT_ERRORS, RuntimeStats, http_status, with_retries

log = logging.getLogger("salonbot.matrix.sender")

#: How long an undeliverable reply is kept before it is given up (and logged as an error).
GIVE_UP_AFTER = timedelta(hours=24)
#: How long a reply waits for a room the bot does not know (yet) before it is given up.
UNKNOWN_ROOM_GRACE = timedelta(minutes=10)


class Outcome(enum.Enum):
    SENT = "sent"
    LATER = "later"
    FAILED = "failed"
    OFFLINE = "offline"


def reply_content(item: OutgoingReply) -> tuple[str, dict[str, Any]]:
    """Event type and content. ``extra`` keys are merged into the content; an ``event_type``
    key in ``extra`` posts another event type (a poll, say) with the same text fallback."""
    reply = item.as_reply()
    extra = dict(item.extra)
    event_type = str(extra.pop("event_type", "m.room.message"))
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": reply.body,
        "format": "org.matrix.custom.html",
        "formatted_body": reply.formatted_body,
    }
    if item.reply_to:
        content["m.relates_to"] = {"m.in_reply_to": {"event_id": item.reply_to}}
    content.update(extra)
    return event_type, content


class ReplySender:
    def __init__(self, client: AsyncClient, outbox: Outbox, direct: DirectRooms, clock: Clock,
                 stats: RuntimeStats) -> None:
        self.client = client
        self.outbox = outbox
        self.direct = direct
        self.clock = clock
        self.stats = stats

    async def flush(self) -> None:
        """Try every pending reply in order.

        Replies to one room keep their order: once one has to wait, the later ones to the
        same room wait too. When the homeserver is unreachable the rest waits for the next
        round, which the sync loop starts once it can reach the server again.
        """
        waiting: set[str] = set()
        for item in self.outbox.pending():
            target = item.room_id or f"direct:{item.direct_to}"
            if target in waiting:
                continue
            outcome = await self._deliver(item)
            if outcome is Outcome.SENT:
                self.stats.replies_sent += 1
                self.outbox.remove(item)
                continue
            if outcome is Outcome.FAILED:
                self.stats.replies_failed += 1
                self.outbox.remove(item)
                continue
            waiting.add(target)
            item.attempts += 1
            if self._expired(item):
                log.error("giving up reply %s to %s after %d attempts: it could not be "
                          "delivered", item.txn_id, target, item.attempts)
                self.stats.replies_failed += 1
                self.outbox.remove(item)
            else:
                self.outbox.update(item)
            if outcome is Outcome.OFFLINE:
                break

    def _expired(self, item: OutgoingReply) -> bool:
        return self.clock.now() - item.created > GIVE_UP_AFTER

    async def _resolve_room(self, item: OutgoingReply) -> str | None:
        if item.room_id is not None:
            return item.room_id
        assert item.direct_to is not None
        room_id = self.direct.find(item.direct_to)
        if room_id is None:
            room_id = await self.direct.open(item.direct_to)
            if room_id is None:
                return None
        item.room_id = room_id
        # Remember the room before sending, so a retry does not open a second chat.
        self.outbox.update(item)
        return room_id

    async def _deliver(self, item: OutgoingReply) -> Outcome:
        try:
            room_id = await self._resolve_room(item)
        except TRANSIENT_ERRORS:
            return Outcome.OFFLINE
        if room_id is None:
            return Outcome.FAILED
        room = self.client.rooms.get(room_id)
        if room is None:
            # A room the bot has just opened or joined is known after the next sync.
            if self.clock.now() - item.created > UNKNOWN_ROOM_GRACE:
                log.error("reply %s not delivered: the bot is not in room %s", item.txn_id,
                          room_id)
                return Outcome.FAILED
            log.info("reply %s waits until room %s is synced", item.txn_id, room_id)
            return Outcome.LATER
        event_type, content = reply_content(item)
        try:
            if room.encrypted and self.client.should_query_keys:
                await self.client.keys_query()
            response = await with_retries(
                lambda: self.client.room_send(room_id, event_type, content, tx_id=item.txn_id,
                                              ignore_unverified_devices=True),
                what=f"sending reply {item.txn_id}", attempts=3)
        except TRANSIENT_ERRORS as err:
            log.warning("reply %s not sent, homeserver unreachable (%s); kept for later",
                        item.txn_id, type(err).__name__)
            return Outcome.OFFLINE
        except (LocalProtocolError, SendRetryError) as err:
            log.warning("reply %s not sent yet (%s); kept for later", item.txn_id, err)
            return Outcome.LATER
        if isinstance(response, RoomSendResponse):
            log.debug("reply %s sent as %s", item.txn_id, response.event_id)
            return Outcome.SENT
        assert isinstance(response, ErrorResponse)
        status = http_status(response)
        if status == 401:
            log.warning("reply %s not sent: the access token is no longer accepted; kept for "
                        "the next start", item.txn_id)
            return Outcome.OFFLINE
        if status >= 500 or status == 0:
            log.warning("reply %s not sent (%s); kept for later", item.txn_id, response)
            return Outcome.LATER
        log.error("reply %s to %s refused by the homeserver: %s", item.txn_id, room_id,
                  response)
        return Outcome.FAILED
