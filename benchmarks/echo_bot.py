"""A bare matrix-nio bot that answers ``!echo <text>``: the baseline for salonbot's round trip.

It does on the wire what salonbot's runtime does for one command, and nothing else: the same
client settings (encryption on, see ``bot.matrix.session.client_config``), the same sync
filter and long-poll timeout (``bot.matrix.sync``), the same end-to-end housekeeping after
each sync, invites accepted, and the reply in the same shape (an ``m.notice`` with ``body``
and ``formatted_body`` and ``m.relates_to.m.in_reply_to`` the command). It keeps no database:
the difference between the two is what salonbot's router, handlers and bookkeeping cost.

Like salonbot it keeps its device (``credentials.json``) and its sync position (``position``)
in the store directory, so a restart resumes instead of starting over, and it logs
``first sync handled`` when ready. ``benchmarks/roundtrip.py`` checks that the settings
below still match salonbot's before it measures anything.

    python benchmarks/echo_bot.py --homeserver URL --user @echo:localhost --password PW \
        --store DIR
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import logging
import signal
import sys
import time
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    JoinResponse,
    LoginResponse,
    RoomMessageText,
    SyncError,
    SyncResponse,
    WhoamiResponse,
)

from bot.matrix.crypto import housekeeping

log = logging.getLogger("echo_bot")

PREFIX = "!echo"
#: The same values as salonbot's ``SyncOptions`` (checked by roundtrip.py).
SYNC_TIMEOUT_MS = 30_000
TIMELINE_LIMIT = 100


def client_config() -> AsyncClientConfig:
    """What ``bot.matrix.session.client_config`` sets (checked by roundtrip.py)."""
    return AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=False,
        max_limit_exceeded=None,
        max_timeouts=0,
        request_timeout=60,
    )


def sync_filter() -> dict[str, Any]:
    """What ``bot.matrix.sync.SyncLoop.sync_filter`` sends (checked by roundtrip.py)."""
    return {
        "presence": {"types": []},
        "room": {
            "timeline": {"limit": TIMELINE_LIMIT},
            "ephemeral": {"types": []},
            "state": {"lazy_load_members": False},
        },
    }


def padded(text: str, length: int) -> str:
    """``text`` followed by filler words up to ``length`` characters (for ``--pad-to``)."""
    if len(text) >= length:
        return text
    filler = " lorem ipsum dolor sit amet" * (length // 27 + 1)
    return (text + filler)[:length]


def reply_content(text: str, in_reply_to: str) -> dict[str, Any]:
    return {
        "msgtype": "m.notice",
        "body": text,
        "format": "org.matrix.custom.html",
        "formatted_body": html.escape(text),
        "m.relates_to": {"m.in_reply_to": {"event_id": in_reply_to}},
    }


def echo_of(event: RoomMessageText, me: str) -> str | None:
    """The text to echo, or None when the event is not an ``!echo`` command for us."""
    if event.sender == me:
        return None
    relation = event.source.get("content", {}).get("m.relates_to", {})
    if isinstance(relation, dict) and relation.get("rel_type") == "m.replace":
        return None
    body = event.body.strip()
    if body != PREFIX and not body.startswith(PREFIX + " "):
        return None
    return body[len(PREFIX):].strip() or "…"


class EchoBot:
    def __init__(self, homeserver: str, user_id: str, password: str, store: Path,
                 pad_to: int = 0) -> None:
        store.mkdir(parents=True, exist_ok=True)
        self.store = store
        self.pad_to = pad_to
        self.password = password
        self.client = AsyncClient(homeserver, user_id, store_path=str(store),
                                  config=client_config())

    async def log_in(self) -> None:
        """Resume the saved device (as salonbot does), else log in with the password."""
        saved = self.store / "credentials.json"
        if saved.exists():
            data = json.loads(saved.read_text(encoding="utf-8"))
            self.client.restore_login(data["user_id"], data["device_id"], data["access_token"])
            if isinstance(await self.client.whoami(), WhoamiResponse):
                return
        response = await self.client.login(self.password, device_name="echo-bot")
        if not isinstance(response, LoginResponse):
            raise SystemExit(f"echo bot: login refused: {response}")
        saved.write_text(json.dumps({"user_id": response.user_id,
                                     "device_id": response.device_id,
                                     "access_token": response.access_token}), encoding="utf-8")
        if self.client.should_upload_keys:
            await self.client.keys_upload()

    def load_position(self) -> str | None:
        path = self.store / "position"
        if not path.exists():
            return None
        return path.read_text(encoding="utf-8").strip() or None

    def save_position(self, token: str) -> None:
        (self.store / "position").write_text(token, encoding="utf-8")

    async def handle(self, response: SyncResponse, since: str | None) -> None:
        await housekeeping(self.client)  # the same key chores as salonbot, no more
        for room_id, info in response.rooms.invite.items():
            if any(isinstance(e, InviteMemberEvent) and e.state_key == self.client.user_id
                   for e in info.invite_state):
                joined = await self.client.join(room_id)
                if isinstance(joined, JoinResponse):
                    log.info("joined %s", room_id)
                else:
                    log.warning("could not join %s: %s", room_id, joined)
        if since is None:
            return  # the first start: what is in the rooms is history
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                if isinstance(event, RoomMessageText):
                    text = echo_of(event, self.client.user_id)
                    if text is not None:
                        await self.reply(room_id, text, event.event_id)

    async def reply(self, room_id: str, text: str, in_reply_to: str) -> None:
        room = self.client.rooms.get(room_id)
        if room is not None and room.encrypted and self.client.should_query_keys:
            await self.client.keys_query()
        content = reply_content(padded(text, self.pad_to), in_reply_to)
        await self.client.room_send(room_id, "m.room.message", content,
                                    ignore_unverified_devices=True)

    async def run(self, stop: asyncio.Event, started: float) -> None:
        await self.log_in()
        since = self.load_position()
        first = True
        while not stop.is_set():
            self.client.next_batch = None
            request = asyncio.ensure_future(self.client.sync(
                timeout=0 if first else SYNC_TIMEOUT_MS, sync_filter=sync_filter(),
                since=since, full_state=True if first else None))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({request, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not request.done():
                request.cancel()
                break
            response = request.result()
            if isinstance(response, SyncError):
                log.warning("sync failed: %s", response)
                await asyncio.sleep(1)
                continue
            await self.handle(response, since)
            self.save_position(response.next_batch)
            since = response.next_batch
            if first:
                first = False
                log.info("first sync handled %.2f s after the start; ready",
                         time.monotonic() - started)
        await self.client.close()


async def _main(args: argparse.Namespace) -> int:
    started = time.monotonic()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    bot = EchoBot(args.homeserver, args.user, args.password, Path(args.store), args.pad_to)
    await bot.run(stop, started)
    log.info("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--homeserver", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--store", required=True, help="device keys, login and sync position")
    parser.add_argument("--pad-to", type=int, default=0, metavar="CHARS",
                        help="pad each reply to CHARS characters, to compare with replies as "
                             "long as salonbot's (default: the bare echo)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return asyncio.run(_main(args))


if __name__ == "__main__":
    sys.exit(main())
