"""What the meetings and minutes benchmarks share: salonbot in its own process on a private
Synapse, citizens that time commands, salons opened the way a host opens them, and the
tables of paired round trips.

A pair is two commands sent by the same citizen in the same round, in a random order, a few
tens of milliseconds apart, so load on this shared machine falls on both alike; ratios are
of percentiles of the two from the same run, with a 95 % bootstrap interval (``_stats``).
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from _citizens import NoReply, Seen, TimedCitizen, in_reply_to
from _stats import Ratio, ratio, summarise

from bot.config import load_config
from bot.localserver import LocalSynapse

T = TypeVar("T")

HERE = Path(__file__).resolve().parent


#: Real discussion texts (the summariser's benchmark data), to fill a database with.
DISCUSSIONS = HERE / "summary" / "data"


def discussion_texts() -> list[str]:
    """Every message text of the benchmark discussions, in a stable order."""
    out = []
    for path in sorted(DISCUSSIONS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


def sqlite_time(moment: datetime) -> str:
    """How SQLAlchemy stores a ``UTCDateTime`` on SQLite, for rows inserted with sqlite3."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
PASSWORD = "bench-password"
READY = "first sync handled"
SCHEDULER_READY = "scheduler started"


# ---------------------------------------------------------------- salonbot


def write_config(path: Path, hs: LocalSynapse, user_id: str, home: Path, *, encrypt: bool,
                 **sections: dict[str, Any]) -> Path:
    """salonbot's configuration as ``roundtrip.py`` writes it (SQLite in ``home``, anyone on
    the private server allowed, no limit on salons), with extra ``sections`` merged in."""
    config: dict[str, Any] = {
        "matrix": {"homeserver": hs.base_url, "user_id": user_id, "password": PASSWORD,
                   "device_name": "salonbot-bench", "store_path": str(home / "store"),
                   "encrypt_new_rooms": encrypt},
        "bot": {"default_language": "da", "allowed_users": [f"@.*:{hs.server_name}"],
                "open_limit": 0},
        "database": {"url": f"sqlite:///{home / 'salonbot.db'}"},
    }
    for name, values in sections.items():
        config.setdefault(name, {}).update(values)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    load_config(path, environ={})  # fail here, not in the subprocess
    return path


def salonbot_command(config: Path) -> list[str]:
    """``salonbot run -c CONFIG``, exactly as an operator runs it."""
    script = Path(sys.executable).parent / "salonbot"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    return [*prefix, "run", "-c", str(config)]


def scheduled_bot_command(config: Path) -> list[str]:
    """``benchmarks/scheduled_bot.py``: ``salonbot run`` plus the ``bench.ping`` job kind."""
    return [sys.executable, str(HERE / "scheduled_bot.py"), str(config)]


def in_workdir(name: str, keep: str | None, body: Callable[[Path], T]) -> T:
    """``body`` in a folder of its own: ``keep`` (emptied first, left behind for a look at
    Synapse, the log and the database) or a temporary one that goes afterwards."""
    if keep:
        root = Path(keep).resolve()
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        return body(root)
    with tempfile.TemporaryDirectory(prefix=f"salonbot-{name}-") as tmp:
        return body(Path(tmp))


class Api:
    """The client-server API with an account's saved login (the bot's, from its store)."""

    def __init__(self, hs: LocalSynapse, store: Path) -> None:
        credentials = json.loads((store / "credentials.json").read_text(encoding="utf-8"))
        self.base = hs.base_url
        self.headers = {"Authorization": f"Bearer {credentials['access_token']}",
                        "Content-Type": "application/json"}

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=self.headers)
        for attempt in range(5):
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return json.load(response)
            except urllib.error.HTTPError as err:
                if err.code != 429 or attempt == 4:
                    raise
                time.sleep(1)
        raise AssertionError("unreachable")

    def create_room(self, name: str) -> str:
        return str(self.call("POST", "/_matrix/client/v3/createRoom",
                             {"preset": "private_chat", "name": name})["room_id"])

    def joined_rooms(self) -> list[str]:
        return list(self.call("GET", "/_matrix/client/v3/joined_rooms")["joined_rooms"])

    def messages(self, room_id: str) -> list[dict[str, Any]]:
        """Every ``m.room.message`` in the room, oldest first."""
        events: list[dict[str, Any]] = []
        token: str | None = None
        query = {"dir": "b", "limit": "1000",
                 "filter": json.dumps({"types": ["m.room.message"]})}
        while True:
            if token:
                query["from"] = token
            page = self.call("GET", f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}"
                             f"/messages?{urllib.parse.urlencode(query)}")
            events.extend(page.get("chunk", []))
            token = page.get("end")
            if not page.get("chunk") or not token:
                return list(reversed(events))


