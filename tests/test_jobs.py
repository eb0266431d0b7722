"""Scheduled work as rows: asked for through the port, run exactly once by the one runner,
with the one clock; and APScheduler's timers that only point at rows."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chat_helpers import ANNA, NOW, open_salon, start_chat
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.chat import ChatSession
from bot.clock import FixedClock, SystemClock
from bot.commands import CommandSpec, Registry
from bot.context import Context
from bot.db import Database, JobState, ScheduledJob
from bot.db.migrate import upgrade
from bot.jobs import JobRunner, Jobs
from bot.parser import ParsedCommand
from bot.replies import Reply
from bot.scheduler import Scheduler
from handlers import build_registry

RAN: list[str] = []


def registry_with_reminders() -> Registry:
    """The real commands, plus ``remind <minutes> <text>`` (a job) and the job's handler."""
    registry = build_registry()

    async def remind(command: ParsedCommand, ctx: Context) -> Reply:
        minutes, text = int(command.args[0]), " ".join(command.args[1:])
        due = ctx.clock.now() + timedelta(minutes=minutes)
        ctx.jobs.schedule(ctx.session, kind="test.remind", key=f"{ctx.room_id}:{text}",
                          due_at=due, room_id=ctx.room_id, person=ctx.sender,
                          useful_until=due + timedelta(minutes=30), payload={"text": text})
        return Reply(f"ok {text}")

    async def forget(command: ParsedCommand, ctx: Context) -> Reply:
        text = " ".join(command.args)
        gone = ctx.jobs.cancel(ctx.session, kind="test.remind", key=f"{ctx.room_id}:{text}")
        return Reply(f"cancelled {gone}")

    async def fire(ctx: Context) -> Reply:
        assert ctx.job is not None
        RAN.append(ctx.job.key)
        text = ctx.job.payload.split('"text": "')[1].split('"')[0]
        return Reply(f"Påmindelse: {text} ({ctx.t.lang})")

    registry.add(CommandSpec(name="remind", handler=remind, usage="{prefix} remind", summary="."))
    registry.add(CommandSpec(name="forget", handler=forget, usage="{prefix} forget", summary="."))
    registry.job("test.remind", fire)
    return registry


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def chat(tmp_path: Path, clock: FixedClock) -> Iterator[ChatSession]:
    RAN.clear()
    session = start_chat(tmp_path, clock=clock, registry=registry_with_reminders())
    yield session
    session.close()


async def test_a_job_runs_when_the_clock_reaches_it_in_the_salons_language(
        chat: ChatSession, clock: FixedClock) -> None:
    room = await open_salon(chat)
    assert (await chat.say(ANNA, room, "!salon remind 60 kaffe")).text == "ok kaffe"
    assert (await chat.wait("59m")).replies == [], "not before its time"
    turn = await chat.wait("1m")
    assert [(r.body, r.room_id) for r in turn.replies] == [("Påmindelse: kaffe (da)", room)]
    assert (await chat.wait("2h")).replies == [], "once"


async def test_asking_again_moves_the_one_job_and_cancel_takes_it_back(
        chat: ChatSession) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, "!salon remind 10 kaffe")
    await chat.say(ANNA, room, "!salon remind 20 kaffe")  # the same job, later
    assert (await chat.wait("15m")).replies == []
    assert [r.body for r in (await chat.wait("5m")).replies] == ["Påmindelse: kaffe (da)"]
    await chat.say(ANNA, room, "!salon remind 10 te")
    assert (await chat.say(ANNA, room, "!salon forget te")).text == "cancelled True"
    assert (await chat.wait("1h")).replies == []
    with chat.db.session() as session:
        states = dict(session.execute(select(ScheduledJob.key, ScheduledJob.state)
                                      .where(ScheduledJob.kind == "test.remind")).all())
    assert states == {f"{room}:kaffe": "done", f"{room}:te": "cancelled"}


async def test_an_old_timer_does_nothing_and_a_job_runs_once(chat: ChatSession,
                                                             clock: FixedClock) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, "!salon remind 10 kaffe")
    with chat.db.session() as session:
        job = session.scalars(select(ScheduledJob)
                              .where(ScheduledJob.kind == "test.remind")).one()
        first = (job.id, job.revision)
    await chat.say(ANNA, room, "!salon remind 30 kaffe")  # rescheduled: revision 2
    clock.advance(minutes=31)
    runner = chat.job_runner
    assert await runner.run(*first) == "stale", "the timer of the old revision"
    assert await runner.run(first[0], first[1] + 1) == "done"
    assert await runner.run(first[0], first[1] + 1) == "stale", "a second firing"
    assert [f"{room}:kaffe"] == RAN


