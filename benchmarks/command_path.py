"""CPU per command on salonbot's own path, in one process, with no homeserver.

What salonbot does for a command on top of what the echo bot does: the sync loop's ledger
check, the router, the handler, the handled mark and the staged reply in one transaction,
the flush (the outbox read, the send, the row removed) and the sync position stored after
the batch. The real ``SyncLoop._handle`` runs on a real SQLite database (WAL, as
``salonbot run`` has it) with a salon of ten members, opened through the real handlers;
only the homeserver is replaced by a client whose ``room_send`` answers at once (nothing is
encrypted: that is the same work for both bots). So the figures are the bot's own CPU per
command, without nio, aiohttp or the homeserver.

    .venv/bin/python benchmarks/command_path.py                # help and info, 2,000 each
    .venv/bin/python benchmarks/command_path.py --profile FILE # and a cProfile of all of it
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from nio import AsyncClient, Event, MatrixRoom, RoomSendResponse

from bot.chat import ChatSession
from bot.matrix import ledger
from bot.matrix.crypto import LateKeys
from bot.matrix.direct import DirectRooms
from bot.matrix.invites import Invites
from bot.matrix.outbox import Outbox
from bot.matrix.retry import RuntimeStats
from bot.matrix.sender import ReplySender
from bot.matrix.startup import SyncOptions
from bot.matrix.sync import SyncLoop
from handlers import build_registry

HOST = "@host:chat"
CITIZENS = [f"@citizen{i:02d}:chat" for i in range(1, 10)]
COMMANDS = ("!salon help", "!salon info")


class InstantClient(AsyncClient):
    """A client whose sends are accepted at once, in rooms it knows of."""

    def __init__(self, user_id: str, rooms: list[str]) -> None:
        super().__init__("http://127.0.0.1:9", user_id)  # never contacted
        for room_id in rooms:
            self.rooms[room_id] = MatrixRoom(room_id, user_id)
        self._sent = itertools.count(1)
        self.sent = 0

    async def room_send(self, room_id: str, message_type: str, content: dict[str, Any],
                        tx_id: str | None = None, ignore_unverified_devices: bool = False,
                        ) -> RoomSendResponse:  # type: ignore[override]
        self.sent += 1
        return RoomSendResponse(f"$sent{next(self._sent)}", room_id)


async def salon(chat: ChatSession) -> str:
    lobby = chat.direct_room(HOST)
    await chat.say(HOST, lobby, '!salon open "Benchmark salon"')
    room_id = chat.salon_room(1)
    assert room_id is not None, "the salon was not opened"
    await chat.join(HOST, room_id)
    await chat.say(HOST, room_id, "!salon invite " + " ".join(CITIZENS))
    for citizen in CITIZENS:
        await chat.join(citizen, room_id)
    return room_id


def sync_loop(chat: ChatSession, client: AsyncClient) -> SyncLoop:
    stats = RuntimeStats()
    sender = ReplySender(client, Outbox(chat.db), DirectRooms(
        client, encrypt=False, reserved=lambda _room: True), chat.router.clock, stats)
    return SyncLoop(
        client=client, router=chat.router, db=chat.db, sender=sender,
        invites=Invites(client, is_allowed=chat.router.is_allowed, language="da",
                        staff_room=lambda: None),
        late_keys=LateKeys(client), clock=chat.router.clock, stats=stats,
        options=SyncOptions(), is_reserved=lambda _room: True)


def command(body: str, sender: str, number: int) -> Event:
    return Event.parse_event({
        "type": "m.room.message", "event_id": f"$cmd{number}", "sender": sender,
        "origin_server_ts": 1_700_000_000_000 + number,
        "content": {"msgtype": "m.text", "body": body}})


async def measure(count: int, profile: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="salonbot-path-") as tmp:
        chat = ChatSession(f"sqlite:///{Path(tmp) / 'salonbot.db'}", registry=build_registry())
        room_id = await salon(chat)
        client = InstantClient(chat.config.matrix.user_id, [room_id])
        loop = sync_loop(chat, client)
        numbers = itertools.count(1)
        people = itertools.cycle([HOST, *CITIZENS])

        async def one(body: str) -> float:
            started = time.process_time()
            await loop._handle(room_id, command(body, next(people), next(numbers)), "s1")
            ledger.save_position(chat.db, f"s{next(numbers)}", chat.router.clock.now())
            return time.process_time() - started

        for body in COMMANDS * 50:  # warm-up: caches, catalogs, compiled statements
            await one(body)
        profiler = cProfile.Profile() if profile else None
        samples: dict[str, list[float]] = {body: [] for body in COMMANDS}
        if profiler:
            profiler.enable()
        for _ in range(count):
            for body in COMMANDS:
                samples[body].append(await one(body))
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        assert client.sent >= 2 * count, f"only {client.sent} replies were sent"
        await client.close()
        chat.close()
    return {body: {"median_ms": 1000 * statistics.median(values),
                   "mean_ms": 1000 * statistics.fmean(values), "n": len(values)}
            for body, values in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="commands of each kind")
    parser.add_argument("--profile", metavar="FILE", help="write a cProfile of the timed part")
    args = parser.parse_args(argv)
    profile = Path(args.profile) if args.profile else None
    result = asyncio.run(measure(args.n, profile))
    print("| command | commands | CPU per command, median | mean |")
    print("|---|---:|---:|---:|")
    for body, figures in result.items():
        print(f"| `{body}` | {figures['n']} | {figures['median_ms']:.2f} ms | "
              f"{figures['mean_ms']:.2f} ms |")
    if profile:
        pstats.Stats(str(profile)).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
