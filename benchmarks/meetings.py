"""Meetings (issue 8): ``schedule`` against ``info``, start-up with 10,000 meetings, and how
late reminders are.

One private Synapse (rate limits off) and salonbot as the operator runs it (``salonbot run
-c``, SQLite in a temporary directory). One citizen opens a direct chat with the bot and a
few salons there (``!salon open``), so it is the host of each and may schedule.

1. **Start-up with meetings.** 10,000 meetings with two reminders each (and the nudge after
   each, as ``schedule`` leaves it) written straight into ``meetings`` and
   ``scheduled_jobs`` the way ``handlers.reminders.plan`` leaves them, over the salons; 10 %
   of the meetings begin in a little over 24 hours, so their 24-hour reminder falls due
   inside the scheduler's horizon (``bot.scheduler.DEFAULT_HORIZON``), at half to nine
   tenths of it from the write (a timer each at start, none fires during the measurement);
   the rest begin 2–90 days ahead. The bot is stopped
   and started in pairs: once with the database empty of meetings and jobs, once with
   them (written afresh before each start, so the near ones stay 10–14 minutes away), the
   order alternating. Time from process start to ``first sync handled`` and to ``scheduler
   started``; the difference is per pair.
2. **Round trip.** Each round the host sends ``!salon info`` and ``!salon planlæg <ISO
   time> sted "Biblioteket" : Møde <n>`` into the salon in a random order, 20–60 ms apart;
   each schedule is a new time and so a new meeting. Times from ``room_send`` to the first
   reply (the confirmation) in the host's own sync, and to the second (the announcement).
   First in a plain salon, then (the bot restarted with ``encrypt_new_rooms: true``) in an
   encrypted one.
3. **Reminder lateness.** The bot restarted with ``reminders.before: ["5s"]`` through
   ``benchmarks/scheduled_bot.py`` (``salonbot run`` plus the ``bench.ping`` job kind), with
   scheduled sends at the rate of ``benchmarks/scheduled.py`` (10,000 per 10 minutes) into
   rooms of the bot's own, due over a window; the host schedules meetings by command whose
   reminders fall due over the same window. Lateness is the reminder's ``origin_server_ts``
   minus its due time (the meeting's start minus 5 s); the pings' the same way.

    .venv/bin/python benchmarks/meetings.py            # ≈ 8 min
    .venv/bin/python benchmarks/meetings.py --quick    # ≈ 3 min

Prints Markdown tables and writes every sample to
``benchmarks/results-meetings-<date>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from _procs import BotProcess
from _report import machine, machine_line
from _salonbench import (
    READY,
    SCHEDULER_READY,
    Api,
    Citizen,
    Command,
    in_workdir,
    jsonable,
    log_in_citizens,
    open_lobby,
    open_salon,
    paired_rounds,
    percentile,
    ratio_rows,
    ratio_table,
    salonbot_command,
    scheduled_bot_command,
    write_config,
)
from _stats import median, summarise

from bot.localserver import LocalSynapse

HERE = Path(__file__).resolve().parent
ZONE = ZoneInfo("Europe/Copenhagen")  # bot.timezone's default, the salons' zone
REMINDER, NUDGE = "meeting.reminder", "meeting.nudge"
MARK = "bench-startup"
GOAL_SCHEDULE = 1.2
GOAL_STARTUP_S = 0.3
GOAL_P99_S = 1.0
PING = "bench.ping"
TITLE = re.compile(r"\bL\d{3}\b")
SHOWN = {"info": "`!salon info`", "schedule": "`!salon planlæg <ISO> sted … : …`"}

log = logging.getLogger("meetings")


@dataclass(frozen=True)
class Plan:
    salons: int = 10
    meetings: int = 10_000
    soon_share: float = 0.10  # meetings whose 24 h reminder is due inside the horizon
    nudges: bool = True
    pairs: int = 5
    sigterm_checks: int = 2
    warmup: int = 3
    rounds: int = 150
    encrypted: bool = False
    #: Also the round trip in an encrypted salon (the bot restarted with encrypt_new_rooms).
    encrypted_too: bool = True
    reminders: int = 60  # meetings scheduled for the lateness run
    window_s: float = 180.0
    ping_rate: float = 10_000 / 600  # scheduled.py's rate
    ping_rooms: int = 100


QUICK = Plan(salons=3, pairs=2, sigterm_checks=1, warmup=1, rounds=20, reminders=15, window_s=60.0,
             ping_rooms=20)


# ---------------------------------------------------------------- the database


def _engine(db: Path) -> Any:
    from sqlalchemy import create_engine

    return create_engine(f"sqlite:///{db}", connect_args={"timeout": 30})


def salon_ids(db: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        return [int(r[0]) for r in connection.execute("SELECT id FROM salons ORDER BY id")]


def clear_meetings(db: Path) -> int:
    """Takes out the meetings written by ``insert_meetings`` and their jobs."""
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection, connection:
        ids = [r[0] for r in connection.execute("SELECT id FROM meetings WHERE title LIKE ?",
                                                (MARK + "%",))]
        connection.execute(
            "DELETE FROM scheduled_jobs WHERE kind IN (?, ?) AND "
            "CAST(json_extract(payload, '$.meeting') AS INTEGER) IN "
            "(SELECT id FROM meetings WHERE title LIKE ?)", (REMINDER, NUDGE, MARK + "%"))
        connection.execute("DELETE FROM meetings WHERE title LIKE ?", (MARK + "%",))
    return len(ids)


def insert_meetings(db: Path, salons: list[int], host: str, plan: Plan) -> dict[str, Any]:
    """``plan.meetings`` meetings over ``salons``, each with its two reminders (24 h and 1 h
    before, the default ``reminders.before``) and, with ``plan.nudges``, the nudge at its end,
    as rows the way ``handlers.reminders.plan`` leaves them."""
    from sqlalchemy import insert, select, text

    from bot.db import JobState, Meeting, MeetingStatus, ScheduledJob
    from bot.scheduler import DEFAULT_HORIZON as horizon

    now = dt.datetime.now(dt.UTC)
    rng = random.Random(plan.meetings)
    soon = int(plan.meetings * plan.soon_share)
    engine = _engine(db)
    started = time.perf_counter()
    try:
        with engine.begin() as connection:
            first = {s: int(connection.scalar(
                select(Meeting.number).where(Meeting.salon_id == s)
                .order_by(Meeting.number.desc()).limit(1)) or 0) for s in salons}
            rows, count = [], Counter[int]()
            for i in range(plan.meetings):
                salon = salons[i % len(salons)]
                count[salon] += 1
                if i < soon:  # the 24 h reminder inside the scheduler's horizon
                    start = now + dt.timedelta(hours=24) + horizon * (0.5 + 0.4 * rng.random())
                else:
                    start = now + dt.timedelta(days=2 + 88 * rng.random())
                start = start.replace(microsecond=0)
                rows.append({
                    "salon_id": salon, "number": first[salon] + count[salon], "series_id": None,
                    "title": f"{MARK} {i}", "place": "Biblioteket", "url": None,
                    "starts_at": start, "ends_at": start + dt.timedelta(hours=2),
                    "timezone": str(ZONE), "capacity": None,
                    "status": MeetingStatus.SCHEDULED.value, "sequence": 0, "created_by": host,
                    "created_at": now, "updated_at": now})
            connection.execute(insert(Meeting), rows)
            made = connection.execute(select(Meeting.id, Meeting.starts_at, Meeting.ends_at,
                                             Meeting.salon_id)
                                      .where(Meeting.title.like(MARK + "%"))).all()
            rooms = dict(connection.execute(text("SELECT id, room_id FROM salons")).all())
            jobs = []
            for meeting_id, starts, ends, salon in made:
                for offset in (86400, 3600):
                    jobs.append({
                        "kind": REMINDER, "key": f"meeting:{meeting_id}:{offset}",
                        "room_id": rooms[salon], "person": None,
                        "due_at": starts - dt.timedelta(seconds=offset), "useful_until": starts,
                        "payload": json.dumps({"meeting": meeting_id, "offset": offset}),
                        "state": JobState.PENDING.value, "revision": 1, "attempts": 0,
                        "created_at": now, "finished_at": None})
                if plan.nudges:
                    jobs.append({
                        "kind": NUDGE, "key": f"meeting:{meeting_id}", "room_id": rooms[salon],
                        "person": None, "due_at": ends,
                        "useful_until": ends + dt.timedelta(days=3),
                        "payload": json.dumps({"meeting": meeting_id}),
                        "state": JobState.PENDING.value, "revision": 1, "attempts": 0,
                        "created_at": now, "finished_at": None})
            connection.execute(insert(ScheduledJob), jobs)
    finally:
        engine.dispose()
    return {"meetings": len(made), "jobs": len(jobs), "within_horizon": soon,
            "write_s": time.perf_counter() - started}


# ---------------------------------------------------------------- 1. start-up


async def one_start(bot: BotProcess) -> dict[str, float]:
    await bot.stop()
    await asyncio.sleep(0.5)
    bot.start()
    first, line = await bot.wait_for(READY, timeout=120)
    scheduled, sline = await bot.wait_for(SCHEDULER_READY, timeout=120)
    # A SIGTERM right after the timers were set can be lost (see sigterm_after_start).
    await asyncio.sleep(1.0)
    reported = float(line.split("first sync handled", 1)[1].split()[0])
    armed = int(sline.split("scheduler started:", 1)[1].split()[0])
    return {"first_sync_s": first, "reported_s": reported, "scheduler_s": scheduled,
            "armed": armed, "rss_bytes": bot.rss()}


async def measure_startup(bot: BotProcess, db: Path, host: str, plan: Plan) -> dict[str, Any]:
    salons = salon_ids(db)
    clear_meetings(db)
    await one_start(bot)  # warm caches; not counted
    pairs: list[dict[str, Any]] = []
    writes: list[dict[str, Any]] = []
    for number in range(plan.pairs):
        pair: dict[str, Any] = {}
        for with_meetings in ((False, True) if number % 2 == 0 else (True, False)):
            await bot.stop()
            clear_meetings(db)
            if with_meetings:
                writes.append(insert_meetings(db, salons, host, plan))
            pair["with" if with_meetings else "without"] = await one_start(bot)
        log.info("start-up pair %d: without %.2f s, with %.2f s (scheduler %.2f / %.2f s)",
                 number + 1, pair["without"]["first_sync_s"], pair["with"]["first_sync_s"],
                 pair["without"]["scheduler_s"], pair["with"]["scheduler_s"])
        pairs.append(pair)
    sigterm = []
    for _ in range(plan.sigterm_checks):
        await bot.stop()
        clear_meetings(db)
        insert_meetings(db, salons, host, plan)
        sigterm.append(await sigterm_after_start(bot))
    await bot.stop()
    clear_meetings(db)
    bot.start()
    await bot.wait_for(READY, timeout=120)
    return {"pairs": pairs, "writes": writes, "salons": len(salons), "sigterm": sigterm}


async def sigterm_after_start(bot: BotProcess, within: float = 10.0) -> dict[str, Any]:
    """SIGTERM the moment the bot logs ``scheduler started`` (an operator's stop during a
    start): does it stop, or is it killed after ``within`` seconds?"""
    bot.start()
    await bot.wait_for(SCHEDULER_READY, timeout=120)
    sent = time.perf_counter()
    code = await bot.stop(timeout=within)
    return {"returncode": code, "stopped_after_s": time.perf_counter() - sent,
            "stopped_cleanly": code == 0}


def startup_report(result: dict[str, Any], plan: Plan) -> str:
    pairs = result["pairs"]

    def col(state: str, key: str) -> list[float]:
        return [p[state][key] for p in pairs]

    first_diff = [p["with"]["first_sync_s"] - p["without"]["first_sync_s"] for p in pairs]
    sched_diff = [p["with"]["scheduler_s"] - p["without"]["scheduler_s"] for p in pairs]
    write = result["writes"][0] if result["writes"] else {}
    write_s = median([w["write_s"] for w in result["writes"]])
    lines = [
        "| database | starts | → first sync handled (median) | min–max | as the bot reports it "
        "| → scheduler started (median) | timers set at start | RSS after start |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for state, label in (("without", "no meetings, no jobs"),
                         ("with", f"{write.get('meetings', 0):,} meetings, "
                                  f"{write.get('jobs', 0):,} jobs")):
        first = col(state, "first_sync_s")
        lines.append(
            f"| {label} | {len(first)} | {median(first):.2f} s | {min(first):.2f}–"
            f"{max(first):.2f} s | {median(col(state, 'reported_s')):.2f} s | "
            f"{median(col(state, 'scheduler_s')):.2f} s | "
            f"{int(median(col(state, 'armed')))} | "
            f"{median(col(state, 'rss_bytes')) / 2**20:.0f} MiB |")
    lines += [
        "",
        f"With − without, median of {len(pairs)} pairs: first sync "
        f"{median(first_diff):+.2f} s (pairs {', '.join(f'{d:+.2f}' for d in first_diff)}; "
        f"goal ≤ +{GOAL_STARTUP_S:.1f} s "
        f"{'✓' if median(first_diff) <= GOAL_STARTUP_S else '✗'}); scheduler started "
        f"{median(sched_diff):+.2f} s (pairs {', '.join(f'{d:+.2f}' for d in sched_diff)}). "
        f"{result['salons']} salons; the rows took {write_s:.1f} s to write; "
        f"{write.get('within_horizon', 0):,} reminders due inside the horizon.",
    ]
    checks = result.get("sigterm", [])
    if checks:
        lines += ["", f"SIGTERM sent the moment `scheduler started` was logged (with the "
                  f"meetings): {sum(c['stopped_cleanly'] for c in checks)} of {len(checks)} "
                  "stopped cleanly; stopped after "
                  + ", ".join(f"{c['stopped_after_s']:.1f} s (exit {c['returncode']})"
                              for c in checks) + "."]
    return "\n".join(lines)


# ---------------------------------------------------------------- 2. round trip


def schedule_text(number: int, base: dt.datetime) -> str:
    """A new time each round (7 minutes apart), in the salon's zone, as an ISO time."""
    local = base + dt.timedelta(minutes=7 * number)
    return (f'!salon planlæg {local.strftime("%Y-%m-%dT%H:%M")} sted "Biblioteket" '
            f": Møde {number}")


