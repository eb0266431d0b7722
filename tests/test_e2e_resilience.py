"""Restarts, a homeserver that goes away, and rate limits: nothing lost, nothing twice."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_fixtures import *  # noqa: F403
from bot_fixtures import BotLog, Citizen, RunningBot
from nio import RoomSendResponse

from bot.localserver import LocalSynapse
from bot.matrix.sync import SyncOptions


async def _wait_for(condition, *, timeout: float, what: str) -> None:
    """Polls an in-process condition (the bot's counters) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {timeout} s")
        await asyncio.sleep(0.05)


def _answered_once(citizen: Citizen, commands: list[str]) -> dict[str, int]:
    return {c: len(citizen.replies_to(c)) for c in commands if len(citizen.replies_to(c)) != 1}


async def test_commands_sent_while_the_bot_was_down_are_answered_exactly_once(
        make_bot, make_citizen, bot_log: BotLog) -> None:
    bot: RunningBot = await make_bot()
    citizen: Citizen = await make_citizen()
    chat = await citizen.create_room()
    history = await citizen.say(chat, "!salon help")  # before the bot was invited
    await citizen.invite_and_wait(chat, bot.user_id)
    before = await citizen.say(chat, "!salon help")
    await citizen.until(lambda: citizen.replies_to(before), what="the first reply")
    assert await bot.stop() == 0

    missed = [await citizen.say(chat, text)
              for text in ("!salon help", "!salon help open", "!salon language en")]
    # A short timeline makes the server cut the backlog, so the bot must fetch the rest.
    await bot.start(sync=SyncOptions(timeline_limit=2))
    await citizen.until(lambda: all(citizen.replies_to(c) for c in missed), timeout=30,
                        what="replies to the commands sent while the bot was down")
    # Only what the shortened timeline left out (a command or two, perhaps own replies),
    # not the room's history.
    fetched = [int(n) for n in re.findall(r"fetched (\d+) events of", bot_log.text())]
    assert fetched and all(1 <= n <= 4 for n in fetched), fetched
    replies = [citizen.replies_to(c)[0] for c in missed]
    assert "English" in replies[2].body, "each reply answers its own command"
    # Anything answered twice would arrive before the reply to a later command.
    later = await citizen.say(chat, "!salon help")
    await citizen.until(lambda: citizen.replies_to(later), what="the reply after the restart")
    assert _answered_once(citizen, [before, *missed, later]) == {}

    assert await bot.stop() == 0
    await bot.start()
    last = await citizen.say(chat, "!salon help")
    await citizen.until(lambda: citizen.replies_to(last), what="the reply after a second restart")
    assert _answered_once(citizen, [before, *missed, later, last]) == {}, \
        "a second restart answers nothing again"
    assert citizen.replies_to(history) == [], "filling the gap does not reach into history"


async def test_the_bot_waits_for_a_homeserver_that_went_away(
        make_bot, make_citizen, synapse: LocalSynapse, bot_log: BotLog) -> None:
    bot: RunningBot = await make_bot()
    latecomer: RunningBot = await make_bot(start=False)
    citizen: Citizen = await make_citizen()
    chat = await citizen.open_chat_with(bot.user_id)
    await citizen.ask(chat, "!salon help")

    starting = None
    try:
        await asyncio.to_thread(synapse.stop)
        await _wait_for(lambda: bot.stats.reconnects >= 2, timeout=30,
                        what="failed reconnection attempts")
        # A bot started while the homeserver is away waits for it too.
        starting = asyncio.create_task(latecomer.start(timeout=90))
        await _wait_for(lambda: "cannot reach http" in bot_log.text(), timeout=30,
                        what="a failed login attempt")
    finally:
        await asyncio.to_thread(synapse.start)

    assert bot.running, "the bot did not exit while the homeserver was away"
    reply = await citizen.ask(chat, "!salon help", timeout=60)
    assert reply.sender == bot.user_id
    assert starting is not None
    await starting
    other = await citizen.open_chat_with(latecomer.user_id, timeout=60)
    assert (await citizen.ask(other, "!salon help")).sender == latecomer.user_id


@pytest.fixture(scope="module")
def limited_synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSynapse]:
    """A homeserver with Synapse's default rate limits, except that messages refill at 3 per
    second after a burst of 5 (the default 0.2/s would make this test take minutes)."""
    server = LocalSynapse(Path(tmp_path_factory.mktemp("limited")), rate_limited=True,
                          extra_config={"rc_message": {"per_second": 3, "burst_count": 5}})
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def test_rate_limits_are_waited_out_and_every_command_is_answered(
        make_bot, make_citizen, limited_synapse: LocalSynapse, bot_log: BotLog) -> None:
    bot: RunningBot = await make_bot(server=limited_synapse)
    first, *others = [await make_citizen(name, server=limited_synapse)
                      for name in ("anna", "bo", "carl")]
    room = await first.open_chat_with(bot.user_id, invite=tuple(c.user_id for c in others))
    for citizen in others:
        await citizen.accept_invite(room)

    async def fire(citizen: Citizen) -> list[str]:
        return [await citizen.say(room, "!salon help") for _ in range(10)]

    commands = [c for batch in await asyncio.gather(*(fire(c) for c in (first, *others)))
                for c in batch]
    await first.until(lambda: all(first.replies_to(c) for c in commands), timeout=120,
                      what="a reply to each of the 30 commands")
    later = await first.say(room, "!salon help")
    await first.until(lambda: first.replies_to(later), timeout=60, what="the last reply")

    assert _answered_once(first, [*commands, later]) == {}, "nothing dropped, nothing twice"
    assert bot.stats.rate_limited > 0
    assert "M_LIMIT_EXCEEDED" in bot_log.text()


async def test_malformed_events_are_skipped_and_the_next_command_is_answered(
        make_bot, make_citizen, bot_log: BotLog) -> None:
    bot: RunningBot = await make_bot()
    citizen: Citizen = await make_citizen()
    chat = await citizen.open_chat_with(bot.user_id)
    # Synapse refuses a non-string message body itself; these it passes on.
    odd_contents = [
        ("m.room.message", {"msgtype": "m.text", "body": "hello",
                            "m.relates_to": {"rel_type": ["m.replace"]}}),
        ("org.matrix.msc3381.poll.response", {"org.matrix.msc3381.poll.response": "yes"}),
        ("m.poll.response", {"m.selections": {"a": 1}, "m.relates_to": "poll"}),
    ]
    for event_type, content in odd_contents:
        sent = await citizen.client.room_send(chat, event_type, content)
        assert isinstance(sent, RoomSendResponse), (event_type, content, sent.message)

    reply = await citizen.ask(chat, "!salon help")
    assert reply.sender == bot.user_id and "åbn" in reply.body
    assert bot.running
    assert "unexpected error in the sync loop" not in bot_log.text()
