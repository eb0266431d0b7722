"""Scheduled sends: 10,000 jobs due within 10 minutes across 1,000 rooms, and a kill -9.

One private Synapse (rate limits off) and salonbot as ``salonbot run`` runs it, SQLite, with
one test-only job kind (``benchmarks/scheduled_bot.py``: ``bench.ping`` posts one message
naming its job). The bot's account creates the 1,000 rooms while the bot is stopped; the
jobs are written straight into ``scheduled_jobs`` as ``Jobs.schedule`` leaves them, due
evenly over the window from a minute after the bot starts. Halfway through the window the
bot is killed with SIGKILL and started again after a pause. When every job is done the
messages are read back from every room: lateness is the message's ``origin_server_ts``
minus its job's due time; a job without a message is lost, one with two is doubled.

    .venv/bin/python benchmarks/scheduled.py                  # 10,000 jobs in 10 min, ≈ 15 min
    .venv/bin/python benchmarks/scheduled.py --window 120 --jobs 2000 --rooms 200  # ≈ 4 min

Prints a Markdown table and writes every job's lateness to
``benchmarks/results-scheduled-<date>.json`` (git-ignored).
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
import signal
import sqlite3
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import yaml
from _procs import BotProcess
from _report import machine, machine_line
from _salonbench import Api, in_workdir
from _stats import summarise

from bot.config import load_config
from bot.localserver import LocalSynapse

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password"
READY = "first sync handled"
KIND = "bench.ping"
log = logging.getLogger("scheduled")


def write_config(path: Path, hs: LocalSynapse, user_id: str, home: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "matrix": {"homeserver": hs.base_url, "user_id": user_id, "password": PASSWORD,
                   "device_name": "salonbot-bench", "store_path": str(home / "store"),
                   "encrypt_new_rooms": False},
        "bot": {"default_language": "da", "allowed_users": [f"@.*:{hs.server_name}"]},
        "database": {"url": f"sqlite:///{home / 'salonbot.db'}"},
    }, sort_keys=False), encoding="utf-8")
    load_config(path, environ={})  # fail here, not in the subprocess
    return path


def insert_jobs(db: Path, rooms: list[str], count: int, first_due: dt.datetime,
                window: float) -> dict[str, dt.datetime]:
    """Pending ``bench.ping`` jobs due evenly over ``window`` seconds from ``first_due``,
    round-robin over the rooms; returns each job key's due time."""
    from sqlalchemy import create_engine, insert

    from bot.db import JobState, ScheduledJob

    now = dt.datetime.now(dt.UTC)
    due = {f"ping:{i:05d}": first_due + dt.timedelta(seconds=window * i / count)
           for i in range(count)}
    order = list(due)
    random.Random(count).shuffle(order)  # ids do not follow due times, as in real life
    rows = [{"kind": KIND, "key": key, "room_id": rooms[int(key[5:]) % len(rooms)],
             "person": None, "due_at": due[key], "useful_until": None, "payload": "{}",
             "state": JobState.PENDING.value, "revision": 1, "attempts": 0,
             "created_at": now, "finished_at": None} for key in order]
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.begin() as connection:
            connection.execute(insert(ScheduledJob), rows)
    finally:
        engine.dispose()
    return due


def progress(db: Path) -> tuple[int, int]:
    """(pending jobs, messages in the outbox), read without disturbing the bot."""
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        pending = connection.execute("SELECT count(*) FROM scheduled_jobs WHERE kind = ? AND "
                                     "state = 'pending'", (KIND,)).fetchone()[0]
        outbox = connection.execute("SELECT count(*) FROM outbox WHERE set_aside_at IS NULL"
                                    ).fetchone()[0]
    return int(pending), int(outbox)


def states(db: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        return dict(connection.execute("SELECT state, count(*) FROM scheduled_jobs WHERE "
                                       "kind = ? GROUP BY state", (KIND,)).fetchall())


async def wait_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.time()))


