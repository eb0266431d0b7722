"""``salonbot export`` of a database with 1,000,000 rows (issue 10), to CSV and to XLSX.

A SQLite database at the current schema (``bot.db.migrate.upgrade``) filled with
``executemany``, shaped like a busy year: 50 salons of 200 members (10,000 memberships, most
with a consent record, a fifth named), 2 meetings each with 20 answers, 10 captures each
(500 captures), 584,350 recorded messages and 400,000 minute items (texts drawn from
``benchmarks/summary/data``, 8,290 salon messages in four languages; 0.5 % of them name
another member by Matrix id, 1 % start with ``=``, ``+``, ``-`` or ``@``), a summary per
capture, and 1,000 outcomes with 2,000 steps of history.

Each run is the whole process an operator runs, ``salonbot export --format csv|xlsx --db URL
--out DIR`` (``python -m bot.cli``), timed from start to exit with its peak resident memory
from the kernel (``wait4``'s ``ru_maxrss``). The floor, in the same run and alternating with
it: ``sqlite3 FILE .dump`` of the same tables into a file (Debian's ``sqlite3`` shell; with
Python's ``iterdump`` where it is missing), the cost of reading every row and writing it as
text with no Python in between. Peak memory is GNU time's (``/usr/bin/time -f %M``) where it
is installed.

    .venv/bin/python benchmarks/export.py              # 1,000,000 rows, 3 runs each, ≈ 6 min
    .venv/bin/python benchmarks/export.py --quick      # 100,000 rows, 1 run each, ≈ 30 s
    .venv/bin/python benchmarks/export.py --db FILE    # keep (and reuse) the built database

Prints a Markdown table and writes the numbers to
``benchmarks/results-export-<date>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from _report import machine
from _salonbench import discussion_texts
from _salonbench import sqlite_time as ts
from _stats import median

HERE = Path(__file__).resolve().parent
SERVER = "bench.example"
GOAL_ROWS_PER_S = 100_000
GOAL_RSS_MB = 200
TABLES = ("salons", "members", "meetings", "rsvps", "minute_items", "outcomes",
          "outcome_events", "summaries", "recorded_messages", "captures", "consents")


@dataclass(frozen=True)
class Plan:
    salons: int = 50
    members_per_salon: int = 200
    captures_per_salon: int = 10
    messages: int = 584_350
    items: int = 400_000
    outcomes: int = 1_000
    runs: int = 3


QUICK = Plan(messages=58_435, items=40_000, outcomes=100, runs=1)


def build(path: Path, plan: Plan) -> dict[str, Any]:
    from bot.db.migrate import upgrade

    started = time.perf_counter()
    upgrade(f"sqlite:///{path}")
    rng = random.Random(10)
    corpus = discussion_texts()
    now = dt.datetime.now(dt.UTC)
    users = [f"@u{n:05d}:{SERVER}" for n in range(5_000)]
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    counts: dict[str, int] = {}

    def put(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(columns.split(",")))
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        counts[table] = counts.get(table, 0) + len(rows)

    def text(salon_people: list[str]) -> str:
        body = rng.choice(corpus)
        roll = rng.random()
        if roll < 0.005:
            body = f"{rng.choice(salon_people)} {body}"
        elif roll < 0.015:
            body = rng.choice("=+-@") + body
        return body

    with db:
        salons, members, consents = [], [], []
        people_of: dict[int, list[str]] = {}
        for s in range(1, plan.salons + 1):
            people = rng.sample(users, plan.members_per_salon)
            people_of[s] = people
            salons.append((s, f"!salon{s:03d}:{SERVER}", f"Salon {s}", None, 0, "open", "da",
                           None, people[0], ts(now - dt.timedelta(days=100)), None, None))
            for user in people:
                members.append((s, user, "citizen", "host" if user == people[0] else
                                "participant", "joined", people[0], None,
                                ts(now - dt.timedelta(days=90)), None))
                roll = rng.random()
                if roll < 0.8:
                    consents.append((user, s, "named" if roll < 0.2 else "yes", "command",
                                     ts(now - dt.timedelta(days=89))))
        put("salons", "id, room_id, title, topic, is_public, status, language, timezone, "
            "created_by, created_at, closed_at, closing_statement", salons)
        put("members", "salon_id, user_id, role, standing, status, invited_by, invited_at, "
            "joined_at, left_at", members)
        put("consents", "user_id, salon_id, level, via, given_at", consents)

        meetings, rsvps = [], []
        for s in range(1, plan.salons + 1):
            for n in (1, 2):
                mid = (s - 1) * 2 + n
                start = now + dt.timedelta(days=7 * n)
                meetings.append((mid, s, n, "Møde", "Biblioteket", ts(start),
                                 ts(start + dt.timedelta(hours=2)), "Europe/Copenhagen",
                                 "scheduled", 0, people_of[s][0], ts(now), ts(now)))
                for user in rng.sample(people_of[s], 20):
                    rsvps.append((mid, user, "yes", 0, "command", None, ts(now)))
        put("meetings", "id, salon_id, number, title, place, starts_at, ends_at, timezone, "
            "status, sequence, created_by, created_at, updated_at", meetings)
        put("rsvps", "meeting_id, user_id, answer, waitlisted, via, reaction_event_id, "
            "answered_at", rsvps)

        captures = plan.salons * plan.captures_per_salon
        per_capture = plan.messages // captures
        items_per_capture = plan.items // captures
        number = 0
        summaries = []
        for c in range(1, captures + 1):
            s = (c - 1) // plan.captures_per_salon + 1
            people = people_of[s]
            begun = now - dt.timedelta(days=60) + dt.timedelta(hours=c % 1000)
            db.execute("INSERT INTO captures (id, salon_id, meeting_id, started_by, started_at, "
                       "ended_at) VALUES (?, ?, NULL, ?, ?, ?)",
                       (c, s, people[0], ts(begun), ts(begun + dt.timedelta(hours=2))))
            rows = []
            for i in range(per_capture):
                number += 1
                rows.append((c, f"$e{number:09d}", rng.choice(people), "citizen", text(people),
                             None, ts(begun + dt.timedelta(seconds=7 * i)), None, None))
            put("recorded_messages", "capture_id, event_id, user_id, role, body, reply_to, "
                "sent_at, edited_at, text_deleted_at", rows)
            items = [(s, c, None, (c - 1) % plan.captures_per_salon * items_per_capture + k + 1,
                      "idea", text(people), rng.choice(people), None, None, None, ts(begun))
                     for k in range(items_per_capture)]
            put("minute_items", "salon_id, capture_id, meeting_id, number, kind, text, user_id, "
                "assignee, due, event_id, created_at", items)
            summaries.append((s, c, "extractive", "0.1.0", "da",
                              "**Opsummering af samtalen**\n" + rng.choice(corpus), "{}",
                              ts(begun + dt.timedelta(hours=2))))
        counts["captures"] = captures
        put("summaries", "salon_id, capture_id, method, version, language, source, data, "
            "created_at", summaries)
        outcomes, events = [], []
        for o in range(1, plan.outcomes + 1):
            s = (o - 1) % plan.salons + 1
            outcomes.append((o, s, "proposal", rng.choice(corpus), None, "answered",
                             "Tak, vi ser på det.", people_of[s][0], ts(now), ts(now), ts(now)))
            events.append((o, "submitted", "submitted", None, people_of[s][0], "host", ts(now)))
            events.append((o, "answer", "answered", "Tak, vi ser på det.",
                           f"@case:{SERVER}", "staff", ts(now)))
        put("outcomes", "id, salon_id, kind, text, item_id, status, answer, created_by, "
            "created_at, answered_at, updated_at", outcomes)
        put("outcome_events", "outcome_id, action, status, text, by_user, by_role, at", events)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("ANALYZE")
    db.close()
    exported = sum(counts.get(t, 0) for t in ("salons", "members", "meetings", "rsvps",
                                               "minute_items", "outcomes", "outcome_events",
                                               "summaries", "recorded_messages"))
    return {"counts": counts, "exported_rows": exported,
            "build_s": time.perf_counter() - started, "bytes": path.stat().st_size}


TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def timed(command: list[str], stdout: Path) -> dict[str, float]:
    """One whole process: wall seconds, CPU seconds and peak RSS (MiB). The peak comes from
    GNU time where it is installed: ``wait4``'s ``ru_maxrss`` of a child of this process
    also counts the pages it shared with this (large) Python before ``exec``."""
    peak_file = stdout.with_suffix(".rss")
    prefix = [TIME, "-f", "%M", "-o", str(peak_file)] if TIME else []
    with stdout.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen([*prefix, *command], stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode() if process.stderr else ""
    if code != 0:
        raise RuntimeError(f"{command[:4]} failed ({code}): {error[-2000:]}")
    peak_kib = (int(peak_file.read_text().split()[-1]) if TIME and peak_file.exists()
                else usage.ru_maxrss)
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": peak_kib / 1024}


def export_command(db: Path, fmt: str, out: Path) -> list[str]:
    return [sys.executable, "-m", "bot.cli", "export", "--format", fmt, "--db",
            f"sqlite:///{db}", "--out", str(out)]


def dump_command(db: Path) -> list[str]:
    shell = shutil.which("sqlite3")
    if shell:
        return [shell, str(db), f".dump {' '.join(TABLES)}"]
    script = ("import sqlite3,sys\nw=sys.stdout.write\n"
              f"for line in sqlite3.connect({str(db)!r}).iterdump(): w(line + '\\n')\n")
    return [sys.executable, "-c", script]


def table(results: dict[str, Any]) -> str:
    rows = results["exported_rows"]
    floor = median([r["wall_s"] for r in results["runs"]["dump"]])
    lines = ["| what | runs | wall (median) | min–max | rows/s | CPU s (median) | peak RSS "
             "(median) | ÷ floor |", "|---|---:|---:|---|---:|---:|---:|---:|"]
    names = {"dump": "floor: `sqlite3 .dump` of the same tables",
             "csv": "`salonbot export --format csv`", "xlsx": "`salonbot export --format xlsx`"}
    for key in ("dump", "csv", "xlsx"):
        runs = results["runs"].get(key)
        if not runs:
            continue
        walls = [r["wall_s"] for r in runs]
        wall = median(walls)
        lines.append(f"| {names[key]} | {len(runs)} | {wall:.1f} s | {min(walls):.1f}–"
                     f"{max(walls):.1f} s | {rows / wall:,.0f} | "
                     f"{median([r['cpu_s'] for r in runs]):.1f} | "
                     f"{median([r['peak_rss_mib'] for r in runs]):.0f} MiB | "
                     f"{wall / floor:.2f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 rows, one run each")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--db", metavar="FILE",
                        help="build the database here and keep it (reused if it exists)")
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    if args.runs:
        plan = replace(plan, runs=args.runs)
    info = machine()
    with tempfile.TemporaryDirectory(prefix="salonbot-export-bench-") as tmp:
        root = Path(tmp)
        db = Path(args.db) if args.db else root / "bench.db"
        if db.exists():
            with sqlite3.connect(db) as conn:
                exported = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                               for t in ("salons", "members", "meetings", "rsvps",
                                         "minute_items", "outcomes", "outcome_events",
                                         "summaries", "recorded_messages"))
            shape: dict[str, Any] = {"reused": str(db), "exported_rows": exported,
                                     "bytes": db.stat().st_size}
        else:
            shape = build(db, plan)
            print(f"built {shape['exported_rows']:,} rows in {shape['build_s']:.0f} s "
                  f"({shape['bytes'] / 2**20:.0f} MiB)", flush=True)
        formats = [f for f in args.formats.split(",") if f]
        runs: dict[str, list[dict[str, float]]] = {"dump": [], **{f: [] for f in formats}}
        # A warm-up of each (the page cache, Python's byte code), then the runs alternating.
        timed(dump_command(db), root / "dump.sql")
        for fmt in formats:
            timed(export_command(db, fmt, root / f"out-{fmt}"), root / f"{fmt}.txt")
        for n in range(plan.runs):
            runs["dump"].append(timed(dump_command(db), root / "dump.sql"))
            for fmt in formats:
                out = root / f"out-{fmt}"
                shutil.rmtree(out, ignore_errors=True)
                runs[fmt].append(timed(export_command(db, fmt, out), root / f"{fmt}.txt"))
            print(f"run {n + 1}: " + ", ".join(
                f"{k} {v[-1]['wall_s']:.1f} s / {v[-1]['peak_rss_mib']:.0f} MiB"
                for k, v in runs.items()), flush=True)
        sizes = {fmt: sum(p.stat().st_size for p in (root / f"out-{fmt}").iterdir())
                 for fmt in formats}
        sizes["dump"] = (root / "dump.sql").stat().st_size
    results = {"plan": asdict(plan), "machine": info, "shape": shape,
               "exported_rows": shape["exported_rows"], "runs": runs, "bytes_written": sizes,
               "date": dt.date.today().isoformat(), "load_average_at_end": os.getloadavg()}
    print(table(results))
    out = Path(args.out) if args.out else HERE / f"results-export-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
