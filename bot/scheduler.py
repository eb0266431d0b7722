"""The runtime's timers for scheduled jobs, on APScheduler 3 (``AsyncIOScheduler``).

APScheduler holds nothing of its own: every job is a row of ``scheduled_jobs`` (``bot.jobs``),
and APScheduler only holds in-memory timers that say "run row N at revision R at time T".
So forget-me and docs/privacy.md reach everything the bot will do (a pickled job store whose
arguments held user ids would not), a restart rebuilds the timers from the rows, and a timer
whose row changed since (rescheduled, cancelled, done) does nothing when it fires.

Only the jobs due within ``horizon`` get a timer; a refill every ``horizon / 2`` arms the
next ones. So ten thousand reminders over the coming months cost one query at start, not
ten thousand timers. A row that fell due while the bot was down gets a timer for now, and
``JobRunner`` runs it once if it is still useful (else skips and logs it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.db import Database, is_transient
from bot.jobs import RETRY_AFTER_DB_FAILURE, JobRunner, Timer, pending_timers

log = logging.getLogger("salonbot.scheduler")

#: Timers are set for the jobs due this soon (and refilled every half of it). Short, so that
#: ten thousand jobs due in the next quarter of an hour never block the loop at once.
DEFAULT_HORIZON = timedelta(minutes=2)


class _OneWakeup(AsyncIOScheduler):
    """APScheduler wakes itself with ``call_soon_threadsafe`` for every job added, which
    writes a byte into the event loop's self-pipe each time; a few hundred at once fill the
    pipe, and the loop reads signal numbers from that same pipe, so a SIGTERM arriving then
    was lost. Here a wake-up is queued only when none is pending."""

    _wakeup_queued = False

    def wakeup(self) -> None:
        if self._wakeup_queued:
            return
        self._wakeup_queued = True
        self._eventloop.call_soon_threadsafe(self._wake_now)

    def _wake_now(self) -> None:
        self._wakeup_queued = False
        self._stop_timer()
        self._start_timer(self._process_jobs())


class Scheduler:
    def __init__(self, *, db: Database, clock: Clock, runner: JobRunner,
                 after_run: Callable[[], None] | None = None,
                 horizon: timedelta = DEFAULT_HORIZON) -> None:
        self.db = db
        self.clock = clock
        self.runner = runner
        self.after_run = after_run
        self.horizon = horizon
        self._aps: AsyncIOScheduler | None = None
        self._armed_until: datetime | None = None
        self._running: set[asyncio.Task[None]] = set()
        self._timers: dict[int, int] = {}  # job id -> the revision its timer is for

    @property
    def started(self) -> bool:
        return self._aps is not None

    def start(self) -> int:
        """Starts the timers (after the first sync); returns how many were set now."""
        self._aps = _OneWakeup(timezone=UTC, job_defaults={
            "misfire_grace_time": None, "coalesce": True, "max_instances": 1})
        self._aps.start()
        self._aps.add_job(self._refill, IntervalTrigger(seconds=self.horizon.total_seconds() / 2,
                                                       timezone=UTC),
                          id="salonbot-refill", replace_existing=True)
        armed = self.refill()
        log.info("scheduler started: %d job(s) due within %s", armed, self.horizon)
        return armed

    async def _refill(self) -> None:
        # A coroutine, so APScheduler runs it in the event loop and not in a thread.
        try:
            self.refill()
        except Exception as err:
            if not is_transient(err):
                raise
            log.warning("refill postponed: the database is away (%s)", type(err).__name__)

    def refill(self) -> int:
        """Timers for every pending job due within the horizon."""
        until = self.clock.now() + self.horizon
        armed, after = 0, 0
        while True:
            timers = pending_timers(self.db, until, after_id=after)
            for timer in timers:
                self._set(timer)
            armed += len(timers)
            if len(timers) < 5000:
                break
            after = timers[-1].job_id
        self._armed_until = until
        return armed

    def armed(self, job_id: int, revision: int, due_at: datetime) -> None:
        """``Jobs.armed``: a job was scheduled or moved. Within the horizon it gets a timer
        now; later ones are armed by a refill."""
        if self._aps is None or self._armed_until is None or due_at > self._armed_until:
            return
        self._set(Timer(job_id, revision, due_at))

    def _set(self, timer: Timer, *, at: datetime | None = None) -> None:
        assert self._aps is not None
        if at is None and self._timers.get(timer.job_id) == timer.revision:
            return  # a refill finding a job whose timer is set already
        self._timers[timer.job_id] = timer.revision
        when = max(at or timer.due_at, self.clock.now())
        self._aps.add_job(self._fire, DateTrigger(run_date=when, timezone=UTC),
                          args=(timer,), id=f"job-{timer.job_id}", replace_existing=True)

    async def _fire(self, timer: Timer) -> None:
        if self._timers.get(timer.job_id) == timer.revision:
            del self._timers[timer.job_id]
        try:
            outcome = await self.runner.run(timer.job_id, timer.revision)
        except Exception as err:
            if not is_transient(err):
                log.exception("job %d could not be run", timer.job_id)
                return
            log.warning("job %d waits for the database (%s); trying again in %s",
                        timer.job_id, type(err).__name__, RETRY_AFTER_DB_FAILURE)
            if self._aps is not None:
                self._set(timer, at=self.clock.now() + RETRY_AFTER_DB_FAILURE)
            return
        if outcome == "early":
            # Moved later without a new revision cannot happen; a clock that jumped back can.
            log.info("job %d is not due yet; the next refill arms it", timer.job_id)
        if outcome == "done" and self.after_run is not None:
            self.after_run()

    def shutdown(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
