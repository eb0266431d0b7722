"""``salonbot run`` as the operator runs it: signals end it cleanly, a crash loses nothing,
and what stops it from starting is said in one line."""

from __future__ import annotations

import asyncio
import json
import signal

import pytest
from bot_fixtures import *  # noqa: F403
from bot_fixtures import BotLog, BotSubprocess, Citizen, RunningBot
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from bot.matrix.runner import run_bot
from bot.matrix.session import CREDENTIALS_FILE
from handlers import build_registry

READY = "first sync handled"


def _subprocess_for(bot: RunningBot) -> BotSubprocess:
    return BotSubprocess(bot.config, bot.config.matrix.store_path.parent)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_stops_the_bot_cleanly_with_exit_code_0(
        make_bot, make_citizen, signum: signal.Signals) -> None:
    bot: RunningBot = await make_bot(start=False)
    process = _subprocess_for(bot)
    process.start()
    try:
        await process.wait_for_log(READY)
        citizen: Citizen = await make_citizen()
        chat = await citizen.open_chat_with(bot.user_id)
        await citizen.ask(chat, "!salon help")

        assert await process.signal_and_wait(signum, timeout=10) == 0
    finally:
        process.kill()
    log = process.log()
    assert f"received {signum.name}; stopping" in log
    assert "Traceback" not in log
    assert "!salon" not in log and "hjælp" not in log, "message text never goes to the log"


async def test_after_a_crash_every_command_is_answered_exactly_once(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot(start=False)
    process = _subprocess_for(bot)
    process.start()
    try:
        await process.wait_for_log(READY)
        citizen: Citizen = await make_citizen()
        chat = await citizen.open_chat_with(bot.user_id, encrypted=True)
        before = await citizen.say(chat, "!salon help")
        await citizen.until(lambda: citizen.replies_to(before), what="the reply before the crash")

        process.kill()  # SIGKILL: no clean shutdown at all
        missed = [await citizen.say(chat, "!salon help"), await citizen.say(chat, "!salon list")]
        process.start()
        await process.wait_for_log(READY)
        await citizen.until(lambda: all(citizen.replies_to(c) for c in missed), timeout=30,
                            what="replies to the commands sent while the bot was dead")
        later = await citizen.say(chat, "!salon help")
        await citizen.until(lambda: citizen.replies_to(later), what="a reply after the crash")
    finally:
        process.kill()
    counts = {c: len(citizen.replies_to(c)) for c in (before, *missed, later)}
    assert set(counts.values()) == {1}, counts


async def test_a_database_from_a_newer_salonbot_stops_the_start_with_one_line(
        make_bot, capsys: pytest.CaptureFixture[str]) -> None:
    bot: RunningBot = await make_bot(start=False)
    engine = create_engine(bot.config.database.url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
    engine.dispose()

    assert await run_bot(bot.config, build_registry()) == 1

    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "9999" in lines[0] and "newer salonbot" in lines[0], lines


async def test_a_refused_password_stops_the_start_with_one_line(
        make_bot, capsys: pytest.CaptureFixture[str]) -> None:
    bot: RunningBot = await make_bot(start=False)
    wrong = bot.config.model_copy(update={"matrix": bot.config.matrix.model_copy(
        update={"password": SecretStr("not-the-password")})})

    assert await run_bot(wrong, build_registry()) == 1

    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "matrix.password" in lines[0], lines


async def test_a_revoked_login_ends_the_run_and_the_next_start_logs_in_again(
        make_bot, make_citizen, bot_log: BotLog, capsys: pytest.CaptureFixture[str]) -> None:
    bot: RunningBot = await make_bot()
    citizen: Citizen = await make_citizen()
    chat = await citizen.open_chat_with(bot.user_id, encrypted=True)
    await citizen.ask(chat, "!salon help")
    saved = json.loads((bot.config.matrix.store_path / CREDENTIALS_FILE).read_text())

    # What "sign out of this session" in Element does: the token and the device are gone.
    response = await citizen.client.send(
        "POST", "/_matrix/client/v3/logout",
        headers={"Authorization": f"Bearer {saved['access_token']}"})
    assert response.status == 200
    command = await citizen.say(chat, "!salon help")

    assert bot.task is not None and await asyncio.wait_for(bot.task, 60) == 1
    assert "no longer accepts the bot's access token" in capsys.readouterr().err

    await bot.start()
    await citizen.until(lambda: citizen.replies_to(command), timeout=30,
                        what="the reply to the command sent as the login was revoked")
    resumed = json.loads((bot.config.matrix.store_path / CREDENTIALS_FILE).read_text())
    assert resumed["device_id"] == saved["device_id"], "the same device, with its keys"
    assert "has no keys for device" in bot_log.text(), "the lost device keys were uploaded"
    reply = await citizen.ask(chat, "!salon help")
    assert reply.decrypted
