"""Future work as rows: the port handlers use to ask for it, and the one way it is run.

A job is a row of ``scheduled_jobs``, named for what it is (``kind`` and ``key``, e.g.
``meeting.reminder`` / ``meeting:12:3600``), due at a time, perhaps useful only until another
(a reminder is no use once the meeting has started). Handlers never see APScheduler: they
call ``Jobs.schedule`` and ``Jobs.cancel`` inside their transaction, and whoever runs the
bot turns due rows into calls of the job handlers registered for their kind
(``Registry.job``): ``bot.scheduler`` with APScheduler in the Matrix runtime, ``run_due`` in
the terminal chat and the tests, with the one clock.

Running a job is one transaction: the row is checked (still pending, the same revision),
the handler's replies are staged in the outbox with transaction ids derived from the job
and its due time, and the row is marked done. So a job that fires twice sends once, a
rescheduled or cancelled job's old timer does nothing, and a crash anywhere either leaves
the job pending (it runs again) or done with its messages in the outbox (they are sent).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import Database, JobState, ScheduledJob, is_transient
from bot.db.session import after_commit
from bot.replies import Reply

if TYPE_CHECKING:
    from bot.context import Context

log = logging.getLogger("salonbot.jobs")

#: A handler that fails with a bug is not tried again (it would fail the same way).
#: A database that is away is: the job stays pending and its timer is set again.
RETRY_AFTER_DB_FAILURE = timedelta(seconds=5)

#: Called after commit with (job id, revision, due time): the runtime sets a timer.
Armed = Callable[[int, int, datetime], None]


@dataclass(frozen=True)
class Timer:
    job_id: int
    revision: int
    due_at: datetime


def job_transaction_key(job: ScheduledJob) -> str:
    """What the job's messages are: the job, and the time it was for. The outbox derives
    their transaction ids from this, so a job run twice is sent once."""
    return f"job\x00{job.kind}\x00{job.key}\x00{job.due_at.isoformat()}"


class Jobs:
    """The port: ask for future work and take it back, inside the caller's transaction."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.armed: Armed | None = None

    def schedule(self, session: Session, *, kind: str, key: str, due_at: datetime,
                 room_id: str | None = None, person: str | None = None,
                 useful_until: datetime | None = None,
                 payload: dict[str, Any] | None = None) -> ScheduledJob:
        """Due at ``due_at``; asking again for the same kind and key moves the one job."""
        if due_at.tzinfo is None:
            raise ValueError("a job needs an aware due time")
        job = session.scalar(select(ScheduledJob).where(ScheduledJob.kind == kind,
                                                        ScheduledJob.key == key))
        data = json.dumps(payload or {}, ensure_ascii=False, sort_keys=True, default=str)
        if job is None:
            job = ScheduledJob(kind=kind, key=key, revision=1, attempts=0,
                               created_at=self.clock.now())
            session.add(job)
        else:
            job.revision += 1
        job.room_id, job.person, job.payload = room_id, person, data
        job.due_at, job.useful_until = due_at, useful_until
        job.state, job.attempts, job.finished_at = JobState.PENDING.value, 0, None
        session.flush()
        timer = Timer(job.id, job.revision, job.due_at)
        after_commit(session, lambda: self._arm(timer))
        return job

    def cancel(self, session: Session, *, kind: str, key: str) -> bool:
        """True when a pending job was taken back; its timer then does nothing."""
        return self._cancel(session, ScheduledJob.kind == kind, ScheduledJob.key == key) > 0

    def cancel_prefix(self, session: Session, *, kind: str, key_prefix: str) -> int:
        """Takes back every pending job of ``kind`` whose key starts with ``key_prefix``
        (all reminders of one meeting, say)."""
        return self._cancel(session, ScheduledJob.kind == kind,
                            ScheduledJob.key.startswith(key_prefix))

    def _cancel(self, session: Session, *where: ColumnElement[bool]) -> int:
        moved = session.execute(
            update(ScheduledJob)
            .where(*where, ScheduledJob.state == JobState.PENDING.value)
            .values(state=JobState.CANCELLED.value, revision=ScheduledJob.revision + 1,
                    finished_at=self.clock.now()))
        return int(getattr(moved, "rowcount", 0) or 0)

    def _arm(self, timer: Timer) -> None:
        if self.armed is not None:
            self.armed(timer.job_id, timer.revision, timer.due_at)


