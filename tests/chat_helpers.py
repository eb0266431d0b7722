"""The handler tests' bot: ``bot.chat.ChatSession`` (the real router, registry and a migrated
SQLite database, rooms in memory), the people in it, a fixed clock, and the steps every test
repeats: say something, open a salon and go in."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.chat import CHAT_BOT, ChatSession, chat_config
from bot.clock import Clock, FixedClock
from bot.commands import Registry
from bot.config import Config, parse_config
from bot.db import Salon
from bot.localrooms import LocalRooms
from handlers import build_registry

ANNA = "@anna:example.org"
BJORN = "@bjorn:example.org"
CARL = "@carl:example.org"
DORTHE = "@dorthe:example.org"
NOW = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)


def chat_config_with(**sections: dict[str, Any]) -> Config:
    """The terminal's configuration with some keys set, e.g. ``bot={"staff": [...]}``; like
    ``chat_config`` it serves everyone unless ``bot={"allowed_users": ...}`` says otherwise."""
    matrix = {"homeserver": "http://localhost", "user_id": CHAT_BOT, "access_token": "unused",
              **sections.pop("matrix", {})}
    bot = {"allowed_users": [".*"], **sections.pop("bot", {})}
    return parse_config({"matrix": matrix, "bot": bot, **sections}, environ={})


def start_chat(tmp_path: Path, config: Config | None = None, *, clock: Clock | None = None,
               rooms: LocalRooms | None = None, registry: Registry | None = None) -> ChatSession:
    """A session on ``tmp_path``'s database; a second one on the same path sees the same data."""
    return ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", config or chat_config(),
                       clock=clock or FixedClock(NOW), rooms=rooms,
                       registry=registry or build_registry())


async def say(chat: ChatSession, user: str, text: str, room: str | None = None) -> str:
    """What the bot answers ``user`` in ``room`` (their direct chat with it if None)."""
    return (await chat.say(user, room or chat.direct_room(user), text)).text


async def open_salon(chat: ChatSession, text: str = '!salon åbn "Ny legeplads"',
                     host: str = ANNA, guests: tuple[str, ...] = ()) -> str:
    """Opens a salon; the host and ``guests`` (invited as citizens) join. Returns the room id."""
    await say(chat, host, text)
    with chat.db.session() as session:
        room_id = session.scalar(select(Salon.room_id).order_by(Salon.id.desc()).limit(1))
    assert room_id is not None
    await chat.join(host, room_id)
    if guests:
        await say(chat, host, "!salon invite " + " ".join(guests), room_id)
        for guest in guests:
            await chat.join(guest, room_id)
    return room_id


async def make_staff_room(chat: ChatSession, *members: str) -> str:
    """The staff room of a terminal chat (encrypted, as a municipality's would be): the
    members join it and the router knows it as the staff room. Returns its id."""
    created = await chat.rooms.create_room(name="Staff", topic=None, encrypted=True,
                                           invite=list(members), moderators=[])
    for member in members:
        chat.rooms.join(created.room_id, member)
    chat.rooms.drain_changes()
    chat.router.staff_room_id = created.room_id
    return created.room_id