async def measure_roundtrip(host: Citizen, room_id: str, plan: Plan, seed: int,
                            label: str) -> dict[str, Any]:
    base = (dt.datetime.now(ZONE) + dt.timedelta(days=14)).replace(
        hour=8, minute=0, second=0, microsecond=0)
    commands = [Command("info", room_id, lambda n: "!salon info"),
                Command("schedule", room_id, lambda n: schedule_text(n, base), replies=2)]
    warm = await paired_rounds(host, commands, plan.warmup, seed=seed, record=True)
    bodies = {k: v[0] for k, v in warm.bodies.items()}
    if "Planlagt" not in bodies.get("schedule", ""):
        raise SystemExit(f"schedule was answered {bodies.get('schedule', '')[:300]!r}")
    if "Benchmark" not in bodies.get("info", ""):
        raise SystemExit(f"info was answered {bodies.get('info', '')[:300]!r}")
    started = time.monotonic()
    samples = await paired_rounds(host, commands, plan.rounds, seed=seed + 1,
                                  first_round=plan.warmup)
    log.info("%s: %d rounds in %.0f s", label, plan.rounds, time.monotonic() - started)
    rows = ratio_rows(samples, "info", ["schedule"], GOAL_SCHEDULE)
    return {"label": label, "rows": rows, "replies": bodies}


