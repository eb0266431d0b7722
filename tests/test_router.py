"""The router's promises to the transport: one outcome per message, in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.chat import ChatSession
from bot.db import Salon
from bot.replies import Reply
from bot.router import Incoming

ANNA = "@anna:example.org"


async def test_on_commit_runs_once_in_the_handlers_transaction(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}")
    room = chat.direct_room(ANNA)
    calls: list[list[str]] = []

    def failing_record(session: Session, replies: list[Reply]) -> None:
        calls.append([r.body for r in replies])
        if len(calls) == 1:
            # The handler's salon is visible here: same transaction, not yet committed.
            assert session.scalar(select(Salon)) is not None
            raise RuntimeError("the transport could not record the event")

    replies = await chat.router.handle(
        Incoming(sender=ANNA, room_id=room, body='!salon open "Ny legeplads"', event_id="$1"),
        failing_record)
    # The failed record rolled the handler's work back, and the user got an apology instead.
    assert len(calls) == 2
    assert "salon" in calls[0][0].lower()
    assert replies[0].body.startswith("Beklager, noget gik galt")
    assert calls[1] == [replies[0].body]
    with chat.db.session() as session:
        assert session.scalars(select(Salon)).all() == []


async def test_on_commit_also_runs_for_plain_chat_and_parse_errors(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}")
    room = chat.direct_room(ANNA)
    seen: list[list[Reply]] = []

    def record(_session: Session, replies: list[Reply]) -> None:
        seen.append(replies)

    assert await chat.router.handle(Incoming(ANNA, room, "hej med dig", "$2"), record) == []
    broken = await chat.router.handle(Incoming(ANNA, room, '!salon open "Ny', "$3"), record)
    assert "anførselstegn" in broken[0].body
    assert [len(r) for r in seen] == [0, 1]