async def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    phases: dict[str, float] = {}
    began = time.monotonic()
    hs = LocalSynapse(root / "synapse", rate_limited=False)
    await asyncio.to_thread(hs.start)
    home = root / "salonbot"
    home.mkdir()
    bot: BotProcess | None = None
    try:
        bot_id = hs.register("salonbot", PASSWORD)
        config = write_config(home / "config.yaml", hs, bot_id, home)
        bot = BotProcess("salonbot", [sys.executable, str(HERE / "scheduled_bot.py"),
                                      str(config)], root / "salonbot.log", home)
        bot.start()  # the first start: the device, the schema, the position
        await bot.wait_for(READY)
        await bot.stop()
        api = Api(hs, home / "store")
        mark = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            rooms = list(pool.map(api.create_room,
                                  (f"Scheduled {n:04d}" for n in range(args.rooms))))
        phases["rooms_s"] = time.monotonic() - mark
        log.info("%d rooms in %.0f s", len(rooms), phases["rooms_s"])

        first_due = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=args.lead)
        due = insert_jobs(home / "salonbot.db", rooms, args.jobs, first_due, args.window)
        start = first_due.timestamp()
        bot.start()
        startup_s, _ = await bot.wait_for(READY, timeout=args.lead)
        scheduled_s, line = await bot.wait_for("scheduler started", timeout=args.lead)
        log.info("ready after %.1f s; %s", startup_s, line.strip())

        kill_at = start + args.window * args.kill_at
        await wait_until(kill_at)
        assert bot.proc is not None
        cpu_before_kill = psutil.Process(bot.pid).cpu_times()
        bot.kill()  # SIGKILL: no clean shutdown at all
        killed = time.time()
        pending_at_kill, outbox_at_kill = progress(home / "salonbot.db")
        log.info("killed with %d jobs pending, %d messages in the outbox", pending_at_kill,
                 outbox_at_kill)
        await asyncio.sleep(args.down)
        bot.start()
        restart_s, _ = await bot.wait_for(READY, timeout=300)
        await bot.wait_for("scheduler started", timeout=300)
        back = time.time()
        log.info("back after %.1f s down (%.1f s to the first sync)", back - killed, restart_s)

        await wait_until(start + args.window)
        deadline = time.time() + args.settle
        while True:
            pending, outbox = progress(home / "salonbot.db")
            if (pending == 0 and outbox == 0) or time.time() > deadline:
                break
            await asyncio.sleep(1)
        finished = time.time()
        cpu_after = psutil.Process(bot.pid).cpu_times()
        await bot.stop()
        job_states = states(home / "salonbot.db")

        mark = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            per_room = list(pool.map(api.messages, rooms))
        phases["read_s"] = time.monotonic() - mark
        errors = bot.errors()
    finally:
        if bot is not None:
            await bot.stop()
        await asyncio.to_thread(hs.stop)

    seen: dict[str, list[int]] = {}
    strays = 0
    for events in per_room:
        for event in events:
            body = str(event.get("content", {}).get("body", ""))
            if event.get("sender") != bot_id or not body.startswith(KIND + " "):
                strays += 1
                continue
            seen.setdefault(body.split(" ", 1)[1], []).append(int(event["origin_server_ts"]))
    lateness = {key: (min(ts) / 1000 - due[key].timestamp()) for key, ts in seen.items()
                if key in due}
    outage = [key for key in lateness if killed <= due[key].timestamp() < back]
    on_time = [key for key in lateness if key not in set(outage)]
    counts = Counter(len(seen.get(key, [])) for key in due)
    phases["total_s"] = time.monotonic() - began
    return {
        "jobs": args.jobs, "rooms": args.rooms, "window_s": args.window, "down_s": args.down,
        "kill_at": args.kill_at, "startup_s": startup_s, "scheduler_started_s": scheduled_s,
        "restart_first_sync_s": restart_s, "outage_s": back - killed,
        "pending_at_kill": pending_at_kill, "outbox_at_kill": outbox_at_kill,
        "lost": counts[0], "doubled": sum(n for c, n in counts.items() if c > 1),
        "strays": strays, "unknown_keys": len(set(seen) - set(due)),
        "job_states": job_states, "drained_after_window_s": finished - (start + args.window),
        "bot_cpu_s_before_kill": cpu_before_kill.user + cpu_before_kill.system,
        "bot_cpu_s_after_restart": cpu_after.user + cpu_after.system,
        "lateness_s": lateness, "outage_keys": outage, "on_time_keys": on_time,
        "phases": phases, "errors": errors,
    }


