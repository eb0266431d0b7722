"""Minutes (issue 9): ``info`` in a recording room against a quiet one, and ``summary`` of a
2,000-message capture.

One private Synapse (rate limits off) and salonbot as the operator runs it (``salonbot run
-c``, SQLite in a temporary directory). A host opens salons in a direct chat with the bot
and invites three citizens: Anna and Bent say ``!salon samtykke ja`` (in every salon), Carl
says nothing, so his words are only counted.

1. **Recording against quiet.** Salon A records (``!salon start`` by the host), salon B does
   not; the same four people sit in both. Each round the host sends ``!salon info`` into A
   and into B in a random order, 20–60 ms apart; just before each command Anna, Bent and
   Carl each post one ordinary message (Danish salon talk) into that room, so in A two go
   down the record path (a row and a watched event each) and one is counted, and in B the
   same traffic goes down the fast path. Time from ``room_send`` to the reply in the host's
   sync.
2. **Summary of 2,000 messages.** Salon C: the host starts minutes, the 2,000 messages of
   ``benchmarks/summary/data/da_hoerning_bibliotek.jsonl`` (a generated Danish salon on a
   library branch closing) are written into ``recorded_messages`` for that capture, as the
   record path leaves them (authors as user ids, roles, reply relations), and the host ends
   the minutes. Then ``!salon opsummering``: the first ask after the bot started (it loads
   the summariser then), asks after the stored summary was deleted (made again each time),
   and an ask that gets the stored one back; ``!salon info`` in the same room beside each.
   The summariser alone is timed in a fresh process on the same rows, read the way
   ``handlers.summary`` reads them.

    .venv/bin/python benchmarks/minutes.py               # ≈ 2.5 min
    .venv/bin/python benchmarks/minutes.py --encrypted   # the same in encrypted salons
    .venv/bin/python benchmarks/minutes.py --quick       # ≈ 1 min

Prints Markdown tables and writes every sample to
``benchmarks/results-minutes-<date>.json`` (git-ignored).
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
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from _procs import BotProcess
from _report import machine, machine_line
from _salonbench import (
    READY,
    Citizen,
    Command,
    fill_salon,
    in_workdir,
    jsonable,
    log_in_citizens,
    open_lobby,
    open_salon,
    paired_rounds,
    ratio_rows,
    ratio_table,
    salonbot_command,
    say,
    write_config,
)
from _stats import summarise

from bot.localserver import LocalSynapse

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "summary" / "data" / "da_hoerning_bibliotek.jsonl"
GOAL_RECORDING = 1.10
GOAL_SUMMARY_S = 2.0
SHOWN = {"quiet": "`!salon info`, room not recording", "recording":
         "`!salon info`, room recording"}

log = logging.getLogger("minutes")


@dataclass(frozen=True)
class Plan:
    warmup: int = 3
    rounds: int = 150
    encrypted: bool = False
    messages: int = 2_000
    summaries: int = 5  # asks after the stored summary was deleted
    in_process: int = 5


QUICK = Plan(warmup=1, rounds=20, summaries=2, in_process=2)


def corpus(limit: int | None = None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return rows[:limit] if limit else rows


# ---------------------------------------------------------------- 1. recording against quiet


async def talk_burst(talkers: list[Citizen], room_id: str, texts: list[str],
                     rng: random.Random) -> None:
    for citizen in talkers:
        await say(citizen, room_id, rng.choice(texts))


async def measure_recording(host: Citizen, talkers: list[Citizen], recording: str, quiet: str,
                            plan: Plan) -> dict[str, Any]:
    texts = [m["text"] for m in corpus() if len(m["text"]) > 20]
    rng = random.Random(9)

    def burst(room_id: str) -> Any:
        async def before(_number: int) -> None:
            await talk_burst(talkers, room_id, texts, rng)
        return before

    commands = [Command("recording", recording, lambda n: "!salon info",
                        before=burst(recording)),
                Command("quiet", quiet, lambda n: "!salon info", before=burst(quiet))]
    warm = await paired_rounds(host, commands, plan.warmup, seed=1)
    bodies = {k: v[0] for k, v in warm.bodies.items()}
    if "Referat: tages siden" not in bodies.get("recording", ""):
        raise SystemExit(f"info in the recording room: {bodies.get('recording', '')[:300]!r}")
    if "Referat: tages siden" in bodies.get("quiet", ""):
        raise SystemExit(f"info in the quiet room: {bodies.get('quiet', '')[:300]!r}")
    started = time.monotonic()
    samples = await paired_rounds(host, commands, plan.rounds, seed=2, first_round=plan.warmup)
    log.info("recording/quiet: %d rounds in %.0f s", plan.rounds, time.monotonic() - started)
    return {"rows": ratio_rows(samples, "quiet", ["recording"], GOAL_RECORDING),
            "replies": bodies, "talk_per_command": len(talkers)}


def recorded_counts(db: Path, room_id: str) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        salon = connection.execute("SELECT id FROM salons WHERE room_id = ?",
                                   (room_id,)).fetchone()[0]
        recorded = connection.execute(
            "SELECT count(*) FROM recorded_messages r JOIN captures c ON c.id = r.capture_id "
            "WHERE c.salon_id = ?", (salon,)).fetchone()[0]
        counted = connection.execute(
            "SELECT coalesce(sum(n.messages), 0) FROM capture_counts n JOIN captures c ON "
            "c.id = n.capture_id WHERE c.salon_id = ?", (salon,)).fetchone()[0]
    return {"recorded": int(recorded), "counted": int(counted)}


# ---------------------------------------------------------------- 2. summary


def running_capture(db: Path, room_id: str) -> int:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection:
        row = connection.execute(
            "SELECT c.id FROM captures c JOIN salons s ON s.id = c.salon_id WHERE s.room_id = ? "
            "AND c.ended_at IS NULL ORDER BY c.id DESC LIMIT 1", (room_id,)).fetchone()
    if row is None:
        raise SystemExit(f"no running capture in {room_id}")
    return int(row[0])


def fill_capture(db: Path, capture_id: int, count: int, server: str) -> dict[str, Any]:
    """The corpus' messages as recorded rows of the capture (what ``handlers.capture.on_talk``
    stores: user id, role, body, reply relation, time)."""
    rows = corpus(count)
    roles = {"citizen", "politician", "staff"}
    ids = {m["id"]: f"$bench-{capture_id}-{i:05d}" for i, m in enumerate(rows)}
    first = dt.datetime.fromisoformat(rows[0]["ts"])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
    values = []
    for m in rows:
        sent = start + (dt.datetime.fromisoformat(m["ts"]) - first)
        values.append((capture_id, ids[m["id"]], f"@{m['author']}:{server}",
                       m["role"] if m["role"] in roles else "citizen", m["text"],
                       ids.get(m["reply_to"]) if m.get("reply_to") else None,
                       sent.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")))
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection, connection:
        connection.executemany(
            "INSERT INTO recorded_messages (capture_id, event_id, user_id, role, body, "
            "reply_to, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)", values)
    return {"messages": len(values), "authors": len({v[2] for v in values}),
            "replies": sum(1 for v in values if v[5])}


def delete_summaries(db: Path, capture_id: int) -> None:
    with contextlib.closing(sqlite3.connect(db, timeout=30)) as connection, connection:
        connection.execute("DELETE FROM summaries WHERE capture_id = ?", (capture_id,))


async def measure_summary(host: Citizen, room_id: str, db: Path, capture_id: int,
                          plan: Plan) -> dict[str, Any]:
    asks: list[dict[str, Any]] = []

    async def ask(kind: str) -> None:
        info_s, _ = await host.ask(room_id, "!salon info", timeout=60)
        event_id, sent = await host.send(room_id, "!salon opsummering")
        seen = await host.reply_to(event_id, timeout=120)
        if "Opsummering af samtalen" not in seen.body:
            raise SystemExit(f"summary was answered {seen.body[:300]!r}")
        asks.append({"kind": kind, "round_trip_s": seen.at - sent, "bot_s": seen.bot_s,
                     "info_s": info_s, "chars": len(seen.body)})
        log.info("summary (%s): %.2f s (bot's share %.2f s); info %.2f s", kind,
                 seen.at - sent, seen.bot_s or float("nan"), info_s)

    await ask("first after start (loads the summariser)")
    for _ in range(plan.summaries):
        delete_summaries(db, capture_id)
        await asyncio.sleep(0.5)
        await ask("made again")
    await ask("stored, given back")
    return {"asks": asks}


def summariser_alone(db: Path, capture_id: int, runs: int) -> dict[str, Any]:
    """The summariser on the capture's rows, in a fresh process (as cold as the bot)."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--summarise-only", str(db),
         str(capture_id), str(runs)], capture_output=True, text=True, check=True,
        cwd=HERE.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _summarise_only(db: str, capture_id: int, runs: int) -> None:
    started = time.perf_counter()
    from types import SimpleNamespace

    from sqlalchemy import select

    from bot.db import Capture, Database
    from handlers.summary import POINTS, _messages, basis
    imported_s = time.perf_counter() - started
    database = Database(f"sqlite:///{db}")
    times: dict[str, Any] = {"import_handlers_s": imported_s, "basis_s": [], "summarise_s": []}
    try:
        for _ in range(runs + 1):
            with database.session() as session:
                mark = time.perf_counter()
                capture = session.scalar(select(Capture).where(Capture.id == capture_id))
                found = basis(SimpleNamespace(session=session), capture)  # type: ignore[arg-type]
                messages, items = _messages(found)
                times["basis_s"].append(time.perf_counter() - mark)
                mark = time.perf_counter()
                from bot.summariser import summarise

                result = summarise(messages, items, lang="da", points=POINTS)
                times["summarise_s"].append(time.perf_counter() - mark)
        times["messages"] = len(messages)
        times["key_points"] = len(result.key_points)
    finally:
        database.dispose()
    print(json.dumps(times))


