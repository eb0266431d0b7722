"""Looking where a person's data could hide, for the end-to-end privacy tests: every table
and column of the bot's SQLite database, the raw bytes of its files, and the direct chat the
bot opens; plus events sent the way Element sends them."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot_fixtures import Citizen, RunningBot, room_state
from nio import Api, RoomMessage, RoomSendResponse

#: How long the bot may take to act on something on a loaded 2-core machine.
WAIT_S = 20.0


def db_file(bot: RunningBot) -> Path:
    url = bot.config.database.url
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))


def query(bot: RunningBot, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db_file(bot))
    try:
        return [tuple(row) for row in connection.execute(sql, params)]
    finally:
        connection.close()


def value_text(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return "" if value is None else str(value)


def everywhere(bot: RunningBot, needle: str) -> list[tuple[str, str, str]]:
    """Every (table, column, value) of the bot's database whose value holds ``needle``
    (case-insensitive): all tables, all columns, whatever their type."""
    connection = sqlite3.connect(db_file(bot))
    hits: list[tuple[str, str, str]] = []
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert "recorded_messages" in tables, tables
        for table in tables:
            cursor = connection.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if needle.casefold() in value_text(value).casefold():
                        hits.append((table, column, value_text(value)))
    finally:
        connection.close()
    return hits


def in_file_bytes(bot: RunningBot, needle: str) -> list[str]:
    """The database files (the main file, its journal or write-ahead log) whose raw bytes
    hold ``needle``, also in free pages that no table shows."""
    path = db_file(bot)
    files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-journal", "-shm"))]
    return [f.name for f in files if f.exists() and needle.encode() in f.read_bytes()]


def recorded(bot: RunningBot) -> list[tuple[str, str, str | None]]:
    """(event id, user id, text) of every recorded message, in the order recorded."""
    return [(str(e), str(u), b) for e, u, b in query(
        bot, "SELECT event_id, user_id, body FROM recorded_messages ORDER BY id")]


async def until_true(condition: Callable[[], object], *, what: str,
                     timeout: float = WAIT_S) -> None:
    """Polls (the database) until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {timeout:g} s")
        await asyncio.sleep(0.05)


async def send(citizen: Citizen, room: str, content: dict[str, Any],
               event_type: str = "m.room.message") -> str:
    response = await citizen.client.room_send(room, event_type, content,
                                              ignore_unverified_devices=True)
    assert isinstance(response, RoomSendResponse), response
    return response.event_id


async def react(citizen: Citizen, room: str, target: str, key: str = "✅") -> str:
    """A reaction as Element sends it: encrypted in an encrypted room (nio's ``room_send``
    sends reactions in the clear), the relation inside."""
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": key}}
    if not citizen.client.rooms[room].encrypted:
        return await send(citizen, room, content, "m.reaction")
    client = citizen.client
    if not client.rooms[room].members_synced:
        await client.joined_members(room)
    if client.should_query_keys:
        await client.keys_query()
    if client.olm is not None and client.olm.should_share_group_session(room):
        await client.share_group_session(room, ignore_unverified_devices=True)
    event_type, encrypted = client.encrypt(room, "m.reaction", content)
    method, path, data = Api.room_send(client.access_token, room, event_type, encrypted,
                                       uuid.uuid4())
    response = await client._send(RoomSendResponse, method, path, data, (room,))
    assert isinstance(response, RoomSendResponse), response
    return response.event_id


def from_bot(citizen: Citizen, room: str, bot: RunningBot, text: str) -> list[RoomMessage]:
    return [m for m in citizen.messages(room, bot.user_id) if text in m.body]


async def the_bots_direct_chat(citizen: Citizen, bot: RunningBot) -> str:
    """The direct chat the bot opened with ``citizen`` (to send the consent notice): the
    citizen accepts the bot's invite; the room was created by the bot and has exactly the
    two of them."""
    def invite() -> str | None:
        return next((r for r, room in citizen.client.invited_rooms.items()
                     if room.inviter == bot.user_id and r not in citizen.client.rooms), None)

    await citizen.until(invite, timeout=WAIT_S, what="the bot's invite to a direct chat")
    room_id = await citizen.accept_invite(invite(), timeout=WAIT_S)
    state = await room_state(citizen.client, room_id)
    assert state[("m.room.create", "")]["sender"] == bot.user_id, "the bot created it"
    joined = {key for (kind, key), event in state.items()
              if kind == "m.room.member" and event["content"].get("membership") == "join"}
    assert joined == {citizen.user_id, bot.user_id}, joined
    assert ("m.room.encryption", "") in state, "the bot encrypts the rooms it opens"
    return room_id

