"""Consent as a record, the notice newcomers get, and minutes that store only the words of
those who said yes: through the real handlers and router, rooms in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, open_salon, start_chat
from sqlalchemy import inspect, select, text

from bot import consent
from bot.chat import ChatSession
from bot.db import Consent, ConsentLevel, RecordedMessage, Salon


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChatSession]:
    session = start_chat(tmp_path)
    yield session
    session.close()


def notices_to(chat: ChatSession, user: str) -> list[tuple[str, str]]:
    return [(event_id, reply.body) for event_id, _, reply in chat.posted
            if reply.direct_to == user and (reply.watch or "").startswith("consent:")]


def level(chat: ChatSession, user: str, salon_id: int | None = 1) -> ConsentLevel:
    with chat.db.session() as session:
        return consent.level_of(session, user, salon_id)


async def test_a_newcomer_gets_one_notice_and_a_check_mark_is_consent(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    [(notice, body)] = notices_to(chat, BJORN)
    assert "Velkommen til #1" in body and "✅" in body and "pseudonym" in body
    assert level(chat, BJORN) is ConsentLevel.NONE
    await chat.react(CARL, chat.direct_room(BJORN), notice, "✅")  # not theirs: ignored
    assert level(chat, BJORN) is ConsentLevel.NONE
    await chat.react(BJORN, chat.direct_room(BJORN), notice, "✅")
    assert level(chat, BJORN) is ConsentLevel.YES
    with chat.db.session() as session:
        [row] = session.scalars(select(Consent).where(Consent.user_id == BJORN)).all()
        assert (row.salon_id, row.via) == (1, "reaction")
    await chat.leave(BJORN, room)
    await chat.say(ANNA, room, f"!salon inviter {BJORN}")
    await chat.join(BJORN, room)
    assert len(notices_to(chat, BJORN)) == 1, "once per person per salon"


async def test_consent_per_salon_beats_the_general_choice_and_can_be_withdrawn(
        chat: ChatSession) -> None:
    first = await open_salon(chat, guests=(BJORN,))
    await open_salon(chat, '!salon åbn "Anden salon"', guests=(BJORN,))
    answer = (await chat.say(BJORN, chat.direct_room(BJORN), "!salon samtykke ja")).text
    assert "alle dine saloner" in answer
    assert level(chat, BJORN, 1) is level(chat, BJORN, 2) is ConsentLevel.YES
    answer = (await chat.say(BJORN, first, "!salon samtykke nej")).text
    assert "#1" in answer
    assert level(chat, BJORN, 1) is ConsentLevel.NONE, "the salon's own choice counts"
    assert level(chat, BJORN, 2) is ConsentLevel.YES
    await chat.say(BJORN, first, "!salon samtykke navn")
    assert level(chat, BJORN, 1) is ConsentLevel.NAMED
    with chat.db.session() as session:
        history = [c.level for c in session.scalars(
            select(Consent).where(Consent.user_id == BJORN).order_by(Consent.id))]
    assert history == ["yes", "none", "named"], "every decision is kept, with its time"
    assert "Sig ja, navn eller nej" in (await chat.say(BJORN, first, "!salon samtykke")).text


async def test_minutes_store_only_the_words_of_those_who_said_yes(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN, CARL))
    await chat.say(BJORN, room, "!salon samtykke ja")
    started = (await chat.say(ANNA, room, "!salon start")).text
    assert BJORN in started and CARL not in started and "samtykke ja" in started
    await chat.say(BJORN, room, "Legepladsen bør ligge ved skolen")
    said = chat.last_event
    await chat.say(CARL, room, "Carls hemmelige mening om vejen")
    await chat.say(BJORN, room, "Og den skal have et tag")
    removed = chat.last_event
    await chat.edit(BJORN, room, said, "Legepladsen bør ligge ved biblioteket")
    await chat.redact(BJORN, room, removed)
    ended = (await chat.say(ANNA, room, "!salon slut")).text
    assert "1 besked" in ended and "1 person" in ended
    with chat.db.session() as session:
        rows = session.scalars(select(RecordedMessage)).all()
        assert [(r.user_id, r.body, r.event_id) for r in rows] == [
            (BJORN, "Legepladsen bør ligge ved biblioteket", said)]
        # Carl's words and id are nowhere in the database, in any table or column.
        for table in inspect(session.get_bind()).get_table_names():
            for row in session.execute(text(f"SELECT * FROM {table}")):  # noqa: S608
                assert "hemmelige" not in repr(row), table
    await chat.say(BJORN, room, "Efter referatet")
    with chat.db.session() as session:
        assert len(session.scalars(select(RecordedMessage)).all()) == 1, \
            "a room that stopped recording records nothing"


async def test_withdrawing_during_the_minutes_stops_the_recording_at_once(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(ANNA, room, "!salon start")
    await chat.say(BJORN, room, "Første indlæg")
    await chat.say(BJORN, room, "!salon samtykke nej")
    await chat.say(BJORN, room, "Andet indlæg, efter nej")
    with chat.db.session() as session:
        assert [r.body for r in session.scalars(select(RecordedMessage))] == ["Første indlæg"]


async def test_only_hosts_start_and_end_the_minutes(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    assert "Kun salonens værter" in (await chat.say(BJORN, room, "!salon start")).text
    assert "tages ikke referat" in (await chat.say(ANNA, room, "!salon slut")).text
    await chat.say(ANNA, room, "!salon start")
    assert "allerede referat" in (await chat.say(ANNA, room, "!salon start")).text
    with chat.db.session() as session:
        salon = session.scalars(select(Salon)).one()
        assert chat.router.watch.is_recording(salon.room_id)


async def test_english_readers_read_it_in_english(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon language en")
    answer = (await chat.say(BJORN, room, "!salon consent named")).text
    assert answer.startswith("When minutes are taken, I record what you write")
    assert "show your name" in answer


def test_the_migration_keeps_the_old_consent_flags_as_records(db_url: str) -> None:
    from bot.db import migrate

    migrate.upgrade(db_url, "0004")
    from sqlalchemy import create_engine

    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO salons (id, room_id, title, is_public, status, created_at) "
            "VALUES (1, '!r:x', 'Bænke', false, 'open', CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO members (salon_id, user_id, role, standing, status, consent) VALUES "
            "(1, :a, 'citizen', 'host', 'joined', true), "
            "(1, :b, 'citizen', 'participant', 'joined', false)"), {"a": ANNA, "b": BJORN})
        connection.execute(text("INSERT INTO user_settings (user_id, consent) VALUES (:c, true)"),
                           {"c": CARL})
    engine.dispose()
    migrate.upgrade(db_url)
    engine = create_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT user_id, salon_id, level, via FROM consents ORDER BY user_id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(ANNA, 1, "yes", "migrated"),
                                        (CARL, None, "yes", "migrated")]