def summary_report(result: dict[str, Any], alone: dict[str, Any], filled: dict[str, Any]) -> str:
    asks = result["asks"]
    again = [a for a in asks if a["kind"] == "made again"]
    lines = [
        f"Capture of {filled['messages']:,} messages from {filled['authors']} people "
        f"({filled['replies']} replies):", "",
        "| `!salon opsummering` | asks | round trip (median) | max | bot's share (median) | "
        "`!salon info` just before (median) | within 2 s |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    kinds = dict.fromkeys(a["kind"] for a in asks)
    for kind in kinds:
        these = [a for a in asks if a["kind"] == kind]
        trips = [a["round_trip_s"] for a in these]
        s = summarise(trips)
        lines.append(
            f"| {kind} | {s.n} | {s.p50:.2f} s | {s.max:.2f} s | "
            f"{summarise([a['bot_s'] for a in these if a['bot_s'] is not None]).p50:.2f} s | "
            f"{summarise([a['info_s'] for a in these]).p50 * 1000:.0f} ms | "
            f"{'✓' if s.max <= GOAL_SUMMARY_S else '✗'} |")
    cold, warm = alone["summarise_s"][0], alone["summarise_s"][1:]
    lines += [
        "",
        f"The summariser alone, in a fresh process, on the same {alone['messages']:,} rows: "
        f"first call {cold:.2f} s (loads NumPy, the language models and the rest), then "
        f"{summarise(warm).p50:.2f} s (median of {len(warm)}); reading the rows as "
        f"`handlers.summary.basis` does {summarise(alone['basis_s'][1:]).p50 * 1000:.0f} ms; "
        f"importing `handlers.summary` {alone['import_handlers_s']:.2f} s. "
        f"{len(again)} asks made the summary again.",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


async def run(plan: Plan, root: Path) -> dict[str, Any]:
    phases: dict[str, float] = {}
    began = time.monotonic()
    hs = LocalSynapse(root / "synapse", rate_limited=False)
    await asyncio.to_thread(hs.start)
    home = root / "salonbot"
    home.mkdir()
    db = home / "salonbot.db"
    citizens: list[Citizen] = []
    bot: BotProcess | None = None
    result: dict[str, Any] = {}
    try:
        bot_id = hs.register("salonbot", "bench-password")
        config = write_config(home / "config.yaml", hs, bot_id, home, encrypt=plan.encrypted)
        bot = BotProcess("salonbot", salonbot_command(config), root / "salonbot.log", home)
        bot.start()
        await bot.wait_for(READY, timeout=120)
        citizens = await log_in_citizens(hs, root, ["host", "anna", "bent", "carl"])
        host, anna, bent, carl = citizens
        lobby = await open_lobby(host, bot_id)
        rooms = {}
        for key, title in (("recording", "Optaget salon"), ("quiet", "Stille salon"),
                           ("summary", "Opsummeringssalon")):
            rooms[key] = await open_salon(host, lobby, title)
            await fill_salon(bot_id, host, [anna, bent, carl], rooms[key])
            for citizen in (anna, bent):
                _, seen = await citizen.ask(rooms[key], "!salon samtykke ja")
                if "ja" not in seen.body.lower():
                    raise SystemExit(f"consent was answered {seen.body[:300]!r}")
        _, seen = await host.ask(rooms["recording"], "!salon start")
        if "referat" not in seen.body.lower():
            raise SystemExit(f"start was answered {seen.body[:300]!r}")
        phases["setup_s"] = time.monotonic() - began

        mark = time.monotonic()
        result["recording"] = await measure_recording(host, [anna, bent, carl],
                                                      rooms["recording"], rooms["quiet"], plan)
        result["recording"]["stored"] = recorded_counts(db, rooms["recording"])
        result["recording"]["stored_quiet"] = recorded_counts(db, rooms["quiet"])
        phases["recording_s"] = time.monotonic() - mark

        mark = time.monotonic()
        await host.ask(rooms["summary"], "!salon start")
        capture_id = running_capture(db, rooms["summary"])
        result["filled"] = fill_capture(db, capture_id, plan.messages, hs.server_name)
        _, seen = await host.ask(rooms["summary"], "!salon slut", timeout=60)
        result["end_reply"] = seen.body
        # A fresh bot, so the first ask loads the summariser as it would after a restart.
        await bot.stop()
        bot.start()
        await bot.wait_for(READY, timeout=120)
        result["summary"] = await measure_summary(host, rooms["summary"], db, capture_id, plan)
        phases["summary_s"] = time.monotonic() - mark
        result["errors"] = bot.errors()
        await bot.stop()
        mark = time.monotonic()
        result["alone"] = await asyncio.to_thread(summariser_alone, db, capture_id,
                                                  plan.in_process)
        phases["alone_s"] = time.monotonic() - mark
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
    rec = result["recording"]
    parts = [
        f"Measured {date} on {machine_line(info)}; load average "
        f"{info['load_average_at_start'][0]:.1f} at the start, "
        f"{info['load_average_at_end'][0]:.1f} at the end; whole run "
        f"{result['phases']['total_s']:.0f} s"
        f"{'' if plan == Plan() else ' (not the default plan: ' + str(asdict(plan)) + ')'}.",
        "",
        f"`!salon info` in a recording room against a quiet one ({rec['talk_per_command']} "
        "ordinary messages posted just before each command, into that room; ms, ratios with "
        f"95 % bootstrap interval, goal ≤ {GOAL_RECORDING:.2f}×):", "",
        ratio_table(rec["rows"], SHOWN, label="encrypted" if plan.encrypted else "plain"),
        "",
        f"The recording room stored {rec['stored']['recorded']:,} messages and counted "
        f"{rec['stored']['counted']:,}; the quiet one stored {rec['stored_quiet']['recorded']}.",
        "", "Summary:", "",
        summary_report(result["summary"], result["alone"], result["filled"]),
    ]
    if result.get("errors"):
        parts += ["", f"salonbot logged {len(result['errors'])} error line(s), e.g. "
                  f"{result['errors'][0][:300]}"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run, ≈ 1 min")
    parser.add_argument("--encrypted", action="store_true",
                        help="salons encrypted (encrypt_new_rooms: true)")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--summaries", type=int)
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--out", metavar="FILE")
    parser.add_argument("--summarise-only", nargs=3, metavar=("DB", "CAPTURE", "RUNS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.summarise_only:
        db, capture, runs = args.summarise_only
        _summarise_only(db, int(capture), int(runs))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    plan = QUICK if args.quick else Plan()
    overrides = {"rounds": args.rounds, "summaries": args.summaries,
                 "encrypted": True if args.encrypted else None}
    plan = replace(plan, **{k: v for k, v in overrides.items() if v is not None})
    info = machine()
    date = dt.date.today().isoformat()
    result = in_workdir("minutes", args.keep, lambda root: asyncio.run(run(plan, root)))
    info["load_average_at_end"] = os.getloadavg()
    out = Path(args.out) if args.out else HERE / f"results-minutes-{date}.json"
    out.write_text(json.dumps(jsonable({"date": date, "machine": info, "plan": asdict(plan),
                                        **result}), indent=1), encoding="utf-8")
    print(report(result, plan, info, date))
    print(f"\nRaw results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
