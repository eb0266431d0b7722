"""``salonbot run``: the bot on a homeserver until SIGTERM or SIGINT.

Start-up order: migrate the database (a schema from a newer salonbot stops here with one
line and exit 1), log in (reusing the saved device), join the staff room, then sync until
told to stop. The scheduler (``bot.scheduler``) starts once the first sync is handled, so
jobs that fell due while the bot was down run with the rooms' state known, and stops with
the bot. An unreachable homeserver is waited for with back-off, at start as later;
only refused credentials end the run (exit 1). A stop finishes the batch being handled (for
at most ``shutdown_grace`` seconds; anything cut short is handled again at the next start),
closes the connection and the database, and returns 0.

A restart on SQLite (a database that holds a sync position) does not wait for SQLAlchemy:
a thread loads it with the models and the handlers and checks the schema, while the bot
logs in, joins the staff room and sends its first sync request from the position read with
the standard library (``bot.matrix.startup``). That request's answer is handled once the
thread is done, and only if the position then read through the ORM is the one the request
was made from (else the loop asks again). A schema from a newer salonbot or a database that
cannot be opened still stops the start with the same one line, before anything is handled.
Every other start (the first, or on PostgreSQL) checks the database first, as above.

This module imports only matrix-nio and the configuration; everything that needs SQLAlchemy
is imported in that thread (or, on the ordinary path, before the login).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from nio import AsyncClient, JoinResponse

from bot.commands import Registry
from bot.config import Config
from bot.matrix.retry import (
    TRANSIENT_ERRORS,
    Backoff,
    RuntimeStats,
    sleep_unless_stopped,
    watch_rate_limits,
    with_retries,
)
from bot.matrix.session import LoginFailed, log_in, new_client
from bot.matrix.startup import Prefetched, SyncOptions, start_sync, stored_position

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.db import Database
    from bot.matrix.sender import ReplySender
    from bot.matrix.sync import SyncLoop
    from bot.replies import Reply
    from bot.router import Router
    from bot.scheduler import Scheduler

log = logging.getLogger("salonbot.matrix.runner")


@dataclass
class RuntimeOptions:
    """Knobs for tests and tuning; the defaults are what production runs with."""

    sync: SyncOptions = field(default_factory=SyncOptions)
    stats: RuntimeStats = field(default_factory=RuntimeStats)
    #: Set once the first sync after the start has been handled.
    ready: asyncio.Event | None = None
    shutdown_grace: float = 5.0
    #: None: ``bot.scheduler.DEFAULT_HORIZON``.
    scheduler_horizon: timedelta | None = None


def _quiet_nio() -> None:
    # nio logs schema problems with fragments of the response, which may be message text.
    for name in ("nio.responses", "nio.events"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # APScheduler logs every timer set and every run at INFO (30,000 lines for 10,000 jobs,
    # a quarter of a second at start alone); bot.scheduler and bot.jobs log what matters.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _fail(message: str) -> int:
    print(f"salonbot: {message}", file=sys.stderr)
    log.error("%s", message)
    return 1


async def _log_in(client: AsyncClient, config: Config, stop: asyncio.Event) -> bool | None:
    """True when logged in, None when stopped while waiting for the homeserver."""
    backoff = Backoff()
    while True:
        try:
            await log_in(client, config.matrix)
            return True
        except TRANSIENT_ERRORS as err:
            delay = backoff.next_delay()
            log.warning("cannot reach %s (%s); trying again in %.0f s",
                        config.matrix.homeserver, type(err).__name__, delay)
            if await sleep_unless_stopped(delay, stop):
                return None


async def join_staff_room(client: AsyncClient, room: str) -> str | None:
    """The staff room's id once joined; a room id is kept even if joining failed, so that a
    later invite to it is accepted and its commands work."""
    try:
        response = await with_retries(lambda: client.join(room), what="joining the staff room")
    except TRANSIENT_ERRORS:
        response = None
    if isinstance(response, JoinResponse):
        log.info("joined the staff room %s", response.room_id)
        return response.room_id
    log.warning("could not join the staff room %s (%s); invite the bot there", room, response)
    return room if room.startswith("!") else None


def _reserved_rooms(router: Router, db: Database) -> Callable[[str], bool]:
    """Rooms that are never direct chats, however few people are in them."""
    from sqlalchemy import select

    from bot.db import Salon

    def reserved(room_id: str) -> bool:
        if room_id == router.staff_room_id:
            return True
        with db.session() as session:
            return session.scalar(select(Salon.id).where(Salon.room_id == room_id)) is not None

    return reserved


@dataclass
class Runtime:
    """The pieces of a running bot, wired together once."""

    loop: SyncLoop
    sender: ReplySender
    scheduler: Scheduler


def _room_name(client: AsyncClient) -> Callable[[str], str]:
    def name(room_id: str) -> str:
        room = client.rooms.get(room_id)
        return room.display_name if room is not None else room_id

    return name


#: Tasks the runtime started and must keep a reference to until they are done.
background: set[asyncio.Task[None]] = set()


async def _start_hooks(router: Router) -> None:
    try:
        await router.run_start_hooks()
    except Exception:  # a database that is away: the areas ask again on first use
        log.exception("the start hooks could not run")


def _runtime(client: AsyncClient, router: Router, db: Database, config: Config,
             options: RuntimeOptions, started: float) -> Runtime:
    from bot.jobs import JobRunner
    from bot.matrix.crypto import LateKeys
    from bot.matrix.direct import DirectRooms
    from bot.matrix.invites import Invites
    from bot.matrix.notices import Notices
    from bot.matrix.outbox import Outbox, outgoing
    from bot.matrix.sender import ReplySender
    from bot.matrix.sync import SyncLoop
    from bot.scheduler import DEFAULT_HORIZON, Scheduler

    reserved = _reserved_rooms(router, db)
    clock = router.clock
    outbox = Outbox(db)
    notices = Notices(db=db, outbox=outbox, clock=clock, timezone=config.bot.timezone,
                      language_for=router.language_for, room_name=_room_name(client))
    direct = DirectRooms(client, encrypt=config.matrix.encrypt_new_rooms, reserved=reserved)
    invites = Invites(client, is_allowed=router.is_allowed,
                      language=config.bot.default_language,
                      staff_room=lambda: router.staff_room_id,
                      on_give_up=notices.invite_failed)
    sender = ReplySender(client, outbox, direct, clock, options.stats, watch=router.watch,
                         undeliverable=notices.undeliverable)

    async def unreadable(sender_id: str, room_id: str, event_id: str, sent_ms: int) -> None:
        await notices.unreadable(sender_id, room_id, event_id,
                                 datetime.fromtimestamp(sent_ms / 1000, UTC))

    def stage(session: Session, what: str, room_id: str | None, replies: list[Reply]) -> None:
        outbox.stage(session, outgoing(replies, room_id=room_id or "", event_id=None,
                                       now=clock.now(), txn_key=what))

    runner = JobRunner(db=db, clock=clock, handlers=router.registry.job_handler,
                       context_for=router.job_context, stage=stage)
    scheduler = Scheduler(db=db, clock=clock, runner=runner, after_run=sender.wake,
                          horizon=DEFAULT_HORIZON if options.scheduler_horizon is None
                          else options.scheduler_horizon)
    router.jobs.armed = scheduler.armed

    def ready() -> None:
        scheduler.start()
        starting = asyncio.get_running_loop().create_task(_start_hooks(router))
        background.add(starting)
        starting.add_done_callback(background.discard)
        if options.ready is not None:
            options.ready.set()

    loop = SyncLoop(
        client=client, router=router, db=db, sender=sender, invites=invites,
        late_keys=LateKeys(client, on_give_up=unreadable), clock=clock, stats=options.stats,
        options=options.sync, is_reserved=reserved, on_ready=ready, started=started,
        notices=notices,
    )
    return Runtime(loop=loop, sender=sender, scheduler=scheduler)


class _StartFailed(Exception):
    """The database cannot be used; the message is the one line for the operator."""


@dataclass
class _Loaded:
    db: Database
    registry: Registry


def _load(config: Config, registry: Registry | Callable[[], Registry]) -> _Loaded:
    """SQLAlchemy, the models, the handlers and the rest of the runtime; the schema brought
    up to date. Runs in a thread, so a restart's first sync need not wait for it."""
    from sqlalchemy.exc import OperationalError

    from bot.db.migrate import SchemaError, upgrade

    try:
        upgrade(config.database.url)
    except SchemaError as err:
        raise _StartFailed(str(err)) from None
    except OperationalError as err:
        raise _StartFailed(f"cannot open the database {config.database.url.split('://')[0]}:// "
                           f"({err.orig}); check database.url") from None
    # What the event loop would otherwise import when it builds the runtime.
    import bot.matrix.rooms
    import bot.matrix.sync
    import bot.router
    import bot.scheduler  # noqa: F401
    from bot.db import Database

    built = registry if isinstance(registry, Registry) else registry()
    return _Loaded(Database(config.database.url), built)


