"""forget-me (issue 9) for a person with 10,000 recorded messages in a database of 1,000,000.

A SQLite database at the current schema (``bot.db.migrate.upgrade``) filled with
``executemany``, shaped like a year of a municipality's salons: 100 salons of 200 members,
10 captures each (1,000 captures of 1,000 recorded messages), every recorded message watched
(``handlers.capture.on_talk`` watches each, so an edit or a removal still reaches it), 10
items and one stored summary per capture (its data listing the capture's event ids, as
``handlers.summary`` stores them), consent records, meetings and answers. The person is in
20 salons and wrote 500 of the 1,000 messages of one capture in each (10,000 messages); 15 %
of all messages reply to an earlier one of the capture, a third of the replies to the
person quote them (``> <@…> …``), and 0.2 % of the others' messages in their captures name
them. Texts are drawn from ``benchmarks/summary/data`` (8,290 salon messages in four
languages).

Each run erases the person from a fresh copy of the built file:

- ``bot.privacy.erase`` alone in one write transaction (no summary made again), to the
  commit and the log's truncation;
- ``!salon glem-mig ja`` in the person's direct chat through ``bot.chat.ChatSession`` (the
  real router, handler and registry): answers withdrawn, the erasure, the 20 summaries that
  drew on them made again without them, the answer staged.

Afterwards ``bot.privacy.left_behind`` checks that their id is in no text column.

    .venv/bin/python benchmarks/forget_me.py            # 3 runs of each, ≈ 1.5 min
    .venv/bin/python benchmarks/forget_me.py --quick    # 100,000 messages, 1 run, ≈ 10 s

Prints a Markdown table and writes the numbers to
``benchmarks/results-forget-me-<date>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import psutil
from _report import machine
from _salonbench import discussion_texts
from _salonbench import sqlite_time as ts
from _stats import median

HERE = Path(__file__).resolve().parent
SERVER = "bench.example"
PERSON = f"@forget:{SERVER}"
GOAL_S = 5.0


@dataclass(frozen=True)
class Plan:
    messages: int = 1_000_000
    person_messages: int = 10_000
    salons: int = 100
    members_per_salon: int = 200
    captures_per_salon: int = 10
    person_salons: int = 20
    watched: bool = True
    runs: int = 3


QUICK = Plan(messages=100_000, person_messages=10_000, salons=20, captures_per_salon=5,
             person_salons=20, runs=1)


def event_id(n: int) -> str:
    """An event id shaped like a Synapse one (``$`` and 43 URL-safe base64 characters)."""
    digest = hashlib.sha256(n.to_bytes(8, "big")).digest()
    return "$" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def build(path: Path, plan: Plan) -> dict[str, Any]:
    from bot.db.migrate import upgrade

    started = time.perf_counter()
    upgrade(f"sqlite:///{path}")
    rng = random.Random(9)
    corpus = discussion_texts()
    now = dt.datetime.now(dt.UTC)
    users = [f"@u{n:05d}:{SERVER}" for n in range(5_000)]
    captures = plan.salons * plan.captures_per_salon
    per_capture = plan.messages // captures
    person_per_capture = plan.person_messages // plan.person_salons
    assert person_per_capture <= per_capture, "the person cannot write more than everyone"
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    counts: dict[str, int] = {}

    def put(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(columns.split(",")))
        db.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        counts[table] = counts.get(table, 0) + len(rows)

    with db:
        salons, members, consents = [], [], []
        salon_members: dict[int, list[str]] = {}
        for s in range(1, plan.salons + 1):
            host = users[(s * 37) % len(users)]
            people = rng.sample(users, plan.members_per_salon - 1)
            if host not in people:
                people[0] = host
            if s <= plan.person_salons:
                people.append(PERSON)
            salon_members[s] = people
            salons.append((s, f"!salon{s:03d}:{SERVER}", f"Salon {s}", None, 0, "open", "da",
                           None, host, ts(now - dt.timedelta(days=300)), None, None))
            for user in people:
                members.append((s, user, "citizen", "host" if user == host else "participant",
                                "joined", host, None, ts(now - dt.timedelta(days=200)), None))
                if user == PERSON or rng.random() < 0.6:
                    consents.append((user, s, "yes", "command",
                                     ts(now - dt.timedelta(days=199))))
        put("salons", "id, room_id, title, topic, is_public, status, language, timezone, "
            "created_by, created_at, closed_at, closing_statement", salons)
        put("members", "salon_id, user_id, role, standing, status, invited_by, invited_at, "
            "joined_at, left_at", members)
        put("consents", "user_id, salon_id, level, via, given_at", consents)
        put("user_settings", "user_id, language, updated_at", [(PERSON, "da", ts(now))])

        # Meetings and answers: two per salon, twenty answers each.
        meetings, rsvps = [], []
        for s in range(1, plan.salons + 1):
            for n in (1, 2):
                mid = (s - 1) * 2 + n
                start = now + dt.timedelta(days=7 * n)
                meetings.append((mid, s, n, "Møde", "Biblioteket", ts(start),
                                 ts(start + dt.timedelta(hours=2)), "Europe/Copenhagen",
                                 "scheduled", 0, salon_members[s][0], ts(now), ts(now)))
                people = rng.sample(salon_members[s], 19)
                if s <= plan.person_salons and PERSON not in people:
                    people.append(PERSON)
                for user in people:
                    rsvps.append((mid, user, "yes", 0, "command", None, ts(now)))
        put("meetings", "id, salon_id, number, title, place, starts_at, ends_at, timezone, "
            "status, sequence, created_by, created_at, updated_at", meetings)
        put("rsvps", "meeting_id, user_id, answer, waitlisted, via, reaction_event_id, "
            "answered_at", rsvps)

        # Captures, messages, watched events, items, summaries.
        number = 0
        capture_id = 0
        items, summaries = [], []
        for s in range(1, plan.salons + 1):
            people = [u for u in salon_members[s] if u != PERSON]
            for c in range(plan.captures_per_salon):
                capture_id += 1
                begun = now - dt.timedelta(days=30) + dt.timedelta(hours=capture_id % 700)
                db.execute("INSERT INTO captures (id, salon_id, meeting_id, started_by, "
                           "started_at, ended_at) VALUES (?, ?, NULL, ?, ?, ?)",
                           (capture_id, s, people[0], ts(begun),
                            ts(begun + dt.timedelta(hours=2))))
                theirs = person_per_capture if (c == 0 and s <= plan.person_salons) else 0
                authors = [PERSON] * theirs + [rng.choice(people)
                                               for _ in range(per_capture - theirs)]
                rng.shuffle(authors)
                rows, watched, ids = [], [], []
                for i, author in enumerate(authors):
                    number += 1
                    eid = event_id(number)
                    body = rng.choice(corpus)
                    reply_to = None
                    if ids and rng.random() < 0.15:
                        k = rng.randrange(len(ids))
                        reply_to = ids[k]
                        if authors[k] == PERSON and author != PERSON and rng.random() < 1 / 3:
                            body = f"> <{PERSON}> {rng.choice(corpus)}\n\n{body}"
                    if theirs and author != PERSON and rng.random() < 0.002:
                        body = f"{PERSON} {body}"
                    ids.append(eid)
                    rows.append((capture_id, eid, author, "citizen", body, reply_to,
                                 ts(begun + dt.timedelta(seconds=7 * i)), None, None))
                    watched.append((eid, f"!salon{s:03d}:{SERVER}", f"minutes:{capture_id}",
                                    ts(begun)))
                put("recorded_messages", "capture_id, event_id, user_id, role, body, "
                    "reply_to, sent_at, edited_at, text_deleted_at", rows)
                if plan.watched:
                    put("watched_events", "event_id, room_id, key, created_at", watched)
                for k in range(10):
                    author = PERSON if (theirs and k < 2) else rng.choice(people)
                    items.append((s, capture_id, None, k + 1 + 10 * c, "idea",
                                  rng.choice(corpus), author, None, None, ids[k * 7],
                                  ts(begun)))
                data = {"fingerprint": "x", "capture_id": capture_id, "event_ids": ids,
                        "item_ids": [], "counted": {}, "summary": {}, "blocks": []}
                summaries.append((s, capture_id, "extractive", "0.1.0+layout1", "da",
                                  "**Opsummering af samtalen**\n" + rng.choice(corpus),
                                  json.dumps(data), ts(begun + dt.timedelta(hours=2))))
        put("minute_items", "salon_id, capture_id, meeting_id, number, kind, text, user_id, "
            "assignee, due, event_id, created_at", items)
        put("summaries", "salon_id, capture_id, method, version, language, source, data, "
            "created_at", summaries)
        counts["captures"] = capture_id
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("ANALYZE")
    db.close()
    return {"counts": counts, "build_s": time.perf_counter() - started,
            "bytes": path.stat().st_size}


def person_rows(path: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {
            "recorded_messages": db.execute("SELECT count(*) FROM recorded_messages WHERE "
                                            "user_id = ?", (PERSON,)).fetchone()[0],
            "all_recorded_messages": db.execute("SELECT count(*) FROM recorded_messages"
                                                ).fetchone()[0],
            "watched_events": db.execute("SELECT count(*) FROM watched_events").fetchone()[0],
        }


def rss_mib() -> float:
    """Resident memory now."""
    return psutil.Process().memory_info().rss / 2**20


def erase_alone(path: Path) -> dict[str, Any]:
    from bot import privacy
    from bot.db import Database

    database = Database(f"sqlite:///{path}")
    try:
        started = time.perf_counter()
        with database.session(write=True) as session:
            erased = privacy.erase(session, PERSON)
            erased_s = time.perf_counter() - started
        total = time.perf_counter() - started
        with database.session() as session:
            left = privacy.left_behind(session, [PERSON])
    finally:
        database.dispose()
    return {"seconds": total, "erase_s": erased_s, "commit_and_checkpoint_s": total - erased_s,
            "deleted": {k: asdict(v) for k, v in erased.tables.items() if v},
            "left_behind": left}


async def erase_by_command(path: Path) -> dict[str, Any]:
    from bot import privacy
    from bot.chat import ChatSession, chat_config
    from bot.clock import SystemClock
    from handlers import build_registry

    before = rss_mib()
    mark = time.perf_counter()
    chat = ChatSession(f"sqlite:///{path}", chat_config("da"), registry=build_registry(),
                       clock=SystemClock())
    setup_s = time.perf_counter() - mark
    try:
        room = chat.direct_room(PERSON)
        await chat.run_due()  # the start hooks and the retention sweep, before the clock
        started = time.perf_counter()
        turn = await chat.say(PERSON, room, "!salon glem-mig ja")
        seconds = time.perf_counter() - started
        with chat.db.session() as session:
            left = privacy.left_behind(session, [PERSON])
    finally:
        chat.close()
    return {"seconds": seconds, "answer": turn.text[:2000], "left_behind": left,
            "session_setup_s": setup_s, "rss_mib_before": before,
            "rss_mib_after": rss_mib()}


def watch_load(path: Path) -> dict[str, float]:
    """What every start pays for the watched events: ``Watch.load`` reads them all."""
    from bot.db import Database
    from bot.watch import Watch

    database = Database(f"sqlite:///{path}")
    try:
        gc.collect()
        before = rss_mib()
        watch = Watch()
        started = time.perf_counter()
        watch.load(database)
        return {"seconds": time.perf_counter() - started, "events": len(watch._events),
                "rss_growth_mib": rss_mib() - before}
    finally:
        database.dispose()


def copy(built: Path, work: Path) -> Path:
    if work.exists():
        work.unlink()
    shutil.copyfile(built, work)
    return work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="100,000 messages, one run")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--messages", type=int)
    parser.add_argument("--no-watched", action="store_true",
                        help="no watched event per recorded message")
    parser.add_argument("--db", metavar="FILE",
                        help="build the database here and keep it (reused if it exists)")
    parser.add_argument("--out", metavar="FILE")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else Plan()
    overrides = {"runs": args.runs, "messages": args.messages,
                 "watched": False if args.no_watched else None}
    plan = replace(plan, **{k: v for k, v in overrides.items() if v is not None})
    info = machine()
    date = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="salonbot-forget-") as tmp:
        built = Path(args.db) if args.db else Path(tmp) / "built.db"
        if built.exists():
            shape: dict[str, Any] = {"reused": str(built), "bytes": built.stat().st_size}
        else:
            shape = build(built, plan)
        shape["person"] = person_rows(built)
        print(f"built: {json.dumps(shape)}", file=sys.stderr)
        work = Path(tmp) / "work.db"
        loaded = watch_load(copy(built, work))
        alone = [erase_alone(copy(built, work)) for _ in range(plan.runs)]
        print(f"erase alone: {[round(a['seconds'], 2) for a in alone]}", file=sys.stderr)
        by_command = [asyncio.run(erase_by_command(copy(built, work)))
                      for _ in range(plan.runs)]
        print(f"by command: {[round(a['seconds'], 2) for a in by_command]}", file=sys.stderr)
    info["load_average_at_end"] = os.getloadavg()
    result = {"date": date, "machine": info, "plan": asdict(plan), "shape": shape,
              "erase_alone": alone, "by_command": by_command, "watch_load": loaded}
    out = Path(args.out) if args.out else HERE / f"results-forget-me-{date}.json"
    out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    print(report(result))
    print(f"\nRaw results: {out}")
    return 0


def report(result: dict[str, Any]) -> str:
    info, shape = result["machine"], result["shape"]
    person = shape["person"]
    alone, by_command = result["erase_alone"], result["by_command"]

    def line(label: str, runs: list[dict[str, Any]]) -> str:
        seconds = [r["seconds"] for r in runs]
        m = median(seconds)
        left = sorted({c for r in runs for c in r["left_behind"]})
        return (f"| {label} | {len(seconds)} | {m:.2f} s | {min(seconds):.2f}–"
                f"{max(seconds):.2f} s | {', '.join(left) or 'nowhere'} | "
                f"{'✓' if m < GOAL_S else '✗'} |")

    first = alone[0]
    loaded = result["watch_load"]
    return "\n".join([
        f"Measured {result['date']} on {info['cpus']} CPUs ({info['cpu_model']}), Python "
        f"{info['python']}, salonbot {info['commit']}"
        f"{' + uncommitted changes' if info['working_tree_changed'] else ''}; load average "
        f"{info['load_average_at_start'][0]:.1f} at the start, "
        f"{info['load_average_at_end'][0]:.1f} at the end. Database "
        f"{shape['bytes'] / 2**20:.0f} MiB: {person['all_recorded_messages']:,} recorded "
        f"messages ({person['recorded_messages']:,} the person's), "
        f"{person['watched_events']:,} watched events"
        + (f", built in {shape['build_s']:.0f} s." if "build_s" in shape else "."),
        "",
        "| forget-me | runs | median | min–max | the person's id left in | goal < 5 s |",
        "|---|---:|---:|---|---|---|",
        line("`bot.privacy.erase` alone, to the commit and the log's truncation", alone),
        line("`!salon glem-mig ja` through `ChatSession` (summaries made again)", by_command),
        "",
        f"Of the erasure alone, {first['erase_s']:.2f} s is the statements and "
        f"{first['commit_and_checkpoint_s']:.2f} s the commit and the checkpoint; what it "
        f"did: {json.dumps(first['deleted'])}. Loading the watched events at a start "
        f"(`Watch.load`, every start of the bot): {loaded['seconds']:.2f} s for "
        f"{loaded['events']:,} events, resident memory +{loaded['rss_growth_mib']:.0f} MiB.",
    ])


if __name__ == "__main__":
    sys.exit(main())