def roundtrip_report(result: dict[str, Any]) -> str:
    rows = result["rows"]
    sched = next(r for r in rows if r["command"] == "schedule")
    table = ratio_table(rows, SHOWN, label=result["label"])
    return (table + "\n\n" + f"`schedule` until its second reply (the announcement): p50 "
            f"{sched['complete'].p50 * 1000:.0f} ms, p95 {sched['complete'].p95 * 1000:.0f} ms.")


# ---------------------------------------------------------------- 3. lateness


def insert_pings(db: Path, rooms: list[str], count: int, first_due: dt.datetime,
                 window: float) -> dict[str, dt.datetime]:
    """``bench.ping`` jobs due evenly over the window, round-robin over ``rooms`` (as
    ``scheduled.py`` writes them)."""
    from sqlalchemy import insert

    from bot.db import JobState, ScheduledJob

    now = dt.datetime.now(dt.UTC)
    due = {f"ping:{i:05d}": first_due + dt.timedelta(seconds=window * i / count)
           for i in range(count)}
    rows = [{"kind": PING, "key": key, "room_id": rooms[int(key[5:]) % len(rooms)],
             "person": None, "due_at": at, "useful_until": None, "payload": "{}",
             "state": JobState.PENDING.value, "revision": 1, "attempts": 0,
             "created_at": now, "finished_at": None} for key, at in due.items()]
    engine = _engine(db)
    try:
        with engine.begin() as connection:
            if rows:
                connection.execute(insert(ScheduledJob), rows)
    finally:
        engine.dispose()
    return due


