"""kill -9 in the send window, against a real Synapse: the bot as a subprocess
(``tests/crash_bot.py``) that kills itself once at a chosen point of the send path, then an
ordinary restart. The citizen must see every reply exactly once, and a direct chat the bot
opened before the crash must be the one it uses after it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot_fixtures import *  # noqa: F403
from bot_fixtures import BotSubprocess, Citizen, RunningBot
from nio import RoomMessage
from ports_registry import ports_registry

from bot.config import Config

READY = "first sync handled"
CRASH_BOT = Path(__file__).resolve().parent / "crash_bot.py"


class CrashingBot(BotSubprocess):
    """``BotSubprocess`` run through ``crash_bot.py``: the first run dies at ``where``."""

    def __init__(self, config: Config, home: Path, where: str, trigger: str = "") -> None:
        super().__init__(config, home)
        self.where = where
        self.trigger = trigger
        self.marker = home / "crashed-once"

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SALONBOT_")}
        self._offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log_file:
            self.proc = subprocess.Popen(
                [sys.executable, str(CRASH_BOT), str(self.config_path), str(self.marker),
                 self.where, self.trigger],
                stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)

    async def wait_for_crash(self, timeout: float = 20) -> int:
        assert self.proc is not None
        try:
            return await asyncio.to_thread(self.proc.wait, timeout)
        except subprocess.TimeoutExpired as err:
            raise TimeoutError(f"the bot did not crash in {timeout} s:\n{self.log()}") from err


def _crashing(bot: RunningBot, where: str, trigger: str = "") -> CrashingBot:
    return CrashingBot(bot.config, bot.config.matrix.store_path.parent, where, trigger)


def _outbox_rows(bot: RunningBot) -> int:
    path = bot.config.database.url.removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=10) as connection:
        return int(connection.execute("SELECT count(*) FROM outbox").fetchone()[0])


async def _until(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {timeout} s")
        await asyncio.sleep(0.05)


def _answers(citizen: Citizen, event_id: str) -> list[RoomMessage]:
    return [m for m in citizen.replies_to(event_id) if m.sender != citizen.user_id]


def _bodies(citizen: Citizen, room: str, sender: str, text: str) -> list[RoomMessage]:
    return [m for m in citizen.messages(room, sender) if text in m.body]


async def test_a_crash_after_the_homeserver_accepted_a_reply_does_not_post_it_twice(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot(start=False, registry=ports_registry)
    process = _crashing(bot, "sent", trigger="crash-in-the-send-window")
    process.start()
    try:
        await process.wait_for_log(READY)
        citizen: Citizen = await make_citizen()
        chat = await citizen.open_chat_with(bot.user_id, encrypted=True)
        before = await citizen.ask(chat, "!salon echo before the crash")
        assert before.body == "echo: before the crash"

        command = await citizen.say(chat, "!salon echo crash-in-the-send-window")
        assert await process.wait_for_crash() == -signal.SIGKILL
        assert process.marker.read_text() == "sent"
        # The homeserver has the reply, and the bot still has it in its outbox.
        await citizen.until(lambda: _answers(citizen, command), what="the accepted reply")
        accepted = _answers(citizen, command)[0].event_id
        assert _outbox_rows(bot) == 1, "the crash came before the outbox row was deleted"

        process.start()
        await process.wait_for_log(READY)
        await _until(lambda: _outbox_rows(bot) == 0, timeout=15,
                     what="re-send of the message the crash left in the outbox")
        after = await citizen.ask(chat, "!salon echo after the crash")
        assert after.body == "echo: after the crash"
    finally:
        process.kill()

    assert [m.event_id for m in _answers(citizen, command)] == [accepted], \
        "the re-send with the same transaction id was a no-op"
    # Both runs sent it with the same transaction id, and Synapse answered the second time
    # with the event it already had.
    whole = process.log_path.read_text(encoding="utf-8", errors="replace")
    sent = re.findall(r"message (salonbot-[0-9a-f]+) sent as (\S+)", whole)
    txn_ids = [txn_id for txn_id, event_id in sent if event_id == accepted]
    assert len(txn_ids) == 2 and len(set(txn_ids)) == 1, sent
    assert "Traceback" not in process.log()


async def test_a_crash_right_after_opening_a_direct_chat_does_not_open_a_second(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot(start=False, registry=ports_registry)
    process = _crashing(bot, "direct-open")
    process.start()
    try:
        await process.wait_for_log(READY)
        citizen: Citizen = await make_citizen()
        neighbour: Citizen = await make_citizen("neighbour")
        # Three people: not a direct chat, so a reply meant for one person needs a new room.
        lobby = await citizen.open_chat_with(bot.user_id, invite=(neighbour.user_id,))
        command = await citizen.say(lobby, "!salon dm only for you")
        assert await process.wait_for_crash() == -signal.SIGKILL
        assert process.marker.read_text() == "direct-open"
        assert _outbox_rows(bot) == 1
        # The chat exists on the homeserver: the citizen has been invited to it.
        await citizen.until(lambda: citizen.client.invited_rooms, what="the direct chat invite")
        [direct] = list(citizen.client.invited_rooms)

        process.start()
        await process.wait_for_log(READY)
        await citizen.accept_invite(direct)
        await citizen.until(lambda: _bodies(citizen, direct, bot.user_id, "dm: only for you"),
                            timeout=20, what="the message in the direct chat")
        # A later message for the same person goes to the same chat.
        await citizen.say(lobby, "!salon dm and this too")
        await citizen.until(lambda: _bodies(citizen, direct, bot.user_id, "dm: and this too"),
                            what="the second message in the direct chat")
        await citizen.ask(lobby, "!salon echo barrier")
        await citizen.sync(0)
    finally:
        process.kill()

    assert _answers(citizen, command) == [], "the reply went to the direct chat only"
    assert citizen.client.invited_rooms == {}, "no second invite"
    assert set(citizen.client.rooms) == {lobby, direct}, "exactly one new room with the bot"
    assert len(_bodies(citizen, direct, bot.user_id, "dm: only for you")) == 1
    assert _outbox_rows(bot) == 0
    whole_log = process.log_path.read_text(encoding="utf-8", errors="replace")
    assert whole_log.count("opened direct chat") == 1, "one chat opened, before the crash"
