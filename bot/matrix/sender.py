"""The one way the bot posts: an ``m.notice`` with plain ``body`` and HTML ``formatted_body``.

In the room of the command it is a reply to the command (``m.in_reply_to``). In encrypted
rooms it is encrypted for every device of every member, verified or not (see
docs/security.md). A message that cannot be delivered now stays in the outbox and is tried
again at the next flush: after every sync, after a job ran, and when a held-back message
falls due (a timer, so it leaves within a second of its time, not at the next sync).

No message stalls the others: each is tried on its own, one that fails with an error of ours
is tried ``MAX_ERRORS`` times, one the homeserver refuses is not tried again, and one that
cannot be delivered for ``GIVE_UP_AFTER`` is given up. Those are set aside (kept for the
operator, logged as errors) and the person whose command it answered is told in a direct
chat. Messages to one room keep their order: once one has to wait, the later ones to the
same room wait too.
"""

from __future__ import annotations

import asyncio
import enum
import io
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from nio import (
    AsyncClient,
    ErrorResponse,
    LocalProtocolError,
    RoomSendResponse,
    SendRetryError,
    UploadResponse,
)

from bot.clock import Clock
from bot.db import is_transient
from bot.matrix.direct import DirectRooms
from bot.matrix.outbox import ATTACHMENT, Outbox, OutgoingReply
from bot.matrix.retry import TRANSIENT_ERRORS, RuntimeStats, http_status, with_retries
from bot.replies import Attachment
from bot.watch import Watch

log = logging.getLogger("salonbot.matrix.sender")

#: How long an undeliverable message is kept before it is given up. Synapse keeps a device's
#: transaction ids for 24 hours, so a resend within this time can never post twice.
GIVE_UP_AFTER = timedelta(hours=20)
#: How long a message waits for a room the bot does not know (yet) before it is given up.
UNKNOWN_ROOM_GRACE = timedelta(minutes=10)
#: Attempts that ended in an error of the bot's own (a bug, a malformed row) before the
#: message is set aside.
MAX_ERRORS = 3