def pending(db: Path) -> tuple[int, int]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        jobs = connection.execute("SELECT count(*) FROM scheduled_jobs WHERE kind IN (?, ?) "
                                  "AND state = 'pending' AND due_at <= ?",
                                  (PING, REMINDER, (dt.datetime.now(dt.UTC) + dt.timedelta(
                                      seconds=1)).strftime("%Y-%m-%d %H:%M:%S"))).fetchone()[0]
        outbox = connection.execute("SELECT count(*) FROM outbox WHERE set_aside_at IS NULL"
                                    ).fetchone()[0]
    return int(jobs), int(outbox)


def job_states(db: Path) -> dict[str, dict[str, int]]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        out: dict[str, dict[str, int]] = {}
        for kind, state, n in connection.execute(
                "SELECT kind, state, count(*) FROM scheduled_jobs WHERE kind IN (?, ?) "
                "GROUP BY kind, state", (PING, REMINDER)):
            out.setdefault(kind, {})[state] = n
        return out


async def measure_lateness(bot: BotProcess, hs: LocalSynapse, home: Path, bot_id: str,
                           host: Citizen, salon: str, plan: Plan) -> dict[str, Any]:
    await bot.stop()
    write_config(home / "config.yaml", hs, bot_id, home, encrypt=plan.encrypted,
                 reminders={"before": ["5s"]})
    api = Api(hs, home / "store")
    with ThreadPoolExecutor(8) as pool:
        rooms = list(pool.map(lambda i: api.create_room(f"Scheduled {i:03d}"),
                              range(plan.ping_rooms)))
    lead = 40.0 + 1.0 * plan.reminders
    first_due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=lead)
    count = int(round(plan.ping_rate * plan.window_s))
    due = insert_pings(home / "salonbot.db", rooms, count, first_due, plan.window_s)
    bot.argv = scheduled_bot_command(home / "config.yaml")
    bot.start()
    await bot.wait_for(READY, timeout=120)
    await bot.wait_for(SCHEDULER_READY, timeout=120)
    # The meetings: reminders 5 s before each start, due evenly over the window.
    starts = {}
    for j in range(plan.reminders):
        start = (first_due + dt.timedelta(seconds=5 + plan.window_s * (j + 0.5)
                                          / plan.reminders)).replace(microsecond=0)
        local = start.astimezone(ZONE)
        title = f"L{j:03d}"
        _, seen = await host.ask(salon, f"!salon planlæg {local.strftime('%Y-%m-%dT%H:%M:%S')}"
                                 f" : {title}", timeout=60)
        if "Planlagt" not in seen.body:
            raise SystemExit(f"schedule for the lateness run was answered {seen.body[:300]!r}")
        starts[title] = start
    scheduled_by = time.time()
    log.info("%d meetings scheduled %.0f s before the first reminder", plan.reminders,
             (first_due + dt.timedelta(seconds=plan.window_s / plan.reminders / 2)).timestamp()
             - scheduled_by)
    await asyncio.sleep(max(0.0, first_due.timestamp() + plan.window_s - time.time()))
    deadline = time.time() + 120
    while time.time() < deadline:
        jobs, outbox = pending(home / "salonbot.db")
        if jobs == 0 and outbox == 0:
            break
        await asyncio.sleep(1)
    drained = time.time() - (first_due.timestamp() + plan.window_s)
    states = job_states(home / "salonbot.db")
    with ThreadPoolExecutor(8) as pool:
        per_room = list(pool.map(api.messages, rooms))
    salon_events = api.messages(salon)
    await bot.stop()
    bot.argv = salonbot_command(home / "config.yaml")

    reminders: dict[str, list[int]] = {}
    for event in salon_events:
        body = str(event.get("content", {}).get("body", ""))
        if event.get("sender") != bot_id or not body.startswith("⏰"):
            continue
        found = TITLE.search(body)
        if found and found.group(0) in starts:
            reminders.setdefault(found.group(0), []).append(int(event["origin_server_ts"]))
    pings: dict[str, list[int]] = {}
    for events in per_room:
        for event in events:
            body = str(event.get("content", {}).get("body", ""))
            if event.get("sender") == bot_id and body.startswith(PING + " "):
                pings.setdefault(body.split(" ", 1)[1], []).append(
                    int(event["origin_server_ts"]))
    reminder_late = {t: min(ts) / 1000 - (starts[t] - dt.timedelta(seconds=5)).timestamp()
                     for t, ts in reminders.items()}
    ping_late = {k: min(ts) / 1000 - due[k].timestamp() for k, ts in pings.items() if k in due}
    return {
        "reminders": plan.reminders, "pings": count, "ping_rooms": plan.ping_rooms,
        "window_s": plan.window_s, "reminder_lateness_s": reminder_late,
        "ping_lateness_s": ping_late,
        "reminders_lost": plan.reminders - len(reminders),
        "reminders_doubled": sum(1 for ts in reminders.values() if len(ts) > 1),
        "pings_lost": count - len(ping_late),
        "pings_doubled": sum(1 for ts in pings.values() if len(ts) > 1),
        "job_states": states, "drained_after_window_s": drained,
        "errors": bot.errors(),
    }