# ---------------------------------------------------------------- citizens


class Citizen(TimedCitizen):
    """A timed citizen that also keeps every reply to a command (``schedule`` answers with
    the confirmation and then the announcement, both replies to the command)."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self.all_replies: dict[str, list[Seen]] = {}

    def _record(self, event: Any, now: float) -> None:
        target = in_reply_to(event)
        known = target is not None and target in self.replies
        super()._record(event, now)
        if target is None:
            return
        if known:  # a second reply: the first was recorded (with its bot's share) already
            command_ts = self._stored_at.get(target)
            bot_s = None if command_ts is None else (event.server_timestamp - command_ts) / 1000
            self.all_replies.setdefault(target, []).append(
                Seen(now, str(getattr(event, "body", "")), str(getattr(event, "sender", "")),
                     bot_s))
        else:
            self.all_replies.setdefault(target, []).append(self.replies[target])

    async def replies_to(self, event_id: str, count: int, timeout: float) -> list[Seen]:
        """The first ``count`` replies to ``event_id`` (after the first has been awaited)."""
        deadline = time.monotonic() + timeout
        while len(self.all_replies.get(event_id, [])) < count:
            if time.monotonic() > deadline:
                raise NoReply(f"only {len(self.all_replies.get(event_id, []))} of {count} "
                              f"replies to {event_id} within {timeout:g} s")
            await asyncio.sleep(0.01)
        return self.all_replies[event_id][:count]


async def log_in_citizens(hs: LocalSynapse, root: Path, names: Sequence[str]) -> list[Citizen]:
    citizens = []
    for name in names:
        user_id = hs.register(name, PASSWORD)
        timed = await TimedCitizen.log_in(hs.base_url, user_id, PASSWORD, root / "citizens" / name)
        citizen = Citizen(timed.client)
        citizen.start()
        citizens.append(citizen)
    return citizens


async def open_lobby(host: Citizen, bot_id: str) -> str:
    """A direct chat with salonbot, where the host opens salons."""
    response = await host.client.room_create(is_direct=True, invite=[bot_id])
    room_id = getattr(response, "room_id", None)
    if room_id is None:
        raise RuntimeError(f"could not open a chat with the bot: {response}")
    await host.wait_for_members(room_id, {bot_id})
    return room_id


async def open_salon(host: Citizen, lobby: str, title: str, timeout: float = 60.0) -> str:
    """``!salon open "<title>"`` in the lobby; the host joins the new room."""
    known = set(host.client.invited_rooms) | set(host.client.rooms)
    await host.ask(lobby, f'!salon open "{title}"', timeout)

    def invited() -> set[str]:
        return set(host.client.invited_rooms) - known

    await host.until(lambda: bool(invited()), timeout, what=f"the invite to {title}")
    (room_id,) = invited()
    await host.client.join(room_id)
    return room_id


async def fill_salon(bot_id: str, host: Citizen, others: Sequence[Citizen],
                     room_id: str) -> None:
    """The host invites ``others`` with ``!salon invite``; they join; everyone knows
    everyone's devices (encrypted rooms)."""
    await host.wait_for_members(room_id, {host.user_id, bot_id})
    if host.client.rooms[room_id].encrypted:
        await host.know_devices({bot_id})
    if others:
        _, seen = await host.ask(room_id, "!salon invite " + " ".join(c.user_id for c in others))
        for citizen in others:
            await citizen.until(lambda c=citizen: room_id in c.client.invited_rooms
                                or room_id in c.client.rooms, what=f"the invite to {room_id}")
            await citizen.client.join(room_id)
    everyone = {bot_id, host.user_id, *(c.user_id for c in others)}
    for citizen in (host, *others):
        await citizen.wait_for_members(room_id, everyone)
        if citizen.client.rooms[room_id].encrypted:
            await citizen.know_devices(everyone)


async def say(citizen: Citizen, room_id: str, text: str) -> str:
    """Ordinary talk (not a command); returns the event id."""
    event_id, _ = await citizen.send(room_id, text)
    return event_id


# ---------------------------------------------------------------- paired round trips


@dataclass
class Command:
    """One of the commands of a pair: a name for the tables, the room, the text (a
    function of the round, so a ``schedule`` can ask for a new time each round), and how
    many replies make the answer complete (the first is the round trip)."""

    name: str
    room_id: str
    text: Callable[[int], str]
    replies: int = 1
    #: Awaited just before the command is sent (talk flowing into the room, say).
    before: Callable[[int], Awaitable[None]] | None = None