async def _settled(loading: asyncio.Future[_Loaded]) -> _Loaded | None:
    """The thread's result once it has ended, whatever ended it (for closing the database)."""
    await asyncio.wait({loading})
    if loading.cancelled() or loading.exception() is not None:
        return None
    return loading.result()


async def run_bot(
    config: Config,
    registry: Registry | Callable[[], Registry],
    *,
    stop: asyncio.Event | None = None,
    options: RuntimeOptions | None = None,
) -> int:
    """Run until ``stop`` is set; 0 after a clean stop, 1 when the bot cannot (go on) run.

    ``registry`` holds the commands, hooks and job handlers (``bot.cli`` picks the areas);
    given as a function that builds it, it is built in the loading thread.
    """
    started = time.monotonic()
    stop = stop or asyncio.Event()
    options = options or RuntimeOptions()
    _quiet_nio()
    since = stored_position(config.database.url)
    early = since is not None  # a restart on SQLite: sync while SQLAlchemy loads
    loading = asyncio.ensure_future(asyncio.to_thread(_load, config, registry))
    client: AsyncClient | None = None
    prefetched: Prefetched | None = None
    try:
        if not early:
            await loading
        client = new_client(config.matrix)
        watch_rate_limits(client, options.stats)
        try:
            logged_in = await _log_in(client, config, stop)
        except LoginFailed as err:
            await loading  # a database that cannot be used is said first, as before
            return _fail(str(err))
        if not logged_in:
            await loading
            return 0
        staff_room_id = None
        if config.bot.staff_room:
            staff_room_id = await join_staff_room(client, config.bot.staff_room)
        if early:
            prefetched = Prefetched(since, start_sync(client, options.sync, since, first=True))
        loaded = await loading
        return await _run_loaded(client, loaded, config, options, stop, started,
                                 staff_room_id, prefetched)
    except _StartFailed as err:
        return _fail(str(err))
    finally:
        if prefetched is not None:
            prefetched.discard()
        if client is not None:
            await client.close()
        done = await _settled(loading)
        if done is not None:
            done.db.dispose()