def lateness_report(result: dict[str, Any]) -> str:
    def row(label: str, values: list[float]) -> str:
        s = summarise(values)
        if not s.n:
            return f"| {label} | 0 | – | – | – | – |"
        return (f"| {label} | {s.n:,} | {s.p50 * 1000:.0f} ms | {s.p95 * 1000:.0f} ms | "
                f"{percentile(values, 99) * 1000:.0f} ms | {s.max * 1000:.0f} ms |")

    late = list(result["reminder_lateness_s"].values())
    p99 = percentile(late, 99)
    return "\n".join([
        "| messages | count | lateness p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
        row("meeting reminders (`reminders.before: [\"5s\"]`)", late),
        row(f"`bench.ping` sends in {result['ping_rooms']} rooms, the background",
            list(result["ping_lateness_s"].values())),
        "",
        f"{result['reminders']} reminders and {result['pings']:,} pings due over "
        f"{result['window_s']:.0f} s; reminders lost {result['reminders_lost']}, doubled "
        f"{result['reminders_doubled']}; pings lost {result['pings_lost']}, doubled "
        f"{result['pings_doubled']}; job states {result['job_states']}; the outbox was empty "
        f"{result['drained_after_window_s']:.1f} s after the window. Reminder p99 "
        f"{p99 * 1000:.0f} ms against the goal of {GOAL_P99_S:.0f} s: "
        f"{'✓' if p99 <= GOAL_P99_S else '✗'}.",
    ])