def _row(label: str, values: list[float]) -> str:
    s = summarise(values)
    if not s.n:
        return f"| {label} | 0 | – | – | – | – |"
    data = sorted(values)
    p99 = data[min(len(data) - 1, int(round(0.99 * (len(data) - 1))))]
    return (f"| {label} | {s.n:,} | {s.p50 * 1000:.0f} ms | {s.p95 * 1000:.0f} ms | "
            f"{p99 * 1000:.0f} ms | {s.max * 1000:.0f} ms |")


def report(result: dict[str, Any], info: dict[str, Any], date: str) -> str:
    late = result["lateness_s"]
    outage = set(result["outage_keys"])
    lines = [
        f"Measured {date} on {machine_line(info)}; {result['jobs']:,} jobs due over "
        f"{result['window_s']:.0f} s across {result['rooms']:,} rooms; SIGKILL at "
        f"{result['kill_at']:.0%} of the window, {result['down_s']:.0f} s down "
        f"({result['outage_s']:.1f} s from the kill to the scheduler running again); "
        f"whole run {result['phases']['total_s']:.0f} s.",
        "",
        "| jobs | messages | lateness p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
        _row("all", list(late.values())),
        _row("due while the bot ran", [v for k, v in late.items() if k not in outage]),
        _row("due while it was down (sent after the restart)",
             [v for k, v in late.items() if k in outage]),
        "",
        f"Lost: {result['lost']}; doubled: {result['doubled']}; job states "
        f"{result['job_states']}; at the kill {result['pending_at_kill']:,} jobs were "
        f"pending and {result['outbox_at_kill']} messages in the outbox. Start with "
        f"{result['rooms']:,} rooms and {result['jobs']:,} pending jobs: first sync "
        f"{result['startup_s']:.1f} s, scheduler started {result['scheduler_started_s']:.1f} s;"
        f" after the kill: first sync {result['restart_first_sync_s']:.1f} s. The outbox "
        f"was empty {result['drained_after_window_s']:.1f} s after the last job's due time.",
    ]
    if result["errors"]:
        lines += ["", f"salonbot logged {len(result['errors'])} error line(s), e.g. "
                  f"{result['errors'][0][:200]}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--rooms", type=int, default=1_000)
    parser.add_argument("--window", type=float, default=600.0,
                        help="seconds over which the jobs fall due (default 600)")
    parser.add_argument("--lead", type=float, default=90.0,
                        help="seconds from writing the jobs to the first one due, for the "
                             "bot's start (default 90)")
    parser.add_argument("--kill-at", type=float, default=0.5,
                        help="when to kill the bot, as a fraction of the window")
    parser.add_argument("--down", type=float, default=10.0,
                        help="seconds the bot stays dead (default 10)")
    parser.add_argument("--settle", type=float, default=300.0,
                        help="seconds after the window to wait for the last messages")
    parser.add_argument("--keep", metavar="DIR", help="keep Synapse, the log and the database")
    parser.add_argument("--out", metavar="FILE", help="where to write the JSON results")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    info = machine()
    date = dt.date.today().isoformat()
    result = in_workdir("scheduled", args.keep, lambda root: asyncio.run(run(args, root)))
    info["load_average_at_end"] = os.getloadavg()
    out = Path(args.out) if args.out else HERE / f"results-scheduled-{date}.json"
    out.write_text(json.dumps({"date": date, "machine": info, **result}, indent=1,
                              default=str), encoding="utf-8")
    print(report(result, info, date))
    print(f"\nRaw results: {out}")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    sys.exit(main())
