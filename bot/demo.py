"""`salonbot demo`: a private homeserver, the bot, two demo citizens and a short salon.

Everything runs on 127.0.0.1 with data in one directory, so a newcomer sees the bot work
within a minute and can then log in with any Matrix client to try it by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from nio import AsyncClient, AsyncClientConfig, LoginResponse, RoomCreateResponse, RoomMessage
from nio.api import RoomPreset

from bot.citizen import (
    accept_invite,
    send_text,
    sync_once,
    sync_until,
    wait_for_invite,
    wait_for_message,
)
from bot.cli import operator_translator
from bot.commands import Registry
from bot.config import Config, load_config
from bot.i18n import Translator
from bot.localserver import LocalSynapse

DEMO_PASSWORD = "salon-demo"
SALON_TITLE = "Ny legeplads i Hørning"
REPLY_TIMEOUT = 60.0


@dataclass(frozen=True)
class DemoAccounts:
    bot: str
    anna: str
    bjorn: str
    #: A case worker of the municipality, in the staff room.
    karen: str


def write_config(data_dir: Path, server: LocalSynapse, bot_user: str, *,
                 staff: str, staff_room: str) -> Path:
    path = data_dir / "config.yaml"
    config = {
        "matrix": {
            "homeserver": server.base_url,
            "user_id": bot_user,
            "password": DEMO_PASSWORD,
            "device_name": "salonbot-demo",
            "store_path": str(data_dir / "store"),
            "encrypt_new_rooms": True,
        },
        "bot": {"default_language": "da", "timezone": "Europe/Copenhagen",
                "allowed_users": [f"@.*:{server.server_name}"],
                "staff_room": staff_room, "staff": [staff]},
        "database": {"url": f"sqlite:///{data_dir / 'salonbot.db'}"},
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return path


async def _login(server: LocalSynapse, user_id: str, store: Path) -> AsyncClient:
    store.mkdir(parents=True, exist_ok=True)
    client = AsyncClient(server.base_url, user_id, store_path=str(store),
                         config=AsyncClientConfig(encryption_enabled=True,
                                                  store_sync_tokens=True))
    response = await client.login(DEMO_PASSWORD, device_name="demo-citizen")
    if not isinstance(response, LoginResponse):
        raise RuntimeError(f"demo login failed for {user_id}: {response}")
    await sync_once(client)
    return client


async def _ask(client: AsyncClient, room_id: str, text: str, t: Translator) -> str:
    """Send a command as a citizen and return the bot's reply to it."""
    return (await _ask_event(client, room_id, text))[1]


def _outcome_ref(body: str) -> str:
    found = re.search(r"U-\d+", body)
    if found is None:
        raise RuntimeError(f"the bot's answer to the outcome names no reference: {body!r}")
    return found.group(0)


async def _ask_event(client: AsyncClient, room_id: str, text: str) -> tuple[str, str]:
    """Send a command as a citizen; the bot's reply to it: its event id and text."""
    print(f"\n  {client.user_id} › {text}")
    event_id = await send_text(client, room_id, text)

    def is_reply(event: RoomMessage) -> bool:
        relates = event.source.get("content", {}).get("m.relates_to", {})
        return relates.get("m.in_reply_to", {}).get("event_id") == event_id

    reply = await wait_for_message(client, room_id, is_reply, timeout=REPLY_TIMEOUT)
    body = getattr(reply, "body", "")
    print("  salonbot › " + body.replace("\n", "\n             "))
    return str(reply.event_id), body


async def make_staff_room(server: LocalSynapse, accounts: DemoAccounts,
                          data_dir: Path) -> str:
    """The municipality's staff room, made by the case worker with the bot invited (the bot
    joins it at start). Made once: a second demo on the same data finds it again."""
    remembered = data_dir / "staff-room"
    if remembered.exists():
        return remembered.read_text().strip()
    karen = await _login(server, accounts.karen, data_dir / "citizens" / "karen")
    try:
        created = await karen.room_create(
            name="Kommunens personale", invite=[accounts.bot],
            preset=RoomPreset.private_chat,
            initial_state=[{"type": "m.room.encryption", "state_key": "",
                            "content": {"algorithm": "m.megolm.v1.aes-sha2"}}])
        if not isinstance(created, RoomCreateResponse):
            raise RuntimeError(f"could not make the staff room: {created}")
    finally:
        await karen.close()
    remembered.write_text(created.room_id)
    return created.room_id


async def _bot_says(client: AsyncClient, room_id: str, bot: str, marker: str,
                    replying_to: str | None = None) -> str:
    """Wait for the bot's own message in a room (not an answer to a command) and show it."""

    def wanted(event: RoomMessage) -> bool:
        if event.sender != bot or marker not in getattr(event, "body", ""):
            return False
        if replying_to is None:
            return True
        relates = event.source.get("content", {}).get("m.relates_to", {})
        return relates.get("m.in_reply_to", {}).get("event_id") == replying_to

    event = await wait_for_message(client, room_id, wanted, timeout=REPLY_TIMEOUT)
    body = getattr(event, "body", "")
    print(f"\n  [{client.user_id}] salonbot › " + body.replace("\n", "\n             "))
    return str(event.event_id)