# ---------------------------------------------------------------- the run


async def run(plan: Plan, root: Path) -> dict[str, Any]:
    phases: dict[str, float] = {}
    began = time.monotonic()
    hs = LocalSynapse(root / "synapse", rate_limited=False)
    await asyncio.to_thread(hs.start)
    home = root / "salonbot"
    home.mkdir()
    citizens: list[Citizen] = []
    bot: BotProcess | None = None
    result: dict[str, Any] = {}
    try:
        bot_id = hs.register("salonbot", "bench-password")
        config = write_config(home / "config.yaml", hs, bot_id, home, encrypt=plan.encrypted)
        bot = BotProcess("salonbot", salonbot_command(config), root / "salonbot.log", home)
        bot.start()
        await bot.wait_for(READY, timeout=120)
        citizens = await log_in_citizens(hs, root, ["host"])
        host = citizens[0]
        lobby = await open_lobby(host, bot_id)
        salons = [await open_salon(host, lobby, "Benchmark salon")]
        for i in range(1, plan.salons):
            salons.append(await open_salon(host, lobby, f"Salon {i + 1:03d}"))
        await host.wait_for_members(salons[0], {host.user_id, bot_id})
        if host.client.rooms[salons[0]].encrypted:
            await host.know_devices({bot_id})
        phases["setup_s"] = time.monotonic() - began

        mark = time.monotonic()
        result["startup"] = await measure_startup(bot, home / "salonbot.db", host.user_id, plan)
        phases["startup_s"] = time.monotonic() - mark
        await host.wait_for_members(salons[0], {host.user_id, bot_id})

        mark = time.monotonic()
        result["roundtrip"] = await measure_roundtrip(
            host, salons[0], plan, seed=8, label="encrypted" if plan.encrypted else "plain")
        result["roundtrips"] = [result.pop("roundtrip")]
        if plan.encrypted_too and not plan.encrypted:
            await bot.stop()
            write_config(home / "config.yaml", hs, bot_id, home, encrypt=True)
            bot.start()
            await bot.wait_for(READY, timeout=120)
            secret = await open_salon(host, lobby, "Benchmark salon, krypteret")
            await host.wait_for_members(secret, {host.user_id, bot_id})
            await host.know_devices({bot_id})
            result["roundtrips"].append(await measure_roundtrip(host, secret, plan, seed=18,
                                                                label="encrypted"))
        phases["roundtrip_s"] = time.monotonic() - mark

        mark = time.monotonic()
        result["lateness"] = await measure_lateness(bot, hs, home, bot_id, host, salons[1]
                                                    if len(salons) > 1 else salons[0], plan)
        phases["lateness_s"] = time.monotonic() - mark
        result["errors"] = bot.errors()
    finally:
        for citizen in citizens:
            await citizen.close()
        if bot is not None:
            await bot.stop()
        await asyncio.to_thread(hs.stop)
    phases["total_s"] = time.monotonic() - began
    result["phases"] = phases
    return result


