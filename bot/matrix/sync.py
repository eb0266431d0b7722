"""From the homeserver's event stream to router calls, each event exactly once.

Every round: sync from the stored position, do the encryption chores, send replies that
are still waiting, answer invites, then hand each new event of each joined room to the
router. A timeline the server shortened (``limited``, e.g. after hours of downtime) is
filled in from ``/messages`` back to the stored position, so nothing sent meanwhile is
missed. Each event is recorded as handled together with its staged replies; the position is
stored only after the whole batch. A failure backs off (1 s doubling to 60 s) and syncs
again from the same position; recorded events are skipped, so nothing is answered twice.
What a command did on the homeserver before a crash cut it short (a created room) is not
undone, and the command runs again: docs/security.md says what that means for ``open``.

Only commands, membership changes and what ``bot.watch`` asks for (talk in a recording room;
reactions, edits, redactions and poll answers about a watched event) reach the database;
other talk is decided on in memory. No item stalls the others for long: an event that fails
with a bug is recorded and skipped; one that fails with a database error while the database
is otherwise healthy is tried ``MAX_DB_ATTEMPTS`` times, then answered with an apology; a
room whose missed events cannot be fetched is tried ``MAX_GAP_ATTEMPTS`` times, then the
room is told what was missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from nio import (
    AsyncClient,
    Event,
    MegolmEvent,
    MessageDirection,
    RoomMessagesResponse,
    SyncError,
    SyncResponse,
)
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import Database, is_transient
from bot.matrix import ledger
from bot.matrix.crypto import LateKeys, housekeeping
from bot.matrix.events import Routed, classify, fresh_part, is_own_join
from bot.matrix.invites import Invites
from bot.matrix.notices import Notices
from bot.matrix.outbox import OutgoingReply, outgoing
from bot.matrix.retry import (
    TRANSIENT_ERRORS,
    Backoff,
    RuntimeStats,
    http_status,
    sleep_unless_stopped,
)
from bot.matrix.sender import ReplySender
from bot.matrix.startup import Prefetched, SyncOptions, start_sync, sync_filter
from bot.replies import Reply
from bot.router import Incoming, Router
from bot.watch import RELATED_KINDS, Watch

log = logging.getLogger("salonbot.matrix.sync")

#: Pages of 100 events fetched per room to fill a gap; beyond that the gap is logged.
MAX_GAP_PAGES = 50
#: The position is stored after a batch that recorded something, else at most this often.
#: Resuming from an older position is safe (recorded events are skipped), only slower.
POSITION_EVERY_S = 30.0
#: Database failures of one event, with the database otherwise healthy, before the event is
#: answered with an apology instead of being tried again.
MAX_DB_ATTEMPTS = 3
#: Rounds in which one room's missed events could not be fetched before the gap is given up.
MAX_GAP_ATTEMPTS = 3


class SyncFailed(Exception):
    """The homeserver answered the sync with an error."""


class TokenRevoked(Exception):
    """The homeserver no longer accepts the access token (logged out, or the device deleted).

    Retrying cannot help, so the run ends; with a password in the configuration the next
    start logs in again with the same device.
    """


class SyncLoop:
    def __init__(
        self,
        *,
        client: AsyncClient,
        router: Router,
        db: Database,
        sender: ReplySender,
        invites: Invites,
        late_keys: LateKeys,
        clock: Clock,
        stats: RuntimeStats,
        options: SyncOptions,
        is_reserved: Callable[[str], bool],
        on_ready: Callable[[], None] | None = None,
        started: float | None = None,
        notices: Notices | None = None,
        watch: Watch | None = None,
    ) -> None:
        self.client = client
        self.router = router
        self.db = db
        self.sender = sender
        self.invites = invites
        self.late_keys = late_keys
        self.clock = clock
        self.stats = stats
        self.options = options
        self.is_reserved = is_reserved
        self.on_ready = on_ready
        self.started = time.monotonic() if started is None else started
        self.notices = notices
        self.watch = watch or router.watch
        self._recorded = False  # since the position was last stored
        self._position_saved_at = 0.0
        self._db_failures: dict[str, int] = {}
        self._gap_failures: dict[str, int] = {}

    @property
    def bot(self) -> str:
        return self.client.user_id

    def sync_filter(self) -> dict[str, Any]:
        return sync_filter(self.options)

    async def run(self, stop: asyncio.Event, prefetched: Prefetched | None = None) -> None:
        """Sync until ``stop``. ``prefetched`` is a first request the runner sent before the
        database was ready (``bot.matrix.startup``): used only if it was made from the
        stored position, which is read here as always."""
        position = ledger.load_position(self.db)
        if prefetched is not None and prefetched.since != position:
            log.info("the sync position moved while the bot started; syncing from the new one")
            prefetched.discard()
            prefetched = None
        first = True
        backoff = Backoff(self.options.backoff_first, self.options.backoff_cap)
        while not stop.is_set():
            try:
                early, prefetched = prefetched, None  # a failed one is not used again
                response = await self._sync(position, first, stop, early)
                if response is None:
                    return
                await self._process(response, since=position)
                if self._position_due(first):
                    async with self.db.work_lock:
                        ledger.save_position(self.db, self.late_keys.oldest_position()
                                             or response.next_batch, self.clock.now())
                position = response.next_batch
                backoff.reset()
                if first:
                    first = False
                    log.info("first sync handled %.2f s after the start; ready",
                             time.monotonic() - self.started)
                    if self.on_ready is not None:
                        self.on_ready()
            except (SyncFailed, *TRANSIENT_ERRORS) as err:
                self.stats.reconnects += 1
                delay = backoff.next_delay()
                log.warning("cannot reach the homeserver (%s); trying again in %.0f s",
                            err if isinstance(err, SyncFailed) else type(err).__name__, delay)
                if await sleep_unless_stopped(delay, stop):
                    return
            except TokenRevoked:
                raise
            except Exception:
                delay = backoff.next_delay()
                log.exception("unexpected error in the sync loop; trying again in %.0f s",
                              delay)
                if await sleep_unless_stopped(delay, stop):
                    return

    def _position_due(self, first: bool) -> bool:
        """Most syncs bring only talk, the bot's own replies or receipts; storing the
        position after each of them was the largest part of the bot's database work."""
        now = time.monotonic()
        if not (first or self._recorded or now - self._position_saved_at >= POSITION_EVERY_S):
            return False
        self._recorded = False
        self._position_saved_at = now
        return True

    async def _sync(self, since: str | None, first: bool, stop: asyncio.Event,
                    prefetched: Prefetched | None = None) -> SyncResponse | None:
        request = (prefetched.request if prefetched is not None
                   else start_sync(self.client, self.options, since, first))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({request, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not request.done():
            request.cancel()
            with contextlib.suppress(asyncio.CancelledError, *TRANSIENT_ERRORS):
                await request
            return None
        response = request.result()
        if isinstance(response, SyncError):
            if response.status_code == "M_UNKNOWN_TOKEN":
                raise TokenRevoked(str(response))
            raise SyncFailed(str(response))
        return response

    async def _process(self, response: SyncResponse, *, since: str | None) -> None:
        await housekeeping(self.client)
        await self.sender.flush()
        for room_id, info in response.rooms.invite.items():
            await self.invites.handle(room_id, info.invite_state)
            self._recorded = True
        for room_id, event in await self.late_keys.ready():
            await self._handle(room_id, event, since)
        if since is None:
            # The very first start: what is in the rooms already is history, not commands.
            return
        for room_id, info in response.rooms.join.items():
            events: list[Event] = list(info.timeline.events)
            if info.timeline.limited and not any(is_own_join(e, self.bot) for e in events):
                events = await self._fill_gap(room_id, info.timeline.prev_batch, since) + events
            for event in fresh_part(events, self.bot):
                await self._handle(room_id, event, since)
        if self.late_keys.waiting:
            await housekeeping(self.client)  # the key requests

    async def _fill_gap(self, room_id: str, prev_batch: str | None, since: str) -> list[Event]:
        """Events between the stored position and the start of a shortened timeline."""
        if prev_batch is None:
            return []
        newest_first: list[Event] = []
        token = prev_batch
        for _ in range(MAX_GAP_PAGES):
            page = await self.client.room_messages(room_id, start=token, end=since,
                                                   direction=MessageDirection.back, limit=100)
            if not isinstance(page, RoomMessagesResponse):
                status = http_status(page)
                failures = self._gap_failures[room_id] = self._gap_failures.get(room_id, 0) + 1
                if (status >= 500 or status == 0) and failures < MAX_GAP_ATTEMPTS:
                    raise SyncFailed(f"fetching the missed events of {room_id} (attempt "
                                     f"{failures} of {MAX_GAP_ATTEMPTS}): {page}")
                log.error("could not fetch the missed events of %s (%s); the room is told "
                          "what it may have missed", room_id, page)
                self._gap_failures.pop(room_id, None)
                await self._tell_missed(room_id)
                break
            newest_first.extend(page.chunk)
            if not page.chunk or not page.end or page.end == token:
                break
            token = page.end
        else:
            log.error("more than %d pages of events missed in %s; the oldest are skipped",
                      MAX_GAP_PAGES, room_id)
            await self._tell_missed(room_id)
        self._gap_failures.pop(room_id, None)
        log.info("fetched %d events of %s sent while the bot was away", len(newest_first),
                 room_id)
        return list(reversed(newest_first))

    async def _tell_missed(self, room_id: str) -> None:
        if self.notices is not None:
            await self.notices.missed(room_id, ledger.position_time(self.db), self.clock.now())
            self._recorded = True

    def _is_direct(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return room is not None and room.member_count <= 2 and not self.is_reserved(room_id)

    async def _handle(self, room_id: str, event: Event, since: str | None) -> None:
        """One event, guarded: an event that breaks anything here (a malformed one, or a
        bug) is logged with a reference and recorded as handled, so it is not tried again
        with every retry of the batch and the events after it are still handled. An
        unreachable homeserver or a database that is down or locked stops the batch, to be
        retried as a whole: skipping the event then would lose a command without an answer.
        But a database error that comes back while the database is healthy is the event's
        own: after ``MAX_DB_ATTEMPTS`` it is answered with an apology and recorded."""
        event_id = getattr(event, "event_id", None)
        try:
            await self._handle_event(room_id, event, since)
            if isinstance(event_id, str):
                self._db_failures.pop(event_id, None)
        except TRANSIENT_ERRORS:
            raise
        except Exception as err:
            if is_transient(err) and not await self._gives_up_on(event_id, err):
                raise
            ref = secrets.token_hex(4)
            log.exception("event %s in %s could not be handled ref=%s; skipped", event_id,
                          room_id, ref)
            if isinstance(event_id, str) and event_id:
                self._db_failures.pop(event_id, None)
                try:
                    await self._handle_event(room_id, event, since, apology=ref)
                except Exception as again:
                    if is_transient(again):
                        raise
                    async with self.db.unit() as session:
                        if not ledger.is_handled(session, event_id):
                            ledger.mark_handled(session, event_id, room_id, self.clock.now())
                self._recorded = True

    async def _gives_up_on(self, event_id: object, err: BaseException) -> bool:
        """Whether a database error is this event's own (the database answers others)."""
        if not isinstance(event_id, str):
            return False
        failures = self._db_failures[event_id] = self._db_failures.get(event_id, 0) + 1
        log.warning("database error while handling %s (attempt %d of %d): %s", event_id,
                    failures, MAX_DB_ATTEMPTS, type(err).__name__)
        if failures < MAX_DB_ATTEMPTS:
            return False
        return await asyncio.to_thread(self.db.healthy)

    def _wanted(self, room_id: str, routed: Routed) -> str | None:
        """The hook kind (or ``command``) an event goes to, or None when it needs nothing:
        decided in memory, so ordinary talk costs no database work."""
        if routed.kind == "message" and self.router.is_command(routed.body):
            return "command"
        kind, key = self.watch.hook_kind(routed.kind, room_id, routed.relates_to)
        if key is not None or routed.kind in RELATED_KINDS:
            routed.payload["relates_key"] = key
        return kind

    async def _handle_event(self, room_id: str, event: Event, since: str | None,
                            apology: str | None = None) -> None:
        if isinstance(event, MegolmEvent):
            decrypted = self.late_keys.try_decrypt(event, room_id)
            if decrypted is None:
                await self.late_keys.keep(event, room_id, since)
                return
            event = decrypted
        routed = classify(event, self.bot)
        if routed is None:
            return
        kind = self._wanted(room_id, routed)
        if kind is None or (kind != "command" and not self.router.registry.hooks(kind)):
            return
        with self.db.session() as session:
            if ledger.is_handled(session, routed.event_id):
                return
        recorded: list[OutgoingReply] = []

        def record(session: Session, replies: list[Reply]) -> None:
            """Marks the event handled and stages its replies in the handler's transaction."""
            # Only a command is answered as a reply; what a reaction or a membership change
            # causes (a waiting list moving up) is a message of its own.
            items = outgoing(replies, room_id=room_id,
                             event_id=routed.event_id if kind == "command" else None,
                             txn_key=routed.event_id, now=self.clock.now(),
                             requested_by=routed.sender)
            ledger.mark_handled(session, routed.event_id, room_id, self.clock.now())
            self.sender.outbox.stage(session, items)
            self._recorded = True
            recorded[:] = items

        if apology is not None:
            if kind == "command":
                await self.router.apologise(self._incoming(room_id, routed), record, apology)
            else:
                async with self.db.unit() as session:
                    record(session, [])
        elif kind == "command":
            await self.router.handle(self._incoming(room_id, routed), record)
        else:
            await self.router.handle_event(kind, routed.sender, room_id, routed.payload,
                                           record)
        if kind == "command" and recorded:
            self.stats.commands_handled += 1
        if recorded:
            await self.sender.flush()

    def _incoming(self, room_id: str, routed: Routed) -> Incoming:
        return Incoming(sender=routed.sender, room_id=room_id, body=routed.body,
                        event_id=routed.event_id, is_direct=self._is_direct(room_id))