#: Tells the person who asked that their answer could not be delivered (see notices).
Undeliverable = Callable[[OutgoingReply, str], None]


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
    extra.pop(ATTACHMENT, None)
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
                 stats: RuntimeStats, watch: Watch | None = None,
                 undeliverable: Undeliverable | None = None) -> None:
        self.client = client
        self.outbox = outbox
        self.direct = direct
        self.clock = clock
        self.stats = stats
        self.watch = watch or Watch()
        self.undeliverable = undeliverable
        self._flushing = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._woken: asyncio.Task[None] | None = None
        self._again = False

    @property
    def db(self) -> Any:
        return self.outbox.db

    async def flush(self) -> None:
        """Try every message that is due, in order; then set a timer for the next one."""
        async with self._flushing:
            await self._flush()
        self._arm_timer()

    async def _flush(self) -> None:
        waiting: set[str] = set()
        for item in self.outbox.pending(self.clock.now()):
            if item.target in waiting:
                continue
            if item.broken is not None:
                await self._give_up(item, item.broken)
                continue
            try:
                outcome = await self._deliver(item)
            except Exception as err:
                if is_transient(err):
                    raise
                ref = secrets.token_hex(4)
                log.exception("message %s to %s failed with an error ref=%s", item.txn_id,
                              item.target, ref)
                item.attempts += 1
                if item.attempts >= MAX_ERRORS:
                    await self._give_up(item, f"error ref={ref}: {type(err).__name__}")
                else:
                    waiting.add(item.target)
                    await self._locked(self.outbox.update, item)
                continue
            if outcome is Outcome.SENT:
                continue
            if outcome is Outcome.FAILED:
                await self._give_up(item, "refused")
                continue
            item.attempts += 1
            if self.clock.now() - item.due > GIVE_UP_AFTER:
                await self._give_up(item, f"not deliverable for {GIVE_UP_AFTER}")
            else:
                waiting.add(item.target)
                await self._locked(self.outbox.update, item)
            if outcome is Outcome.OFFLINE:
                return
        if not waiting:
            self.outbox.delivered()  # the next sync need not read the table again

    async def _locked(self, action: Callable[..., None], *args: Any) -> None:
        """Outbox writes wait for a command that holds the database (see work_lock)."""
        async with self.db.work_lock:
            action(*args)

    async def _give_up(self, item: OutgoingReply, why: str) -> None:
        log.error("giving up message %s to %s after %d attempts (%s); set aside",
                  item.txn_id, item.target, item.attempts, why)
        self.stats.replies_failed += 1
        await self._locked(self.outbox.set_aside, item, why, self.clock.now())
        if self.undeliverable is not None:
            await self._locked(self.undeliverable, item, why)

    def _arm_timer(self) -> None:
        """Wake up when the earliest held-back message falls due."""
        due = self.outbox.next_due
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if due is None:
            return
        delay = max(0.0, (due - self.clock.now()).total_seconds())
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(delay + 0.01, self.wake)

    def wake(self) -> None:
        """Flush soon, in a task of its own (from a timer or a job that staged messages);
        a wake-up while that task runs makes it flush once more."""
        self._again = True
        if self._woken is not None and not self._woken.done():
            return
        self._woken = asyncio.get_running_loop().create_task(self._flush_quietly())

    async def _flush_quietly(self) -> None:
        try:
            while self._again:
                self._again = False
                await self.flush()
        except (*TRANSIENT_ERRORS,) as err:
            log.warning("flush postponed (%s); the next sync tries again", type(err).__name__)
        except Exception as err:
            if not is_transient(err):
                raise
            log.warning("flush postponed: the database is away; the next sync tries again")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._woken is not None and not self._woken.done():
            self._woken.cancel()

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
        await self._locked(self.outbox.update, item)
        return room_id

    async def _sent(self, item: OutgoingReply, event_id: str) -> None:
        self.stats.replies_sent += 1
        async with self.db.work_lock:
            with self.db.session() as session:
                self.outbox.remove(item, session)
                if item.watch_key and item.room_id:
                    self.watch.watch_event(session, event_id=event_id, room_id=item.room_id,
                                           key=item.watch_key, at=self.clock.now())

    async def _upload(self, attachment: Attachment, *, encrypt: bool) -> dict[str, Any] | None:
        """The ``m.file`` keys for an uploaded file; the reply's text stays as its caption
        (``body`` differs from ``filename``). An upload failure keeps the message for later."""
        response, keys = await self.client.upload(
            io.BytesIO(attachment.data), content_type=attachment.mimetype,
            filename=attachment.filename, encrypt=encrypt, filesize=len(attachment.data))
        if not isinstance(response, UploadResponse):
            log.warning("upload of %s failed (%s); kept for later", attachment.filename,
                        response)
            return None
        content: dict[str, Any] = {
            "msgtype": "m.file", "filename": attachment.filename,
            "info": {"mimetype": attachment.mimetype, "size": len(attachment.data)},
        }
        if encrypt and keys is not None:
            content["file"] = {**keys, "url": response.content_uri}
        else:
            content["url"] = response.content_uri
        return content

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
            if self.clock.now() - item.due > UNKNOWN_ROOM_GRACE:
                log.error("message %s not delivered: the bot is not in room %s", item.txn_id,
                          room_id)
                return Outcome.FAILED
            log.info("message %s waits until room %s is synced", item.txn_id, room_id)
            return Outcome.LATER
        event_type, content = reply_content(item)
        try:
            attachment = item.attachment()
            if attachment is not None:
                file_content = await self._upload(attachment, encrypt=room.encrypted)
                if file_content is None:
                    return Outcome.LATER
                content.update(file_content)
            if room.encrypted and self.client.should_query_keys:
                await self.client.keys_query()
            response = await with_retries(
                lambda: self.client.room_send(room_id, event_type, content, tx_id=item.txn_id,
                                              ignore_unverified_devices=True),
                what=f"sending message {item.txn_id}", attempts=3)
        except TRANSIENT_ERRORS as err:
            log.warning("message %s not sent, homeserver unreachable (%s); kept for later",
                        item.txn_id, type(err).__name__)
            return Outcome.OFFLINE
        except (LocalProtocolError, SendRetryError) as err:
            log.warning("message %s not sent yet (%s); kept for later", item.txn_id, err)
            return Outcome.LATER
        if isinstance(response, RoomSendResponse):
            log.debug("message %s sent as %s", item.txn_id, response.event_id)
            await self._sent(item, response.event_id)
            return Outcome.SENT
        assert isinstance(response, ErrorResponse)
        status = http_status(response)
        if status == 401:
            log.warning("message %s not sent: the access token is no longer accepted; kept "
                        "for the next start", item.txn_id)
            return Outcome.OFFLINE
        if status >= 500 or status == 0 or status == 429:
            log.warning("message %s not sent (%s); kept for later", item.txn_id, response)
            return Outcome.LATER
        log.error("message %s to %s refused by the homeserver: %s", item.txn_id, room_id,
                  response)
        return Outcome.FAILED
