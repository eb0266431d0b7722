"""Round trip, start-up and memory of salonbot against a bare matrix-nio echo bot (issue 2).

One private Synapse (rate limits off), salonbot as the operator runs it (``salonbot run -c``,
SQLite in a temporary directory) and ``echo_bot.py``, each in its own process. Every citizen
sits in one salon room with both bots. Each round, each citizen sends ``!echo help``,
``!echo info``, ``!salon help`` and ``!salon info`` in a random order, one after the other,
and times each from ``room_send`` to the reply arriving in its own long-polling sync; with
10 citizens all ten start each round at once. Because the commands interleave, noise on this
shared machine hits salonbot and the echo bot alike, and ratios come from the same run. Then:

- the same in an encrypted salon (salonbot restarted with ``encrypt_new_rooms: true``),
- 100 salons opened with ``!salon open`` (encrypted, the default; the host joins each and
  invites the echo bot too, so both bots sit in the same rooms), memory of both under load,
- start-up: each bot stopped and started 5 times, time from process start to its
  ``first sync handled`` log line.

Prints Markdown tables and writes every sample to ``benchmarks/results-roundtrip-<date>.json``.

    .venv/bin/python benchmarks/roundtrip.py            # full run, ≈ 10 min
    .venv/bin/python benchmarks/roundtrip.py --quick    # smoke run, ≈ 2 min
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
import shutil
import sqlite3
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import echo_bot
import psutil
import yaml
from _citizens import NoReply, TimedCitizen
from _procs import BotProcess
from _report import (
    MIB,
    goals_table,
    machine,
    machine_line,
    memory_table,
    roundtrip_table,
    startup_jobs_table,
    startup_table,
)
from _stats import median, ratio, summarise

from bot.config import load_config
from bot.localserver import LocalSynapse

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-password"
READY = "first sync handled"
#: One round of one citizen, sent in a random order. The echo bot gets as many commands as
#: salonbot, so that with ten citizens both have queues of the same length.
ROUND = (("echo", "!echo help"), ("echo", "!echo info"), ("help", "!salon help"),
         ("info", "!salon info"))
SHOWN = {"echo": "!echo help` / `!echo info", "help": "!salon help", "info": "!salon info"}
BASELINE = "echo"
SALON_TITLE = "Benchmark salon"
ENCRYPTED_TITLE = "Encrypted benchmark salon"

log = logging.getLogger("roundtrip")


@dataclass(frozen=True)
class Plan:
    rounds_1: int = 150  # rounds (of the four commands in ROUND) by one citizen
    rounds_10: int = 20  # rounds by ten citizens at once
    warmup: int = 3
    citizens: int = 10
    encrypted: bool = True
    salons: int = 100
    memory_rounds: int = 6  # rounds by ten citizens while memory is sampled
    startups: int = 5
    pause: tuple[float, float] = (0.02, 0.06)  # between one citizen's commands, seconds
    #: Pending scheduled jobs written into salonbot's database for the second start-up
    #: measurement (0: none).
    jobs: int = 10_000
    #: Only the start-up measurements: no round trips, no memory (one citizen opens the salons).
    startup_only: bool = False


QUICK = Plan(rounds_1=20, rounds_10=3, warmup=1, salons=10, memory_rounds=2, startups=2)


# ---------------------------------------------------------------- the two bots


def check_same_settings() -> None:
    """The echo bot must sync and reply as salonbot does, or the comparison is unfair."""
    from bot.matrix.session import client_config
    from bot.matrix.sync import SyncLoop, SyncOptions

    ours, theirs = echo_bot.client_config(), client_config()
    for name in ("encryption_enabled", "store_sync_tokens", "max_limit_exceeded",
                 "max_timeouts", "request_timeout"):
        if getattr(ours, name) != getattr(theirs, name):
            raise SystemExit(f"echo_bot.client_config().{name} differs from salonbot's; "
                             "update benchmarks/echo_bot.py")
    options = SyncOptions()
    salon_filter = SyncLoop.sync_filter(SimpleNamespace(options=options))  # type: ignore[arg-type]
    if (options.timeout_ms, salon_filter) != (echo_bot.SYNC_TIMEOUT_MS, echo_bot.sync_filter()):
        raise SystemExit("echo_bot's sync timeout or filter differs from salonbot's "
                         "(bot/matrix/sync.py); update benchmarks/echo_bot.py")


def salonbot_command(config: Path) -> list[str]:
    script = Path(sys.executable).parent / "salonbot"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    return [*prefix, "run", "-c", str(config)]


def salonbot_profile_args(config: Path) -> list[str]:
    """What follows ``python -m cProfile -o FILE`` to run the same as ``salonbot_command``."""
    return ["-m", "bot.cli", "run", "-c", str(config)]


def write_salonbot_config(path: Path, hs: LocalSynapse, user_id: str, home: Path,
                          encrypt: bool) -> Path:
    path.write_text(yaml.safe_dump({
        "matrix": {"homeserver": hs.base_url, "user_id": user_id, "password": PASSWORD,
                   "device_name": "salonbot-bench", "store_path": str(home / "store"),
                   "encrypt_new_rooms": encrypt},
        # No limit on salons per person: the host opens a hundred.
        "bot": {"default_language": "da", "allowed_users": [f"@.*:{hs.server_name}"],
                "open_limit": 0},
        "database": {"url": f"sqlite:///{home / 'salonbot.db'}"},
    }, sort_keys=False), encoding="utf-8")
    load_config(path, environ={})  # fail here, not in the subprocess
    return path


@dataclass
class Bots:
    salonbot: BotProcess
    echo: BotProcess
    salonbot_id: str
    echo_id: str
    home: Path
    hs: LocalSynapse

    async def restart_salonbot(self, encrypt: bool) -> None:
        await self.salonbot.stop()
        write_salonbot_config(self.home / "config.yaml", self.hs, self.salonbot_id,
                              self.home, encrypt)
        self.salonbot.start()
        await self.salonbot.wait_for(READY)


async def start_bots(hs: LocalSynapse, root: Path, encrypt: bool,
                     profile_dir: Path | None, echo_pad_to: int) -> Bots:
    salon_home, echo_home = root / "salonbot", root / "echo"
    salon_home.mkdir()
    echo_home.mkdir()
    bot_id = hs.register("salonbot", PASSWORD)
    echo_id = hs.register("echo", PASSWORD)
    config = write_salonbot_config(salon_home / "config.yaml", hs, bot_id, salon_home, encrypt)
    salonbot = BotProcess("salonbot", salonbot_command(config), root / "salonbot.log",
                          salon_home, profile_args=salonbot_profile_args(config),
                          profile_dir=profile_dir)
    echo_args = [str(HERE / "echo_bot.py"), "--homeserver", hs.base_url, "--user", echo_id,
                 "--password", PASSWORD, "--store", str(echo_home / "store"),
                 "--pad-to", str(echo_pad_to)]
    echo = BotProcess("echo", [sys.executable, *echo_args], root / "echo.log", echo_home,
                      profile_args=echo_args, profile_dir=profile_dir)
    salonbot.start()
    echo.start()
    await salonbot.wait_for(READY)
    await echo.wait_for(READY)
    return Bots(salonbot, echo, bot_id, echo_id, salon_home, hs)


# ---------------------------------------------------------------- rooms and people


async def open_lobby(host: TimedCitizen, bot_id: str) -> str:
    """A direct chat with salonbot, where the host opens salons."""
    response = await host.client.room_create(is_direct=True, invite=[bot_id])
    room_id = getattr(response, "room_id", None)
    if room_id is None:
        raise RuntimeError(f"could not open a chat with the bot: {response}")
    await host.wait_for_members(room_id, {bot_id})
    return room_id


async def open_salon(host: TimedCitizen, lobby: str, title: str,
                     timeout: float = 60.0) -> tuple[str, float]:
    """``!salon open`` in the lobby; returns the new room (joined) and the round trip."""
    known = set(host.client.invited_rooms) | set(host.client.rooms)
    elapsed, seen = await host.ask(lobby, f'!salon open "{title}"', timeout)

    def invited() -> set[str]:
        return set(host.client.invited_rooms) - known

    await host.until(lambda: bool(invited()), timeout, what=f"the invite to {title}")
    (room_id,) = invited()
    await host.client.join(room_id)
    return room_id, elapsed


async def fill_salon(bots: Bots, citizens: list[TimedCitizen], room_id: str) -> None:
    """The host invites everyone (and the echo bot) with ``!salon invite``; all join."""
    host, others = citizens[0], citizens[1:]
    await host.wait_for_members(room_id, {host.user_id, bots.salonbot_id})
    if room_id in host.client.rooms and host.client.rooms[room_id].encrypted:
        await host.know_devices({bots.salonbot_id})
    invitees = [c.user_id for c in others] + [bots.echo_id]
    _, seen = await host.ask(room_id, "!salon invite " + " ".join(invitees))
    if bots.echo_id not in seen.body:
        raise RuntimeError(f"the invite went wrong: {seen.body!r}")
    for citizen in others:
        await citizen.until(lambda c=citizen: room_id in c.client.invited_rooms
                            or room_id in c.client.rooms, what=f"the invite to {room_id}")
        await citizen.client.join(room_id)
    everyone = {bots.salonbot_id, bots.echo_id, *(c.user_id for c in citizens)}
    for citizen in citizens:
        await citizen.wait_for_members(room_id, everyone)
        if citizen.client.rooms[room_id].encrypted:  # whom to encrypt for, before sending
            await citizen.know_devices(everyone)


# ---------------------------------------------------------------- round trips


@dataclass
class Samples:
    """Round trips by command, and the bots' share of them by the homeserver's clock."""

    round_trip: dict[str, list[float]]
    bot: dict[str, list[float]]
    lost: Counter[str]
    replies: dict[str, str]

    @classmethod
    def empty(cls) -> Samples:
        return cls({name: [] for name in SHOWN}, {name: [] for name in SHOWN}, Counter(), {})


async def one_round(citizen: TimedCitizen, room_id: str, rng: random.Random, plan: Plan,
                    samples: Samples, record: bool) -> None:
    order = list(ROUND)
    rng.shuffle(order)
    for index, (name, text) in enumerate(order):
        if index:
            await asyncio.sleep(rng.uniform(*plan.pause))
        try:
            elapsed, seen = await citizen.ask(room_id, text)
        except NoReply:
            samples.lost[name] += 1
            continue
        samples.replies.setdefault(text, seen.body)
        if record:
            samples.round_trip[name].append(elapsed)
            if seen.bot_s is not None:
                samples.bot[name].append(seen.bot_s)


async def rounds(citizens: list[TimedCitizen], room_id: str, count: int, plan: Plan,
                 seed: int, record: bool = True) -> Samples:
    """``count`` rounds; in each, every citizen starts at once and sends its four commands."""
    samples = Samples.empty()
    rngs = [random.Random(seed * 1000 + i) for i in range(len(citizens))]
    for _ in range(count):
        await asyncio.gather(*(one_round(c, room_id, rng, plan, samples, record)
                               for c, rng in zip(citizens, rngs, strict=True)))
    return samples


def check_replies(replies: dict[str, str], title: str) -> None:
    """A benchmark of error messages would be worthless: look at what came back."""
    problems = []
    for word in ("help", "info"):
        if not (replies.get(f"!echo {word}") or "").startswith(word):
            problems.append(f"!echo {word} was answered {replies.get(f'!echo {word}')!r}")
    info, help_text = replies.get("!salon info", ""), replies.get("!salon help", "")
    if title not in info:
        problems.append(f"info did not name the salon: {info[:200]!r}")
    if "!salon" not in help_text or len(help_text) < 200:
        problems.append(f"help looks wrong: {help_text[:200]!r}")
    if problems:
        raise SystemExit("the bots did not answer as expected: " + "; ".join(problems))


class CpuMeter:
    """CPU seconds (user + system) of each process of the benchmark."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}

    def read(self) -> dict[str, float]:
        out = {}
        for name, proc in self.procs.items():
            times = proc.cpu_times()
            out[name] = times.user + times.system
        return out

    def since(self, before: dict[str, float]) -> dict[str, float]:
        now = self.read()
        return {name: now[name] - before[name] for name in now}