async def _run_loaded(client: AsyncClient, loaded: _Loaded, config: Config,
                      options: RuntimeOptions, stop: asyncio.Event, started: float,
                      staff_room_id: str | None, prefetched: Prefetched | None) -> int:
    from bot.clock import SystemClock
    from bot.matrix import ledger
    from bot.matrix.outbox import Outbox
    from bot.matrix.rooms import MatrixRooms
    from bot.matrix.sync import TokenRevoked
    from bot.router import Router

    db = loaded.db
    router = Router(loaded.registry, db, MatrixRooms(client), config, SystemClock())
    router.staff_room_id = staff_room_id
    pruned = ledger.prune_handled(db)
    if pruned:
        log.info("forgot %d old handled-event ids", pruned)
    forgotten = Outbox(db).prune_set_aside(router.clock.now())
    if forgotten:
        log.info("forgot %d messages set aside more than a week ago", forgotten)
    router.watch.load(db)
    runtime = _runtime(client, router, db, config, options, started)
    log.info("running as %s (device %s); syncing", client.user_id, client.device_id)
    try:
        await _run_until_stopped(runtime.loop, stop, options.shutdown_grace, prefetched)
    except TokenRevoked as err:
        return _fail(f"the homeserver no longer accepts the bot's access token ({err}); "
                     "set matrix.password to log in again, or give a new "
                     "matrix.access_token")
    finally:
        runtime.scheduler.shutdown()
        runtime.sender.stop()
    log.info("stopped")
    return 0


async def _run_until_stopped(loop: SyncLoop, stop: asyncio.Event, grace: float,
                             prefetched: Prefetched | None = None) -> None:
    syncing = asyncio.create_task(loop.run(stop, prefetched), name="salonbot-sync")
    stopping = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({syncing, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not syncing.done():
            try:
                await asyncio.wait_for(syncing, grace)
            except TimeoutError:
                log.warning("stopped in the middle of a batch; it is handled at the next start")
    finally:
        stopping.cancel()
        if not syncing.done():
            syncing.cancel()
            await asyncio.wait({syncing})
    if not syncing.cancelled():
        syncing.result()  # raises what ended the loop (TokenRevoked)


async def _main_with_signals(config: Config,
                             registry: Registry | Callable[[], Registry]) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(signum: signal.Signals) -> None:
        log.info("received %s; stopping", signum.name)
        stop.set()

    signals = (signal.SIGTERM, signal.SIGINT)
    for signum in signals:
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        return await run_bot(config, registry, stop=stop)
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


def main(config: Config, registry: Registry | Callable[[], Registry]) -> int:
    """Entry for ``salonbot run``: SIGTERM and SIGINT stop the bot cleanly with exit code 0.

    Pass ``build_registry`` itself rather than its result, and the handlers load while the
    bot logs in and syncs."""
    return asyncio.run(_main_with_signals(config, registry))


if __name__ == "__main__":
    from bot.cli import main as cli_main

    sys.exit(cli_main(["run", *sys.argv[1:]]))
