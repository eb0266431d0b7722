"""my-data, forget-me and retention through the real handlers and router, rooms in memory:
the map of personal data the schema declares, a person's file holding their rows and nobody
else's, an erasure after which neither their id nor their words are anywhere in the database
(on SQLite and PostgreSQL) while the others' minutes stay, and old text going by the clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, chat_config_with, open_salon, start_chat
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, inspect, select, text

from bot import privacy
from bot.chat import ChatSession, chat_config
from bot.clock import FixedClock
from bot.db import (
    Base,
    Capture,
    Consent,
    FindTimePoll,
    JobState,
    Meeting,
    Member,
    MinuteItem,
    OutboxMessage,
    PollVote,
    RecordedMessage,
    Rsvp,
    ScheduledJob,
    StoredSummary,
    UserSetting,
    WatchedEvent,
)
from handlers import build_registry

SECRET = "Gyngerne skal males himmelblå"
SECOND = "Og sandkassen skal have låg"
CARLS = "Carl ønsker sig en bænk ved søen"
OTHER = f"Kun Carl taler i det andet referat, {BJORN} er her ikke"
BJORNS_ITEM = "Bjørns idé om en rutsjebane"


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChatSession]:
    session = start_chat(tmp_path)
    yield session
    session.close()


def announcement_of(chat: ChatSession, number: int) -> str:
    with chat.db.session() as session:
        meeting_id = session.scalar(select(Meeting.id).where(Meeting.number == number))
    return next(event_id for event_id, _, reply in chat.posted
                if reply.watch == f"meeting:{meeting_id}:announcement")


async def a_salon_with_minutes(chat: ChatSession) -> str:
    """Bjørn takes part in everything: co-host, invites Dorthe, plans a meeting, answers one
    (Carl waits for his place), votes, starts the minutes and speaks; Carl answers him with
    a quote; items and summaries, a reply waiting in the outbox and a job name him."""
    room = await open_salon(chat, guests=(BJORN, CARL))
    await chat.say(ANNA, room, f"!salon medvært {BJORN}")
    await chat.say(BJORN, room, f"!salon inviter {DORTHE}")
    await chat.join(DORTHE, room)
    for person in (BJORN, CARL):
        await chat.say(person, room, "!salon samtykke ja")
    await chat.say(BJORN, room, "!salon sprog da")
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18 --capacity 1")
    await chat.react(BJORN, room, announcement_of(chat, 1), "✅")
    await chat.say(CARL, room, "!salon svar ja 1")
    await chat.say(BJORN, room, '!salon planlæg lørdag kl. 14 sted "Biblioteket"')
    turn = await chat.say(ANNA, room, "!salon findtid fredag kl. 10 | lørdag kl. 10")
    poll = next(r for r in turn.replies if r.room_id == room)
    await chat.answer_poll(BJORN, room, chat.event_of(poll), ["t2"])
    await chat.say(BJORN, room, "!salon start")
    await chat.say(BJORN, room, SECRET)
    said = chat.last_event
    await chat.say(BJORN, room, SECOND)
    await chat.say(CARL, room, f"> <{BJORN}> {SECRET}\n\nEnig, {BJORN}!", reply_to=said)
    await chat.say(CARL, room, CARLS)
    await chat.say(BJORN, room, f"!salon idea {BJORNS_ITEM}")
    await chat.say(CARL, room, f"!salon action {BJORN} ringer til kommunen")
    await chat.say(ANNA, room, "!salon slut")
    await chat.say(ANNA, room, "!salon opsummering")
    await chat.say(ANNA, room, "!salon start")
    await chat.say(CARL, room, OTHER)
    await chat.say(ANNA, room, "!salon slut")
    await chat.say(ANNA, room, "!salon opsummering")
    with chat.db.session(write=True) as session:
        session.add_all([
            OutboxMessage(txn_id="t1", origin_room=room, direct_to=BJORN, source=SECRET,
                          extra="{}", created_at=NOW, requested_by=BJORN),
            OutboxMessage(txn_id="t2", origin_room=room, room_id=room, source="Husk mødet",
                          extra=json.dumps({"m.mentions": {"user_ids": [BJORN, CARL]}}),
                          created_at=NOW, requested_by=ANNA),
            ScheduledJob(kind="test.nudge", key=f"nudge:{BJORN}", person=BJORN, due_at=NOW
                         + timedelta(days=3), payload="{}", created_at=NOW),
        ])
    return room


def everywhere(chat: ChatSession) -> str:
    """Every row of every table, as text, straight from the database."""
    out = []
    with chat.db.session() as session:
        for table in inspect(session.get_bind()).get_table_names():
            for row in session.execute(text(f"SELECT * FROM {table}")):  # noqa: S608
                out.append(f"{table}: {row!r}")
    return "\n".join(out)


# ----------------------------------------------------------------------------- the map


def test_every_table_and_column_holding_personal_data_is_in_the_map() -> None:
    assert privacy.problems() == []
    personal = privacy.personal_columns()
    assert personal["recorded_messages"] == {"user_id": "user", "body": "text"}
    assert {"consents", "rsvps", "members", "outbox", "scheduled_jobs", "summaries",
            "minute_items", "poll_votes", "user_settings"} <= set(personal)
    assert "capture_counts" not in personal and "handled_events" not in personal


def test_a_table_added_without_an_entry_fails_the_check() -> None:
    metadata = MetaData()
    Table("feedback", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", String(255)), Column("body", Text))
    found = privacy.problems(metadata, rules={})
    assert any("feedback.user_id looks like personal data" in p for p in found)
    assert any("feedback.body looks like personal data" in p for p in found)
    metadata = MetaData()
    Table("feedback", metadata, Column("id", Integer, primary_key=True),
          Column("user_id", String(255), info={"personal": "user"}),
          Column("written_by", String(255), info={"personal": "user"}))
    found = privacy.problems(metadata, rules={})
    assert found == ["feedback holds personal data (user_id, written_by) but has no forget-me "
                     "rule in bot.privacy.RULES"]
    found = privacy.problems(metadata, rules={"feedback": privacy.Rule("x", delete=("user_id",))})
    assert found == ["feedback.written_by holds a user id, but forget-me neither deletes the row "
                     "nor clears it (RULES)"]
    assert privacy.problems(metadata, rules={"feedback": privacy.Rule(
        "x", delete=("user_id",), clear=("written_by",))}) == []


def test_every_personal_table_of_the_schema_has_a_rule_and_a_line_in_my_data() -> None:
    assert set(privacy.personal_columns(Base.metadata)) == set(privacy.RULES)


def test_scrubbing_takes_the_id_out_of_text_and_json_lists() -> None:
    assert privacy.scrub(f"Hej {BJORN}!", BJORN) == "Hej […]!"
    assert json.loads(privacy.scrub(json.dumps({"ids": [BJORN, CARL]}), BJORN)) == {
        "ids": [CARL]}
    assert privacy.without_reply_fallback(f"> <{BJORN}> hej\n> igen\n\nSvar") == "Svar"
    assert privacy.without_reply_fallback("Intet citat") == "Intet citat"


# ----------------------------------------------------------------------------- my-data


async def test_my_data_from_a_salon_goes_to_the_direct_chat_with_only_the_callers_rows(
        chat: ChatSession) -> None:
    room = await a_salon_with_minutes(chat)
    turn = await chat.say(BJORN, room, "!salon mine-data")
    here, file_reply = turn.replies
    assert here.direct_to is None and here.attachment is None
    assert "direkte chat" in here.body
    assert file_reply.direct_to == BJORN and file_reply.attachment is not None
    assert file_reply.attachment.filename == "my-data.json"
    assert file_reply.attachment.mimetype == "application/json"
    assert "my-data.json" in file_reply.body and "glem-mig" in file_reply.body
    raw = file_reply.attachment.data.decode()
    data = json.loads(raw)
    assert data["user_id"] == BJORN
    tables = data["tables"]
    assert set(tables) == set(privacy.RULES), "every table of the map, also empty ones"
    assert [r["body"] for r in tables["recorded_messages"]["rows"]] == [SECRET, SECOND]
    assert [r["level"] for r in tables["consents"]["rows"]] == ["yes"]
    assert [r["answer"] for r in tables["rsvps"]["rows"]] == ["yes"]
    assert [r["option"] for r in tables["poll_votes"]["rows"]] == [1]
    assert tables["user_settings"]["rows"][0]["language"] == "da"
    assert {r["text"] for r in tables["minute_items"]["rows"]} == {
        BJORNS_ITEM, "ringer til kommunen"}
    assert [r["place"] for r in tables["meetings"]["rows"]] == ["Biblioteket"]
    assert [r["capture_id"] for r in tables["summaries"]["rows"]] == [1]
    assert "source" not in tables["summaries"]["rows"][0], "a summary is the whole room's"
    assert tables["captures"]["rows"][0]["started_by"] == BJORN
    members = tables["members"]["rows"]
    assert {m["user_id"] for m in members} == {BJORN, "(en anden)"}, \
        "his own membership, and Dorthe's (he invited her) without her id"
    assert tables["watched_events"]["rows"][0]["key"] == f"consent:1:{BJORN}"
    assert tables["outbox"]["rows"][0]["direct_to"] == BJORN
    assert tables["scheduled_jobs"]["rows"][0]["person"] == BJORN
    for other in (ANNA, CARL, DORTHE, CARLS, "Kun Carl", "Enig"):
        assert other not in raw, other


async def test_my_data_in_the_direct_chat_is_one_reply_with_the_file(chat: ChatSession) -> None:
    await a_salon_with_minutes(chat)
    await chat.say(CARL, chat.direct_room(CARL), "!salon language en")
    [reply] = (await chat.say(CARL, chat.direct_room(CARL), "!salon my-data")).replies
    assert reply.attachment is not None and reply.direct_to is None
    assert reply.body.startswith("Your data: the file my-data.json")
    data = json.loads(reply.attachment.data)
    bodies = [r["body"] for r in data["tables"]["recorded_messages"]["rows"]]
    assert bodies[1:] == [CARLS, OTHER.replace(BJORN, "(another person)")]
    assert bodies[0].endswith("Enig, (another person)!"), "his reply, others' ids masked"
    assert data["tables"]["summaries"]["rows"] != []
    assert BJORN not in reply.attachment.data.decode()


# --------------------------------------------------------------------------- forget-me


async def test_forget_me_without_yes_asks_and_changes_nothing(chat: ChatSession) -> None:
    room = await a_salon_with_minutes(chat)
    before = everywhere(chat)
    answer = (await chat.say(BJORN, room, "!salon glem-mig")).text
    assert "!salon glem-mig ja" in answer and "!salon mine-data" in answer
    assert "kan ikke fortrydes" in answer
    answer = (await chat.say(BJORN, room, "!salon glem-mig måske")).text
    assert "!salon glem-mig ja" in answer
    assert everywhere(chat) == before
    await chat.say(BJORN, chat.direct_room(BJORN), "!salon sprog en")
    answer = (await chat.say(BJORN, chat.direct_room(BJORN), "!salon forget-me")).text
    assert "!salon forget-me yes" in answer


async def test_the_only_host_is_warned_that_the_salon_will_have_none(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    answer = (await chat.say(ANNA, room, "!salon glem-mig")).text
    assert "eneste vært" in answer and "!salon medvært" in answer


async def forget_bjorn(chat: ChatSession, room: str) -> str:
    turn = await chat.say(BJORN, room, "!salon glem-mig ja")
    confirmation, *notices = turn.replies
    return confirmation.body + "\n" + "\n".join(n.body for n in notices)


async def assert_forgotten(chat: ChatSession, notice: str) -> None:
    stored = everywhere(chat)
    for trace in (BJORN, SECRET, SECOND, BJORNS_ITEM, "bjorn"):
        assert trace not in stored, trace
    with chat.db.session() as session:
        assert privacy.left_behind(session, [BJORN, SECRET, SECOND]) == []
        bodies = [m.body for m in session.scalars(
            select(RecordedMessage).order_by(RecordedMessage.id))]
        assert bodies == ["Enig, […]!", CARLS, OTHER.replace(BJORN, "[…]")], \
            "Carl's words stay, without the quote of Bjørn and without his id"
        assert session.scalars(select(RecordedMessage.reply_to)).all() == [None, None, None]
        [item] = session.scalars(select(MinuteItem)).all()
        assert (item.user_id, item.assignee, item.text) == (CARL, None, "ringer til kommunen")
        summaries = session.scalars(select(StoredSummary).order_by(StoredSummary.id)).all()
        assert [s.capture_id for s in summaries if "Kun Carl taler" in s.source] == [2], \
            "the other capture's summary stays (without his id)"
        assert all(SECRET not in s.source and BJORNS_ITEM not in s.source for s in summaries)
        assert all(CARLS in s.source for s in summaries if s.capture_id == 1), \
            "a summary drawn on him is made again from the others' words"
        rsvp = session.scalars(select(Rsvp)).one()
        assert (rsvp.user_id, rsvp.waitlisted) == (CARL, False), "Carl moved up"
        assert session.scalars(select(Member.user_id).order_by(Member.id)).all() == [
            ANNA, CARL, DORTHE]
        assert session.scalar(select(Member.invited_by).where(Member.user_id == DORTHE)) is None
        assert session.scalars(select(Consent.user_id)).all() == [CARL]
        assert session.get(UserSetting, BJORN) is None
        assert session.scalars(select(PollVote)).all() == []
        assert session.scalars(select(Meeting.created_by).order_by(Meeting.id)).all() == [
            ANNA, None]
        assert session.scalars(select(FindTimePoll.created_by)).all() == [ANNA]
        outbox = session.scalars(select(OutboxMessage)).one()
        assert outbox.txn_id == "t2", "a message to the room stays, without his id"
        assert json.loads(outbox.extra) == {"m.mentions": {"user_ids": [CARL]}}
        assert session.scalar(select(ScheduledJob).where(ScheduledJob.kind == "test.nudge")) \
            is None
        assert session.scalar(select(WatchedEvent).where(WatchedEvent.event_id == notice)) \
            is None
    assert chat.router.watch.key_of(notice) is None, "nor watched in memory"


async def test_forget_me_yes_erases_the_person_everywhere_and_the_others_minutes_stay(
        chat: ChatSession, tmp_path: Path) -> None:
    room = await a_salon_with_minutes(chat)
    with chat.db.session() as session:
        notice = session.scalar(select(WatchedEvent.event_id).where(
            WatchedEvent.key == f"consent:1:{BJORN}"))
    answer = await forget_bjorn(chat, room)
    assert "Færdig: jeg har glemt dig" in answer
    for line in ("2 beskeder optaget under referater", "1 referatpunkt", "1 svar på et møde",
                 "1 stemme i en afstemning", "1 medlemskab af en salon",
                 "1 samtykkebeslutning", "dine indstillinger", "1 besked, der ikke var leveret",
                 "1 planlagt opgave, der nævnte dig"):
        assert line in answer, line
    assert "Hjemmeserveren har sin egen kopi" in answer
    assert f"{CARL}, den er din nu" in answer, "the waiting list moved up"
    await assert_forgotten(chat, notice)
    files = b"".join(path.read_bytes() for path in tmp_path.glob("salonbot.db*"))
    for words in (SECRET, SECOND, BJORN):
        assert words.encode() not in files, "not in the file's free pages nor in its log"


async def test_forget_me_on_postgresql_and_sqlite_alike(db_url: str) -> None:
    chat = ChatSession(db_url, chat_config(), clock=FixedClock(NOW), registry=build_registry())
    try:
        room = await a_salon_with_minutes(chat)
        with chat.db.session() as session:
            notice = session.scalar(select(WatchedEvent.event_id).where(
                WatchedEvent.key == f"consent:1:{BJORN}"))
        answer = await forget_bjorn(chat, room)
        assert "Færdig" in answer
        await assert_forgotten(chat, notice)
        again = (await chat.say(BJORN, chat.direct_room(BJORN), "!salon glem-mig ja")).text
        assert "intet om dig" in again
    finally:
        chat.close()


async def test_after_forget_me_nothing_is_recorded_until_a_new_yes(chat: ChatSession) -> None:
    room = await a_salon_with_minutes(chat)
    await forget_bjorn(chat, room)
    await chat.say(ANNA, room, "!salon start")
    await chat.say(BJORN, room, "Efter glem-mig")
    assert "Efter glem-mig" not in everywhere(chat)


# --------------------------------------------------------------------------- retention


async def test_retention_deletes_old_message_text_only(tmp_path: Path) -> None:
    clock = FixedClock(NOW)
    chat = start_chat(tmp_path, chat_config_with(privacy={"retention_days": 2}), clock=clock)
    try:
        room = await open_salon(chat, guests=(BJORN,))
        await chat.say(BJORN, room, "!salon samtykke ja")
        await chat.say(ANNA, room, "!salon start")
        await chat.say(BJORN, room, "Gammel tekst")
        await chat.say(ANNA, room, "!salon info")  # a command: due jobs run
        with chat.db.session(write=True) as session:
            session.add(MinuteItem(salon_id=1, capture_id=1, number=1, kind="idea",
                                   text="Punktet bliver", user_id=BJORN, created_at=NOW))
            session.add(StoredSummary(salon_id=1, capture_id=1, method="extractive",
                                      version="1", language="da", source="- Gammel tekst",
                                      data="{}", created_at=NOW))
        await chat.wait("2d")
        await chat.say(BJORN, room, "Ny tekst")
        await chat.wait("1d")
        with chat.db.session() as session:
            rows = session.scalars(select(RecordedMessage).order_by(RecordedMessage.id)).all()
            assert [(r.body, r.text_deleted_at) for r in rows] == [
                (None, NOW + timedelta(days=3)), ("Ny tekst", None)]
            assert rows[0].event_id and rows[0].user_id == BJORN, "the row stays, its text goes"
            assert session.scalars(select(MinuteItem.text)).all() == ["Punktet bliver"]
            assert session.scalars(select(StoredSummary.source)).all() == ["- Gammel tekst"]
            [job] = session.scalars(select(ScheduledJob).where(
                ScheduledJob.kind == "privacy.retention")).all()
            assert job.state == JobState.PENDING.value and job.key == "daily", \
                "one daily sweep that sets itself again"
            assert job.due_at == NOW + timedelta(days=4) and job.revision == 5, \
                "it ran once a day (the first at once), and the next one is waiting"
    finally:
        chat.close()


def test_the_sweep_is_a_function_of_the_clock(tmp_path: Path) -> None:
    chat = start_chat(tmp_path)
    try:
        with chat.db.session(write=True) as session:
            session.execute(text("INSERT INTO salons (id, room_id, title, is_public, status, "
                                 "created_at) VALUES (1, '!r', 'S', false, 'open', :now)"),
                            {"now": NOW})
            session.add(Capture(id=1, salon_id=1, started_at=NOW))
            for days, body in ((10, "ti dage"), (3, "tre dage")):
                session.add(RecordedMessage(capture_id=1, event_id=f"$e{days}", user_id=BJORN,
                                            role="citizen", body=body,
                                            sent_at=NOW - timedelta(days=days)))
        with chat.db.session(write=True) as session:
            assert privacy.sweep_retention(session, NOW, 5) == {"recorded_messages": 1}
        with chat.db.session(write=True) as session:
            assert privacy.sweep_retention(session, NOW, 5) == {"recorded_messages": 0}
            assert session.scalars(select(RecordedMessage.body).order_by(
                RecordedMessage.id)).all() == [None, "tre dage"]
    finally:
        chat.close()
