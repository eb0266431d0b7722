"""The record path's filter in memory follows the rows exactly: what a failing hook did is
rolled back in memory too, what the others did stands."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chat_helpers import ANNA, start_chat
from sqlalchemy import select

from bot.commands import Registry
from bot.context import Context
from bot.db import RecordingRoom

ROOM_A, ROOM_B = "!a:example.org", "!b:example.org"


async def test_a_failing_hook_leaves_no_trace_in_memory_and_the_others_stand(
        tmp_path: Path) -> None:
    registry = Registry()

    async def records_then_fails(ctx: Context, _payload: dict[str, Any]) -> None:
        ctx.watch.start_recording(ctx.session, room_id=ROOM_A, by=ctx.sender,
                                  at=ctx.clock.now())
        ctx.watch.watch_event(ctx.session, event_id="$a", room_id=ROOM_A, key="test:a",
                              at=ctx.clock.now())
        raise RuntimeError("a bug in one hook")

    async def records(ctx: Context, _payload: dict[str, Any]) -> None:
        ctx.watch.start_recording(ctx.session, room_id=ROOM_B, by=ctx.sender,
                                  at=ctx.clock.now())

    registry.on("member", records_then_fails)
    registry.on("member", records)
    chat = start_chat(tmp_path, registry=registry)
    await chat.router.handle_event("member", ANNA, ROOM_A, {"event_id": "$m1"})
    watch = chat.router.watch
    assert not watch.is_recording(ROOM_A) and watch.key_of("$a") is None, \
        "the failed hook's rows were rolled back, so the filter must not have them"
    assert watch.is_recording(ROOM_B)
    with chat.db.session() as session:
        assert list(session.scalars(select(RecordingRoom.room_id))) == [ROOM_B]
    chat.close()


async def test_a_rolled_back_transaction_changes_nothing_in_memory(tmp_path: Path) -> None:
    chat = start_chat(tmp_path)
    watch = chat.router.watch
    try:
        with chat.db.session() as session:
            watch.start_recording(session, room_id=ROOM_A, by=ANNA, at=chat.clock.now())
            raise ValueError("the unit of work fails")
    except ValueError:
        pass
    assert not watch.is_recording(ROOM_A)
    with chat.db.session() as session:
        watch.start_recording(session, room_id=ROOM_A, by=ANNA, at=chat.clock.now())
    assert watch.is_recording(ROOM_A)
    with chat.db.session() as session:
        watch.stop_recording(session, ROOM_A)
    assert not watch.is_recording(ROOM_A)
    chat.close()
