"""The Matrix runtime's own pieces, fed real nio events parsed from the JSON a homeserver
sends: malformed events, one failing event in a batch, and the homeserver's error codes.

The homeserver itself is exercised in ``test_e2e_*``; here the events are built from dicts so
each odd shape can be named exactly.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from nio import AsyncClient, Event, RoomInviteError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.chat import ChatSession
from bot.db import HandledEvent
from bot.matrix import ledger
from bot.matrix.crypto import LateKeys
from bot.matrix.direct import DirectRooms
from bot.matrix.events import classify
from bot.matrix.invites import Invites
from bot.matrix.outbox import Outbox
from bot.matrix.retry import RuntimeStats, http_status, is_rate_limited
from bot.matrix.rooms import error_code
from bot.matrix.sender import ReplySender
from bot.matrix.sync import SyncLoop, SyncOptions
from bot.replies import Reply
from bot.router import Incoming, Router
from handlers import build_registry

BOT = "@salonbot:example.org"
ANNA = "@anna:example.org"
ROOM = "!room:example.org"
_ids = itertools.count(1)


def event(event_type: str, content: Any, sender: str = ANNA) -> Event:
    """A room event exactly as nio parses it from a sync response."""
    return Event.parse_event({"type": event_type, "event_id": f"$e{next(_ids)}",
                              "sender": sender, "origin_server_ts": 1, "content": content})


def message(body: str, **extra: Any) -> Event:
    return event("m.room.message", {"msgtype": "m.text", "body": body, **extra})


@pytest.mark.parametrize("content", [
    {"org.matrix.msc3381.poll.response": "yes"},
    {"org.matrix.msc3381.poll.response": ["yes"]},
    {"org.matrix.msc3381.poll.response": {"answers": "yes"}},
    {"m.selections": {"a": 1}, "m.relates_to": "poll"},
    {"m.selections": ["a", 5, None], "m.relates_to": {"event_id": ["$poll"]}},
])
def test_a_malformed_poll_answer_reads_as_no_answer_instead_of_failing(
        content: dict[str, Any]) -> None:
    routed = classify(event("org.matrix.msc3381.poll.response", content), BOT)
    assert routed is not None and routed.kind == "poll_response"
    assert routed.payload["poll_event_id"] is None
    assert routed.payload["answers"] in ([], ["a"])


def test_a_well_formed_poll_answer_keeps_its_answers() -> None:
    routed = classify(event("m.poll.response", {
        "m.selections": ["b"], "m.relates_to": {"rel_type": "m.reference", "event_id": "$p"}}),
        BOT)
    assert routed is not None
    assert routed.payload["answers"] == ["b"] and routed.payload["poll_event_id"] == "$p"


def test_a_message_with_an_odd_relation_is_still_a_command() -> None:
    routed = classify(message("!salon help", **{"m.relates_to": ["not", "an", "object"]}), BOT)
    assert routed is not None and routed.kind == "message" and routed.body == "!salon help"


class PoisonedRouter(Router):
    """The real router, except that one message makes it fail outright."""

    async def handle(self, incoming: Incoming, *args: Any, **kwargs: Any) -> list[Reply]:
        if incoming.body == "!salon poison":
            raise RuntimeError("a test-only failure outside the handlers")
        return await super().handle(incoming, *args, **kwargs)


def sync_loop(chat: ChatSession, router: Router) -> SyncLoop:
    client = AsyncClient("http://127.0.0.1:9", BOT)  # never contacted in these tests
    stats = RuntimeStats()
    return SyncLoop(
        client=client, router=router, db=chat.db,
        sender=ReplySender(client, Outbox(chat.db), DirectRooms(
            client, encrypt=False, reserved=lambda _room: False), chat.router.clock, stats),
        invites=Invites(client, is_allowed=router.is_allowed, language="da",
                        staff_room=lambda: None),
        late_keys=LateKeys(client), clock=chat.router.clock, stats=stats, options=SyncOptions(),
        is_reserved=lambda _room: False)


async def test_an_event_that_fails_is_recorded_and_the_next_one_is_answered(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    router = PoisonedRouter(chat.router.registry, chat.db, chat.rooms, chat.config,
                            chat.router.clock)
    loop = sync_loop(chat, router)
    poison, weird_poll, command = (
        message("!salon poison"),
        event("org.matrix.msc3381.poll.response", {"org.matrix.msc3381.poll.response": "x"}),
        message("!salon help"))

    for each in (poison, weird_poll, command):
        await loop._handle(ROOM, each, since="s1")

    with chat.db.session() as session:
        assert ledger.is_handled(session, poison.event_id), "not retried with every sync"
        assert session.get(HandledEvent, command.event_id) is not None
    apology, reply = Outbox(chat.db).pending(chat.router.clock.now())
    assert reply.reply_to == command.event_id and "åbn" in reply.source
    failure = next(r for r in caplog.records if poison.event_id in r.getMessage())
    ref = failure.getMessage().split("ref=")[1].split(";")[0]
    assert failure.exc_info is not None
    assert apology.reply_to == poison.event_id and ref in apology.source, \
        "the sender gets the apology with the reference the log has"
    # The same batch again (a retried sync) skips both and stages nothing new.
    for each in (poison, command):
        await loop._handle(ROOM, each, since="s1")
    assert len(Outbox(chat.db).pending(chat.router.clock.now())) == 2
    chat.close()


def _error(status_code: str | None, http: int | None) -> RoomInviteError:
    response = RoomInviteError("refused", status_code)
    response.transport_response = SimpleNamespace(status=http) if http else None
    return response


@pytest.mark.parametrize(("errcode", "http", "code"), [
    ("M_FORBIDDEN", 403, "forbidden"),
    (None, 403, "forbidden"),
    ("M_UNKNOWN_USER", 400, "not-found"),
    (None, 404, "not-found"),
    ("M_LIMIT_EXCEEDED", 429, "rate-limited"),
    (None, 429, "rate-limited"),
    ("M_UNKNOWN", 500, "failed"),
    (None, None, "failed"),
])
def test_homeserver_errors_get_one_stable_code(errcode: str | None, http: int | None,
                                               code: str) -> None:
    response = _error(errcode, http)
    assert error_code(response) == code
    assert http_status(response) == (http or 0)
    assert is_rate_limited(response) == (code == "rate-limited")


async def test_ordinary_talk_is_neither_answered_nor_recorded(tmp_path: Path) -> None:
    """A salon's conversation is not the bot's business: no reply, and no trace of it (not
    even an event id) in the database; a command in the same batch is answered."""
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    loop = sync_loop(chat, chat.router)
    talk = [message("Hej alle, godt at se jer"), message("!echo help"),
            message("salon åbn det nye bibliotek?")]
    command, broken = message("!salon hjælp"), message('!salon åbn "uden slut')
    for each in (*talk, command, broken):
        await loop._handle(ROOM, each, since="s1")

    with chat.db.session() as session:
        recorded = set(session.scalars(select(HandledEvent.event_id)))
    assert recorded == {command.event_id, broken.event_id}
    replies = {r.reply_to: r.source for r in Outbox(chat.db).pending(chat.router.clock.now())}
    assert set(replies) == {command.event_id, broken.event_id}
    assert "anførselstegn" in replies[broken.event_id]  # the unclosed quote is explained
    chat.close()


class LockedRouter(Router):
    """The real router, on a database that is locked while the first command comes in."""

    locked = True

    async def handle(self, incoming: Incoming, *args: Any, **kwargs: Any) -> list[Reply]:
        if self.locked:
            raise OperationalError("UPDATE salons ...", {},
                                   sqlite3.OperationalError("database is locked"))
        return await super().handle(incoming, *args, **kwargs)


async def test_a_failing_database_stops_the_batch_so_the_command_is_answered_later(
        tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    router = LockedRouter(chat.router.registry, chat.db, chat.rooms, chat.config,
                          chat.router.clock)
    loop = sync_loop(chat, router)
    command = message("!salon hjælp")

    with pytest.raises(OperationalError):
        await loop._handle(ROOM, command, since="s1")
    with chat.db.session() as session:
        assert not ledger.is_handled(session, command.event_id), "it must not be skipped"

    router.locked = False  # the retried batch, once the database answers again
    await loop._handle(ROOM, command, since="s1")
    [reply] = Outbox(chat.db).pending(chat.router.clock.now())
    assert reply.reply_to == command.event_id
    chat.close()


async def test_the_position_is_stored_after_a_command_not_after_mere_talk(
        tmp_path: Path) -> None:
    """Storing the position after every sync cost more than the commands; an older stored
    position is safe because recorded commands are skipped when they come again."""
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    loop = sync_loop(chat, chat.router)
    assert loop._position_due(first=True), "the first sync after a start is always stored"

    await loop._handle(ROOM, message("Hej alle"), since="s1")
    assert not loop._position_due(first=False)

    await loop._handle(ROOM, message("!salon hjælp"), since="s1")
    assert loop._position_due(first=False)
    assert not loop._position_due(first=False), "stored once per recorded batch"
    chat.close()


def test_a_reply_is_read_without_the_quoted_message_it_answers() -> None:
    routed = classify(message("> <@bent:example.org> hemmeligt\n\n!salon hjælp", **{
        "m.relates_to": {"m.in_reply_to": {"event_id": "$bent"}}}), BOT)
    assert routed is not None and routed.body == "!salon hjælp"
    assert routed.payload["reply_to"] == "$bent" and "hemmeligt" not in routed.payload["body"]
    plain = classify(message("> a quote, not a reply"), BOT)
    assert plain is not None and plain.body == "> a quote, not a reply"