async def test_a_job_that_is_no_use_any_more_is_skipped_and_logged(
        chat: ChatSession, clock: FixedClock, caplog: pytest.LogCaptureFixture) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, "!salon remind 10 kaffe")
    clock.advance(hours=2)  # the bot was down past useful_until
    assert await chat.job_runner.run_due() == ["skipped"]
    assert RAN == []
    assert any("fell due" in r.getMessage() and "skipped" in r.getMessage()
               for r in caplog.records)


def _runner(db: Database, clock: FixedClock, handler: object) -> JobRunner:
    registry = Registry()
    registry.job("k", handler)  # type: ignore[arg-type]

    def context_for(session: object, job: ScheduledJob) -> object:
        return object()

    return JobRunner(db=db, clock=clock, handlers=registry.job_handler,
                     context_for=context_for, stage=lambda *_: None)  # type: ignore[arg-type]


def _one_job(db: Database, clock: FixedClock) -> tuple[int, int]:
    jobs = Jobs(clock)
    with db.session() as session:
        job = jobs.schedule(session, kind="k", key="1", due_at=clock.now())
        return job.id, job.revision


async def test_a_failing_database_leaves_the_job_pending_and_a_bug_sets_it_aside(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    upgrade(url)
    db, clock = Database(url), FixedClock(NOW)
    job_id, revision = _one_job(db, clock)

    async def locked(_ctx: object) -> None:
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    with pytest.raises(OperationalError):
        await _runner(db, clock, locked).run(job_id, revision)
    with db.session() as session:
        assert session.get(ScheduledJob, job_id).state == JobState.PENDING.value

    async def bug(_ctx: object) -> None:
        raise KeyError("a bug")

    assert await _runner(db, clock, bug).run(job_id, revision) == "failed"
    with db.session() as session:
        assert session.get(ScheduledJob, job_id).state == JobState.FAILED.value
    db.dispose()


async def test_the_scheduler_fires_rows_due_soon_and_ignores_moved_ones(tmp_path: Path) -> None:
    """APScheduler holds timers only; a row moved past the horizon loses its timer's effect,
    a row due now runs within a moment, one overdue since a restart runs at start."""
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    upgrade(url)
    db, clock = Database(url), SystemClock()
    jobs = Jobs(clock)
    fired: list[tuple[str, float]] = []

    async def fire(ctx: Context) -> None:
        assert ctx.job is not None
        fired.append((ctx.job.key, (clock.now() - ctx.job.due_at).total_seconds()))

    registry = Registry()
    registry.job("k", fire)

    def context_for(session: object, job: ScheduledJob) -> object:
        return type("Ctx", (), {"job": job})()

    runner = JobRunner(db=db, clock=clock, handlers=registry.job_handler,
                       context_for=context_for, stage=lambda *_: None)  # type: ignore[arg-type]
    now = clock.now()
    with db.session() as session:
        jobs.schedule(session, kind="k", key="overdue", due_at=now - timedelta(hours=1))
        jobs.schedule(session, kind="k", key="moved", due_at=now + timedelta(seconds=0.4))
        jobs.schedule(session, kind="k", key="far", due_at=now + timedelta(days=30))
    scheduler = Scheduler(db=db, clock=clock, runner=runner)
    jobs.armed = scheduler.armed
    assert scheduler.start() == 2, "only the jobs due within the horizon get a timer"
    with db.session() as session:
        jobs.schedule(session, kind="k", key="moved", due_at=now + timedelta(days=1))
        jobs.schedule(session, kind="k", key="soon", due_at=clock.now() + timedelta(seconds=0.3))
    deadline = time.monotonic() + 5
    while len(fired) < 2 and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.5)
    scheduler.shutdown()
    assert [key for key, _ in fired] == ["overdue", "soon"]
    assert fired[1][1] < 0.5, f"lateness {fired[1][1]:.3f} s"
    db.dispose()


def test_a_job_needs_an_aware_time(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    upgrade(url)
    db = Database(url)
    with pytest.raises(ValueError), db.session() as session:
        Jobs(FixedClock(NOW)).schedule(session, kind="k", key="1",
                                       due_at=datetime(2026, 1, 1))  # noqa: DTZ001
    assert NOW.tzinfo is UTC
    db.dispose()