@dataclass
class Samples:
    round_trip: dict[str, list[float]] = field(default_factory=dict)
    complete: dict[str, list[float]] = field(default_factory=dict)
    bot: dict[str, list[float]] = field(default_factory=dict)
    lost: Counter[str] = field(default_factory=Counter)
    bodies: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, first: float, last: float, bot_s: float | None,
            body: str) -> None:
        self.round_trip.setdefault(name, []).append(first)
        self.complete.setdefault(name, []).append(last)
        if bot_s is not None:
            self.bot.setdefault(name, []).append(bot_s)
        bodies = self.bodies.setdefault(name, [])
        if len(bodies) < 3:
            bodies.append(body)


async def paired_rounds(citizen: Citizen, commands: Sequence[Command], rounds: int, *,
                        seed: int, pause: tuple[float, float] = (0.02, 0.06),
                        timeout: float = 30.0, record: bool = True,
                        samples: Samples | None = None, first_round: int = 0) -> Samples:
    """``rounds`` rounds; in each the citizen sends every command once, in a random order."""
    rng = random.Random(seed)
    samples = samples if samples is not None else Samples()
    for number in range(first_round, first_round + rounds):
        order = list(commands)
        rng.shuffle(order)
        for index, command in enumerate(order):
            if index:
                await asyncio.sleep(rng.uniform(*pause))
            if command.before is not None:
                await command.before(number)
            event_id, sent = await citizen.send(command.room_id, command.text(number))
            try:
                first = await citizen.reply_to(event_id, timeout)
                seen = await citizen.replies_to(event_id, command.replies, timeout)
            except NoReply:
                samples.lost[command.name] += 1
                continue
            if record:
                samples.add(command.name, first.at - sent, seen[-1].at - sent, first.bot_s,
                            first.body)
    return samples


def ratio_rows(samples: Samples, baseline: str, names: Sequence[str],
               goal: float) -> list[dict[str, Any]]:
    """One row per command: percentiles, the bot's share, ratios to ``baseline``."""
    rows = []
    for name in [baseline, *names]:
        trips = samples.round_trip.get(name, [])
        row: dict[str, Any] = {
            "command": name, "summary": summarise(trips), "lost": samples.lost[name],
            "complete": summarise(samples.complete.get(name, [])),
            "bot": summarise(samples.bot.get(name, [])), "samples_s": trips,
            "complete_s": samples.complete.get(name, []),
            "bot_s": samples.bot.get(name, []), "goal": goal,
        }
        if name != baseline:
            base = samples.round_trip.get(baseline, [])
            row["p50_ratio"] = ratio(trips, base, 50)
            row["p95_ratio"] = ratio(trips, base, 95)
        rows.append(row)
    return rows


def _r(r: Ratio | None, goal: float | None) -> str:
    if r is None:
        return "baseline"
    mark = "" if goal is None else (" ✓" if r.value <= goal else " ✗")
    return f"{r.value:.2f}× ({r.low:.2f}–{r.high:.2f}){mark}"


def ratio_table(rows: list[dict[str, Any]], shown: dict[str, str], label: str = "") -> str:
    lines = [
        "| " + ("where | " if label else "") + "command | samples | lost | p50 ms | p95 ms | "
        "bot's share p50 / p95 ms | p50 ÷ baseline (95 % CI) | p95 ÷ baseline (95 % CI) |",
        "|" + ("---|" if label else "") + "---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in rows:
        s, b = row["summary"], row["bot"]
        goal = row.get("goal")
        lines.append(
            "| " + (f"{label} | " if label else "") + f"{shown.get(row['command'], row['command'])}"
            f" | {s.n} | {row['lost']} | {s.p50 * 1000:.1f} | {s.p95 * 1000:.1f} | "
            f"{b.p50 * 1000:.0f} / {b.p95 * 1000:.0f} | {_r(row.get('p50_ratio'), goal)} | "
            f"{_r(row.get('p95_ratio'), None)} |")
    return "\n".join(lines)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile by the nearest rank (p99 of 100 values is the 99th)."""
    data = sorted(values)
    if not data:
        return float("nan")
    return data[min(len(data) - 1, max(0, int(round(q / 100 * (len(data) - 1)))))]


def jsonable(value: Any) -> Any:
    """Dataclasses (``Summary``, ``Ratio``) and the like, for the results file."""
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)