async def measure_room(citizens: list[TimedCitizen], room_id: str, label: str, title: str,
                       plan: Plan, seed: int, cpu: CpuMeter) -> list[dict[str, Any]]:
    warmup = await rounds(citizens, room_id, plan.warmup, plan, seed, record=False)
    check_replies(warmup.replies, title)
    rows: list[dict[str, Any]] = []
    for group, count in ((citizens[:1], plan.rounds_1), (citizens, plan.rounds_10)):
        started = time.monotonic()
        cpu_before = cpu.read()
        samples = await rounds(group, room_id, count, plan, seed + len(group))
        used = cpu.since(cpu_before)
        log.info("%s, %d citizen(s): %d rounds in %.0f s; CPU s: %s", label, len(group),
                 count, time.monotonic() - started,
                 ", ".join(f"{k} {v:.1f}" for k, v in used.items()))
        commands = count * len(group) * 2  # each bot answers two commands per round
        for name, text in SHOWN.items():
            row: dict[str, Any] = {
                "room": label, "citizens": len(group), "command": name, "text": text,
                "summary": summarise(samples.round_trip[name]), "lost": samples.lost[name],
                "samples_s": samples.round_trip[name],
                "bot": summarise(samples.bot[name]), "bot_samples_s": samples.bot[name],
                "cpu_ms_per_command": 1000 * used[
                    "echo bot" if name == BASELINE else "salonbot"] / commands,
                "cpu_s": used,
            }
            if name != BASELINE:
                row["p50_ratio"] = ratio(samples.round_trip[name],
                                         samples.round_trip[BASELINE], 50)
                row["p95_ratio"] = ratio(samples.round_trip[name],
                                         samples.round_trip[BASELINE], 95)
            rows.append(row)
    return rows