JobHandler = Callable[["Context"], Awaitable["Reply | list[Reply] | None"]]
#: Builds the context a job handler gets (the router knows languages and salons).
ContextFor = Callable[[Session, ScheduledJob], "Context"]
#: Stages the job's replies in the outbox, in the job's transaction: (session, what the
#: messages are — see ``job_transaction_key`` —, the job's room, the replies).
Stage = Callable[[Session, str, str | None, list[Reply]], None]


class JobRunner:
    """Runs one job by id and revision, exactly once: the one code path for every runner."""

    def __init__(self, *, db: Database, clock: Clock, handlers: Callable[[str], JobHandler | None],
                 context_for: ContextFor, stage: Stage) -> None:
        self.db = db
        self.clock = clock
        self.handlers = handlers
        self.context_for = context_for
        self.stage = stage

    async def run(self, job_id: int, revision: int) -> str:
        """What became of the job: ``done``, ``skipped``, ``failed``, ``stale`` (changed,
        cancelled or done since the timer was set) or ``early`` (not due yet)."""
        async with self.db.unit() as session:
            job = session.get(ScheduledJob, job_id)
            if job is None or job.state != JobState.PENDING.value or job.revision != revision:
                return "stale"
            now = self.clock.now()
            if job.due_at > now:
                return "early"
            if job.useful_until is not None and now >= job.useful_until:
                log.warning("job %s %s fell due at %s while the bot was away and is of no use "
                            "now (it was useful until %s); skipped", job.kind, job.key,
                            job.due_at.isoformat(), job.useful_until.isoformat())
                self._finish(job, JobState.SKIPPED, now)
                return "skipped"
            handler = self.handlers(job.kind)
            if handler is None:
                log.error("no handler for job kind %s (job %s); set aside", job.kind, job.key)
                self._finish(job, JobState.FAILED, now)
                return "failed"
            job.attempts += 1
            # Taken before the handler runs: a job that schedules its own next run (a daily
            # sweep) moves its row, but what this run sends is for this run's time.
            what, room_id, due_at = job_transaction_key(job), job.room_id, job.due_at
            try:
                with session.begin_nested():
                    result = await handler(self.context_for(session, job))
            except Exception as err:
                if is_transient(err):
                    raise
                log.exception("job %s %s failed ref=%s; set aside", job.kind, job.key,
                              secrets.token_hex(4))
                self._finish(job, JobState.FAILED, now)
                return "failed"
            replies = [] if result is None else [result] if isinstance(result, Reply) \
                else list(result)
            self.stage(session, what, room_id, replies)
            log.info("job %s %s done, %.3f s after it was due", job.kind, job.key,
                     (now - due_at).total_seconds())
            if job.revision == revision:
                self._finish(job, JobState.DONE, now)
            # else the handler asked for its own next run: the row is pending again.
            return "done"

    @staticmethod
    def _finish(job: ScheduledJob, state: JobState, now: datetime) -> None:
        job.state = state.value
        job.finished_at = now

    async def run_due(self) -> list[str]:
        """Every pending job that is due by the clock, oldest first (the terminal chat and
        the tests move the clock, then call this)."""
        with self.db.session() as session:
            due = session.execute(
                select(ScheduledJob.id, ScheduledJob.revision)
                .where(ScheduledJob.state == JobState.PENDING.value,
                       ScheduledJob.due_at <= self.clock.now())
                .order_by(ScheduledJob.due_at, ScheduledJob.id)).all()
        return [await self.run(job_id, revision) for job_id, revision in due]


def pending_timers(db: Database, until: datetime, after_id: int = 0,
                   limit: int = 5000) -> list[Timer]:
    """Pending jobs due by ``until`` (a page at a time), for a runner to set timers for."""
    with db.session() as session:
        rows = session.execute(
            select(ScheduledJob.id, ScheduledJob.revision, ScheduledJob.due_at)
            .where(ScheduledJob.state == JobState.PENDING.value,
                   ScheduledJob.due_at <= until, ScheduledJob.id > after_id)
            .order_by(ScheduledJob.id).limit(limit)).all()
    return [Timer(int(job_id), int(revision), due_at) for job_id, revision, due_at in rows]