def report(result: dict[str, Any], plan: Plan, info: dict[str, Any], date: str) -> str:
    parts = [
        f"Measured {date} on {machine_line(info)}; load average "
        f"{info['load_average_at_start'][0]:.1f} at the start, "
        f"{info['load_average_at_end'][0]:.1f} at the end; whole run "
        f"{result['phases']['total_s']:.0f} s"
        f"{'' if plan == Plan() else ' (not the default plan: ' + str(asdict(plan)) + ')'}.",
        "", "Start-up, with and without meetings (pairs, alternating order):", "",
        startup_report(result["startup"], plan),
        "", "Round trip, send → first reply seen by the host (ms; ratios with 95 % bootstrap "
        f"interval, goal ≤ {GOAL_SCHEDULE:.1f}×):", "",
        *[roundtrip_report(r) + "\n" for r in result["roundtrips"]],
        "", "Reminder lateness:", "", lateness_report(result["lateness"]),
    ]
    if result.get("errors"):
        parts += ["", f"salonbot logged {len(result['errors'])} error line(s), e.g. "
                  f"{result['errors'][0][:300]}"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, ≈ 3 min")
    parser.add_argument("--encrypted", action="store_true",
                        help="salons encrypted (encrypt_new_rooms: true)")
    parser.add_argument("--plain-only", action="store_true",
                        help="no round trip in an encrypted salon")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--pairs", type=int)
    parser.add_argument("--meetings", type=int)
    parser.add_argument("--reminders", type=int)
    parser.add_argument("--window", type=float)
    parser.add_argument("--no-nudges", action="store_true",
                        help="only the two reminders per meeting, no nudge after it")
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    plan = QUICK if args.quick else Plan()
    overrides = {"rounds": args.rounds, "pairs": args.pairs, "meetings": args.meetings,
                 "reminders": args.reminders, "window_s": args.window,
                 "encrypted": True if args.encrypted else None,
                 "encrypted_too": False if args.plain_only else None,
                 "nudges": False if args.no_nudges else None}
    plan = replace(plan, **{k: v for k, v in overrides.items() if v is not None})
    info = machine()
    date = dt.date.today().isoformat()
    result = in_workdir("meetings", args.keep, lambda root: asyncio.run(run(plan, root)))
    info["load_average_at_end"] = os.getloadavg()
    out = Path(args.out) if args.out else HERE / f"results-meetings-{date}.json"
    out.write_text(json.dumps(jsonable({"date": date, "machine": info, "plan": asdict(plan),
                                        **result}), indent=1), encoding="utf-8")
    print(report(result, plan, info, date))
    print(f"\nRaw results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