# ---------------------------------------------------------------- 100 salons, memory, start-up


async def open_many(bots: Bots, host: TimedCitizen, lobby: str, count: int) -> list[float]:
    """``count`` salons, each joined by the host, with the echo bot invited in too."""
    elapsed: list[float] = []
    opened: list[str] = []
    joins: list[asyncio.Task[None]] = []

    async def bring_echo(room_id: str) -> None:
        await host.wait_for_members(room_id, {host.user_id})
        await host.client.room_invite(room_id, bots.echo_id)

    for i in range(count):
        room_id, seconds = await open_salon(host, lobby, f"Salon {i + 1:03d}")
        elapsed.append(seconds)
        opened.append(room_id)
        joins.append(asyncio.create_task(bring_echo(room_id)))
    await asyncio.gather(*joins)
    for room_id in opened:
        await host.wait_for_members(room_id, {bots.echo_id, bots.salonbot_id, host.user_id})
    return elapsed


def joined_rooms(hs: LocalSynapse, store: Path) -> int:
    """How many rooms the bot's account is in, asked with the bot's own saved login."""
    credentials = json.loads((store / "credentials.json").read_text(encoding="utf-8"))
    request = urllib.request.Request(f"{hs.base_url}/_matrix/client/v3/joined_rooms",
                                     headers={"Authorization":
                                              f"Bearer {credentials['access_token']}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(json.load(response)["joined_rooms"])


def salons_in_database(home: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{home / 'salonbot.db'}?mode=ro",
                                            uri=True)) as db:
        return int(db.execute("SELECT count(*) FROM salons").fetchone()[0])


async def measure_memory(bots: Bots, citizens: list[TimedCitizen], room_id: str,
                         plan: Plan) -> dict[str, dict[str, Any]]:
    """RSS of both bots sampled every 0.25 s while ten citizens send commands."""
    await rounds(citizens, room_id, plan.warmup, plan, seed=77, record=False)
    procs = {"salonbot": bots.salonbot, "echo bot": bots.echo}
    samples: dict[str, list[int]] = {name: [] for name in procs}
    done = asyncio.Event()

    async def sample() -> None:
        while not done.is_set():
            for name, proc in procs.items():
                samples[name].append(proc.rss())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    await rounds(citizens, room_id, plan.memory_rounds, plan, seed=78, record=False)
    done.set()
    await sampler
    return {name: {"rss_bytes": samples[name], "peak_bytes": proc.peak_rss()}
            for name, proc in procs.items()}


REPORTED = re.compile(r"first sync handled ([0-9.]+) s")
#: salonbot's log line once the scheduler has set its timers (after the first sync).
SCHEDULER_READY = "scheduler started"


async def measure_startup(bots: Bots, runs: int) -> dict[str, dict[str, list[float]]]:
    """Stop and start each bot ``runs`` times (alternating); time to its first sync, and for
    salonbot also to its scheduler having set the timers of the jobs due soon."""
    results: dict[str, dict[str, list[float]]] = {}
    procs = {"salonbot": bots.salonbot, "echo bot": bots.echo}
    for name in procs:
        results[name] = {"wall_s": [], "reported_s": [], "rss_bytes": [], "scheduler_s": []}
    for _ in range(runs):
        for name, proc in procs.items():
            await proc.stop()
            await asyncio.sleep(0.5)
            proc.start()
            seconds, line = await proc.wait_for(READY)
            match = REPORTED.search(line)
            results[name]["wall_s"].append(seconds)
            results[name]["reported_s"].append(float(match.group(1)) if match else float("nan"))
            if name == "salonbot":
                scheduled, _ = await proc.wait_for(SCHEDULER_READY)
                results[name]["scheduler_s"].append(scheduled)
            results[name]["rss_bytes"].append(proc.rss())
    return results


def insert_jobs(home: Path, count: int, *, soon: bool) -> dict[str, Any]:
    """``count`` pending jobs written straight into salonbot's database (as rows, the way
    ``Jobs.schedule`` leaves them), of a kind no handler knows: with ``soon`` all due 10 to
    14 minutes from now (inside the scheduler's 15-minute horizon, so every start sets a
    timer for each, and none fires during the measurement), else spread over the next 30
    days from an hour on (only the refill's query at start)."""
    from sqlalchemy import create_engine, delete, insert

    from bot.db import JobState, ScheduledJob

    now = dt.datetime.now(dt.UTC)
    first, span = ((dt.timedelta(minutes=10), dt.timedelta(minutes=4)) if soon else
                   (dt.timedelta(hours=1), dt.timedelta(days=30)))
    rng = random.Random(count)
    rows = [{
        "kind": "bench.startup", "key": f"job:{i}", "room_id": f"!room{i % 1000}:bench",
        "person": None, "due_at": now + first + span * rng.random(), "useful_until": None,
        "payload": "{}", "state": JobState.PENDING.value, "revision": 1, "attempts": 0,
        "created_at": now, "finished_at": None,
    } for i in range(count)]
    engine = create_engine(f"sqlite:///{home / 'salonbot.db'}")
    try:
        with engine.begin() as connection:
            connection.execute(delete(ScheduledJob).where(ScheduledJob.kind == "bench.startup"))
            if rows:
                connection.execute(insert(ScheduledJob), rows)
    finally:
        engine.dispose()
    return {"count": count, "soon": soon, "first_due_after_s": first.total_seconds(),
            "span_s": span.total_seconds()}


# ---------------------------------------------------------------- the run


def cpu_meter(hs: LocalSynapse, bots: Bots) -> CpuMeter:
    assert hs.pid is not None
    return CpuMeter({"salonbot": bots.salonbot.pid, "echo bot": bots.echo.pid,
                     "synapse": hs.pid, "citizens": os.getpid()})


async def run(plan: Plan, root: Path, profile_dir: Path | None = None,
              echo_pad_to: int = 0) -> dict[str, Any]:
    phases: dict[str, float] = {}
    began = time.monotonic()
    hs = LocalSynapse(root / "synapse", rate_limited=False)
    await asyncio.to_thread(hs.start)
    citizens: list[TimedCitizen] = []
    bots: Bots | None = None
    rows: list[dict[str, Any]] = []
    memory: dict[str, dict[str, Any]] = {}
    startup_jobs: list[dict[str, Any]] = []
    try:
        bots = await start_bots(hs, root, encrypt=plan.startup_only, profile_dir=profile_dir,
                                echo_pad_to=echo_pad_to)
        for i in range(1 if plan.startup_only else plan.citizens):
            user_id = hs.register(f"citizen{i + 1:02d}", PASSWORD)
            citizen = await TimedCitizen.log_in(hs.base_url, user_id, PASSWORD,
                                                root / "citizens" / f"{i + 1:02d}")
            citizen.start()
            citizens.append(citizen)
        host = citizens[0]
        lobby = await open_lobby(host, bots.salonbot_id)
        phases["setup_s"] = time.monotonic() - began

        if not plan.startup_only:
            mark = time.monotonic()
            plain, _ = await open_salon(host, lobby, SALON_TITLE)
            await fill_salon(bots, citizens, plain)
            rows = await measure_room(citizens, plain, "plain", SALON_TITLE, plan, seed=1,
                                      cpu=cpu_meter(hs, bots))
            phases["plain_s"] = time.monotonic() - mark

            mark = time.monotonic()
            await bots.restart_salonbot(encrypt=True)
            if plan.encrypted:
                secret, _ = await open_salon(host, lobby, ENCRYPTED_TITLE)
                await fill_salon(bots, citizens, secret)
                rows += await measure_room(citizens, secret, "encrypted", ENCRYPTED_TITLE,
                                           plan, seed=2, cpu=cpu_meter(hs, bots))
            phases["encrypted_s"] = time.monotonic() - mark

        mark = time.monotonic()
        opens = await open_many(bots, host, lobby, plan.salons)
        salons = salons_in_database(bots.home)
        rooms = joined_rooms(hs, bots.home / "store")
        phases["open_salons_s"] = time.monotonic() - mark

        if not plan.startup_only:
            mark = time.monotonic()
            memory = await measure_memory(bots, citizens, plain, plan)
            phases["memory_s"] = time.monotonic() - mark

        mark = time.monotonic()
        startup = await measure_startup(bots, plan.startups)
        phases["startup_s"] = time.monotonic() - mark
        if plan.jobs:
            for soon in (False, True):
                mark = time.monotonic()
                jobs = insert_jobs(bots.home, plan.jobs, soon=soon)
                jobs["startup"] = await measure_startup(bots, plan.startups)
                startup_jobs.append(jobs)
                phases[f"startup_jobs_{'soon' if soon else 'later'}_s"] = (
                    time.monotonic() - mark)
            insert_jobs(bots.home, 0, soon=False)  # none left to fire

        errors = {"salonbot": bots.salonbot.errors(), "echo bot": bots.echo.errors()}
    finally:
        for citizen in citizens:
            await citizen.close()
        if bots is not None:
            await bots.salonbot.stop()
            await bots.echo.stop()
        await asyncio.to_thread(hs.stop)
    phases["total_s"] = time.monotonic() - began
    return {"echo_pad_to": echo_pad_to, "rows": rows, "opens_s": opens, "salons": salons,
            "rooms": rooms, "memory": memory, "startup": startup,
            "startup_jobs": startup_jobs, "phases": phases, "errors": errors}


def report(result: dict[str, Any], plan: Plan, info: dict[str, Any], date: str) -> str:
    rows = result["rows"]
    opens = summarise(result["opens_s"])
    parts = [
        f"Measured {date} on {machine_line(info)}; full run {result['phases']['total_s']:.0f} s"
        f"{'' if plan == Plan() else ' (not the default plan: ' + str(asdict(plan)) + ')'}.",
    ]
    if rows:
        parts += [
            "",
            "Round trip, send → reply seen by the sender (ms; ratio with 95 % bootstrap "
            "interval)" + (f"; the echo bot padded its replies to {result['echo_pad_to']} "
                           "characters:" if result["echo_pad_to"] else ":"),
            "",
            roundtrip_table(rows),
        ]
    parts += [
        "",
        f"`!salon open` (no baseline), {opens.n} salons one after another: "
        f"p50 {opens.p50 * 1000:.0f} ms, p95 {opens.p95 * 1000:.0f} ms.",
        "",
        f"Start-up with {result['rooms']} joined rooms ({result['salons']} salons in the "
        "database):",
        "",
        startup_table(result["startup"], result["rooms"]),
    ]
    if result["startup_jobs"]:
        parts += ["", "Start-up with pending scheduled jobs (each batch against the echo "
                  "bot's starts in between):", "",
                  startup_jobs_table(result["startup"], result["startup_jobs"])]
    if result["memory"]:
        salon_memory = result["memory"]["salonbot"]
        parts += [
            "",
            "Memory under load (ten citizens sending the four commands of a round):",
            "",
            memory_table(result["memory"], result["salons"]),
            "",
            "Against the goals of issue 2:",
            "",
            goals_table(rows, median(result["startup"]["salonbot"]["wall_s"]),
                        median(salon_memory["rss_bytes"]) / MIB,
                        salon_memory["peak_bytes"] / MIB, result["rooms"], result["salons"]),
        ]
    for name, lines in result["errors"].items():
        if lines:
            parts += ["", f"{name} logged {len(lines)} error line(s), e.g. {lines[0][:200]}"]
    return "\n".join(parts)


def as_json(result: dict[str, Any], plan: Plan, info: dict[str, Any], date: str) -> str:
    rows = []
    for row in result["rows"]:
        out = {k: v for k, v in row.items()
               if k not in ("summary", "bot", "p50_ratio", "p95_ratio")}
        out["summary"] = asdict(row["summary"])
        out["bot"] = asdict(row["bot"])
        for key in ("p50_ratio", "p95_ratio"):
            if key in row:
                out[key] = asdict(row[key])
        rows.append(out)
    return json.dumps({"date": date, "machine": info, "plan": asdict(plan),
                       **{k: v for k, v in result.items() if k != "rows"}, "rows": rows},
                      indent=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run with few samples")
    parser.add_argument("--no-encrypted", action="store_true",
                        help="skip the encrypted salon")
    parser.add_argument("--rounds-1", type=int, help="rounds with one citizen")
    parser.add_argument("--rounds-10", type=int, help="rounds with ten citizens at once")
    parser.add_argument("--salons", type=int, help="salons to open for memory and start-up")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the start-up measurements (one citizen opens the salons)")
    parser.add_argument("--startups", type=int, help="starts of each bot per measurement")
    parser.add_argument("--jobs", type=int,
                        help="pending scheduled jobs for the start-up with jobs (0: skip it)")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep Synapse, the bots' logs and databases in DIR")
    parser.add_argument("--out", metavar="FILE", help="where to write the JSON results")
    parser.add_argument("--echo-pad-to", type=int, default=0, metavar="CHARS",
                        help="the echo bot pads its replies to CHARS characters, to tell the "
                             "cost of salonbot's longer replies from its own work")
    parser.add_argument("--profile", metavar="DIR",
                        help="run both bots under cProfile, one .prof file per start in DIR "
                             "(slows them down: for finding where time goes, not for the "
                             "table)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    check_same_settings()
    plan = QUICK if args.quick else Plan()
    overrides = {"rounds_1": args.rounds_1, "rounds_10": args.rounds_10,
                 "salons": args.salons, "encrypted": False if args.no_encrypted else None,
                 "startup_only": True if args.startup_only else None,
                 "startups": args.startups, "jobs": args.jobs}
    plan = replace(plan, **{k: v for k, v in overrides.items() if v is not None})
    info = machine()
    date = dt.date.today().isoformat()
    profile_dir = Path(args.profile).resolve() if args.profile else None
    if profile_dir is not None:
        profile_dir.mkdir(parents=True, exist_ok=True)
    if args.keep:
        root = Path(args.keep).resolve()
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        result = asyncio.run(run(plan, root, profile_dir, args.echo_pad_to))
    else:
        with tempfile.TemporaryDirectory(prefix="salonbot-bench-") as tmp:
            result = asyncio.run(run(plan, Path(tmp), profile_dir, args.echo_pad_to))
    info["load_average_at_end"] = os.getloadavg()
    out = Path(args.out) if args.out else HERE / f"results-roundtrip-{date}.json"
    out.write_text(as_json(result, plan, info, date), encoding="utf-8")
    print(report(result, plan, info, date))
    print(f"\nRaw results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