async def play_salon(server: LocalSynapse, accounts: DemoAccounts, data_dir: Path,
                     t: Translator, staff_room: str) -> str:
    """The scripted salon: Anna opens it, invites Bjørn, plans a meeting in words, asks for
    info, sends an outcome to the municipality; Karen answers it from the staff room and the
    answer arrives in the salon. Returns the room id."""
    anna = await _login(server, accounts.anna, data_dir / "citizens" / "anna")
    bjorn = await _login(server, accounts.bjorn, data_dir / "citizens" / "bjorn")
    karen = await _login(server, accounts.karen, data_dir / "citizens" / "karen")
    try:
        print("\n" + t._("A short scripted salon:"))
        created = await anna.room_create(is_direct=True, invite=[accounts.bot],
                                         preset=RoomPreset.trusted_private_chat)
        if not isinstance(created, RoomCreateResponse):
            raise RuntimeError(f"could not open a direct chat with the bot: {created}")
        dm = created.room_id
        # nio only sends into rooms it has synced, and the bot must have joined to hear us.
        await sync_until(anna, lambda: dm in anna.rooms and accounts.bot in anna.rooms[dm].users,
                         timeout=REPLY_TIMEOUT, what="the bot joining the direct chat")
        await _ask(anna, dm, f'!salon open "{SALON_TITLE}" --topic "Hvor skal den ligge, '
                             'og hvad skal den kunne?"', t)
        salon_room = await wait_for_invite(anna, timeout=REPLY_TIMEOUT)
        await accept_invite(anna, salon_room)
        await _ask(anna, salon_room, f"!salon invite {accounts.bjorn} as citizen", t)
        invited = await wait_for_invite(bjorn, timeout=REPLY_TIMEOUT, room_id=salon_room)
        await accept_invite(bjorn, invited)
        await _ask(anna, salon_room, '!salon planlæg i morgen kl. 18 sted "Biblioteket"', t)
        await _ask(anna, salon_room, "!salon info", t)
        print("\n" + t._("The municipality's side: an outcome, and the answer from the staff "
                         "room:"))
        announcement = await _ask_event(
            anna, salon_room, '!salon resultat "Legepladsen skal ligge ved biblioteket, med '
                              'bænke til bedsteforældre." --kind proposal')
        await _bot_says(karen, staff_room, accounts.bot, "U-")
        ref = _outcome_ref(announcement[1])
        await _ask(karen, staff_room, f'!salon status {ref} in-progress', t)
        await _ask(karen, staff_room, f'!salon besvar {ref} "Tak! Vi tager forslaget med i '
                                      'budgettet for 2027 og vender tilbage i marts."', t)
        await _bot_says(anna, salon_room, accounts.bot, "budgettet",
                        replying_to=announcement[0])
        await _ask(karen, staff_room, "!salon eksport html", t)
        return salon_room
    finally:
        await anna.close()
        await bjorn.close()
        await karen.close()


def _print_login_help(server: LocalSynapse, accounts: DemoAccounts, data_dir: Path,
                      t: Translator) -> None:
    print("\n" + t._("Try it yourself with any Matrix client (Element: choose "
                     "“Sign in”, edit the homeserver):"))
    print("  " + t._("Homeserver: {url}").format(url=server.base_url))
    for user in (accounts.anna, accounts.bjorn, accounts.karen):
        print("  " + t._("User: {user}   Password: {password}").format(
            user=user, password=DEMO_PASSWORD))
    print("  " + t._("Write to the bot: {bot} and start with !salon help").format(
        bot=accounts.bot))
    print("  " + t._("Data: {path}").format(path=data_dir))
    print("  " + t._("Log: {path}").format(path=data_dir / "salonbot.log"))


async def _run(config: Config, registry: Registry, server: LocalSynapse,
               accounts: DemoAccounts, data_dir: Path, once: bool, t: Translator) -> int:
    from bot.matrix.runner import run_bot

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    bot_task = asyncio.create_task(run_bot(config, registry, stop=stop))
    try:
        await play_salon(server, accounts, data_dir, t, str(config.bot.staff_room))
        _print_login_help(server, accounts, data_dir, t)
        if not once:
            print("\n" + t._("The bot is running. Press Ctrl-C to stop."))
            await stop.wait()
    finally:
        stop.set()
        code = await bot_task
    return code


def _log_to_file(path: Path) -> None:
    """The scripted salon is the show: the bot's and the clients' logs go to a file."""
    root_logger = logging.getLogger()
    for handler in root_logger.handlers:
        handler.setLevel(logging.ERROR)
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root_logger.addHandler(file_handler)


def run_demo(registry: Registry, *, data_dir: str | None, port: int | None,
             scripted_only: bool) -> int:
    t = operator_translator()
    root = Path(data_dir or "demo-data").resolve()
    root.mkdir(parents=True, exist_ok=True)
    _log_to_file(root / "salonbot.log")
    print(t._("Starting a private Matrix homeserver on 127.0.0.1 (data in {path}) …").format(
        path=root))
    server = LocalSynapse(root / "synapse", port=port)
    server.start()
    try:
        accounts = DemoAccounts(
            bot=server.register("salonbot", DEMO_PASSWORD),
            anna=server.register("anna", DEMO_PASSWORD),
            bjorn=server.register("bjorn", DEMO_PASSWORD),
            karen=server.register("karen", DEMO_PASSWORD),
        )
        staff_room = asyncio.run(make_staff_room(server, accounts, root))
        config = load_config(write_config(root, server, accounts.bot, staff=accounts.karen,
                                          staff_room=staff_room), environ={})
        print(t._("Homeserver ready at {url}; the bot is {bot}.").format(
            url=server.base_url, bot=accounts.bot))
        return asyncio.run(_run(config, registry, server, accounts, root, scripted_only, t))
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()
        print(t._("Homeserver stopped."), file=sys.stderr)
