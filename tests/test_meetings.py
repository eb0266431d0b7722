"""Meetings through the real handlers and router, in the terminal's rooms with a fixed clock:
reading times, announcements and answers, the waiting list, reminders that move and stop,
weekly series across daylight saving, polls for a time, and the calendar file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from chat_helpers import ANNA, BJORN, CARL, DORTHE, open_salon, start_chat
from sqlalchemy import select

from bot.chat import ChatSession, chat_config
from bot.clock import FixedClock
from bot.db import JobState, Meeting, ScheduledJob
from bot.replies import Reply
from handlers import build_registry

CPH = ZoneInfo("Europe/Copenhagen")
#: Wednesday 4 March 2026, 09:30 in Copenhagen.
WEDNESDAY = datetime(2026, 3, 4, 9, 30, tzinfo=CPH).astimezone(UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(WEDNESDAY)


@pytest.fixture
def chat(tmp_path: Path, clock: FixedClock) -> Iterator[ChatSession]:
    session = start_chat(tmp_path, clock=clock)
    yield session
    session.close()


async def salon(chat: ChatSession) -> str:
    return await open_salon(chat, guests=(BJORN, CARL))


def announcement_of(chat: ChatSession, number: int) -> str:
    """The event id of meeting ``number``'s announcement."""
    with chat.db.session() as session:
        meeting_id = session.scalar(select(Meeting.id).where(Meeting.number == number))
    return next(event_id for event_id, _, reply in chat.posted
                if reply.watch == f"meeting:{meeting_id}:announcement")


def jobs(chat: ChatSession) -> dict[str, tuple[str, datetime]]:
    """The meetings' jobs (other areas have standing jobs of their own, like the sweep)."""
    with chat.db.session() as session:
        return {f"{job.kind} {job.key}": (job.state, job.due_at)
                for job in session.scalars(select(ScheduledJob)
                                           .where(ScheduledJob.kind.startswith("meeting.")))}


async def test_a_time_in_words_is_read_in_the_salons_zone_and_spelled_out(
        chat: ChatSession) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, '!salon planlæg torsdag kl. 19 sted "Biblioteket"')
    reply, announcement = turn.replies
    assert "torsdag den 5. marts 2026 kl. 19.00 (Europe/Copenhagen)" in reply.body
    assert "!salon flyt 1" in reply.body, "how to correct a misreading"
    assert announcement.room_id == room and announcement.watch
    assert "Sted: Biblioteket" in announcement.body and "✅" in announcement.body
    with chat.db.session() as session:
        meeting = session.scalars(select(Meeting)).one()
        assert meeting.starts_at == datetime(2026, 3, 5, 18, 0, tzinfo=UTC)  # 19:00 CET
        assert meeting.ends_at - meeting.starts_at == timedelta(hours=2)
    assert set(jobs(chat)) == {"meeting.reminder meeting:1:86400",
                               "meeting.reminder meeting:1:3600", "meeting.nudge meeting:1"}


@pytest.mark.parametrize(("text", "expected"), [
    ("!salon planlæg i dag kl. 8", "er allerede forbi"),
    ("!salon planlæg blåbærgrød", "Jeg kan ikke læse"),
    ("!salon planlæg torsdag", "mangler et klokkeslæt"),
    ("!salon planlæg torsdag kl. 7", "ikke gætte"),
    ("!salon planlæg", "Skriv, hvornår mødet er"),
    ("!salon planlæg i morgen kl. 18 --for evigt", "--for 2h"),
    ("!salon planlæg i morgen kl. 18 --capacity mange", "--capacity 20"),
])
async def test_what_cannot_be_read_for_certain_is_refused_with_examples(
        chat: ChatSession, text: str, expected: str) -> None:
    room = await salon(chat)
    answer = (await chat.say(ANNA, room, text)).text
    assert expected in answer, answer
    assert "!salon planlæg" in answer, "the refusal shows how to write it"
    with chat.db.session() as session:
        assert session.scalars(select(Meeting)).all() == [], "nothing is guessed or stored"


async def test_a_quoted_time_is_the_time_and_a_quoted_text_after_it_the_title(
        chat: ChatSession) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, '!salon planlæg "den 12. marts kl. 19" "Kaffemøde"')
    assert "torsdag den 12. marts 2026 kl. 19.00" in turn.replies[0].body
    assert "»Kaffemøde«" in turn.replies[0].body


async def test_only_hosts_plan_meetings(chat: ChatSession) -> None:
    room = await salon(chat)
    answer = (await chat.say(BJORN, room, "!salon planlæg i morgen kl. 18")).text
    assert "Kun salonens værter" in answer and ANNA in answer


async def test_answers_by_reaction_change_and_withdraw(chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18")
    event = announcement_of(chat, 1)
    yes = await chat.react(BJORN, room, event, "✅")
    await chat.react(CARL, room, event, "❔")
    assert "1 ja, 1 måske, 0 nej" in (await chat.say(BJORN, room, "!salon møder")).text
    await chat.react(BJORN, room, event, "❌")  # the last answer counts
    assert "0 ja, 1 måske, 1 nej" in (await chat.say(BJORN, room, "!salon møder")).text
    await chat.redact(BJORN, room, yes)  # removing an older reaction changes nothing
    assert "0 ja, 1 måske, 1 nej" in (await chat.say(BJORN, room, "!salon møder")).text
    await chat.react(DORTHE, room, event, "✅")  # not in the salon: ignored
    await chat.react(BJORN, room, "$somebody-else", "✅")  # not an announcement: ignored
    assert "0 ja, 1 måske, 1 nej" in (await chat.say(ANNA, room, "!salon møder")).text


async def test_removing_the_reaction_withdraws_the_answer(chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18")
    reaction = await chat.react(BJORN, room, announcement_of(chat, 1), "✅")
    assert "1 ja" in (await chat.say(BJORN, room, "!salon møder")).text
    await chat.redact(BJORN, room, reaction)
    assert "0 ja, 0 måske, 0 nej" in (await chat.say(BJORN, room, "!salon møder")).text


async def test_a_full_meeting_has_a_waiting_list_that_moves_up(chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18 --capacity 1")
    first = (await chat.say(BJORN, room, "!salon svar ja")).text
    assert "Noteret" in first or "kommer" in first
    second = (await chat.say(CARL, room, "!salon svar ja 1")).text
    assert "nummer 1 på ventelisten" in second
    turn = await chat.say(BJORN, room, "!salon svar nej")
    [moved] = [r for r in turn.replies if r.room_id == room and r.mentions]
    assert moved.mentions == (CARL,) and CARL in moved.body
    assert "1 ja, 0 måske, 1 nej" in (await chat.say(CARL, room, "!salon møder")).text


async def test_reminders_fire_once_mention_those_coming_and_follow_a_reschedule(
        chat: ChatSession, clock: FixedClock) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg fredag kl. 19")  # 6 March 18:00 UTC
    await chat.react(BJORN, room, announcement_of(chat, 1), "✅")
    await chat.react(CARL, room, announcement_of(chat, 1), "❌")
    clock.advance(hours=34)  # Thursday 19:30 local: the 24-hour reminder is due
    [reminder] = (await chat.run_due()).replies
    assert reminder.room_id == room and reminder.mentions == (BJORN,)
    assert "Påmindelse" in reminder.body and "24 timer" in reminder.body
    assert (await chat.run_due()).replies == [], "once"

    turn = await chat.say(ANNA, room, "!salon flyt 1 lørdag kl. 10")
    [notice] = [r for r in turn.replies if r.room_id == room]
    assert notice.mentions == (BJORN,) and "lørdag" in notice.body
    state = jobs(chat)
    assert state["meeting.reminder meeting:1:3600"] == (
        JobState.PENDING.value, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))
    # Two days pass, step by step: Friday's old times send nothing, Saturday's new ones do.
    replies = (await chat.wait("2d")).replies
    assert [r.body.splitlines()[0] for r in replies] == [
        "⏰ Påmindelse: møde 1 begynder om 24 timer.",
        "⏰ Påmindelse: møde 1 begynder om 1 time.",
        "Nu er mødet slut: møde 1. Tak for i dag! Værter (@anna:example.org): skriv gerne "
        "ned, mens det er frisk i erindringen, hvad I blev enige om, og hvad der skal videre "
        "til kommunen."]


async def test_a_cancel_stops_the_reminders_and_tells_those_coming(
        chat: ChatSession, clock: FixedClock) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg fredag kl. 19")
    await chat.react(BJORN, room, announcement_of(chat, 1), "✅")
    turn = await chat.say(ANNA, room, "!salon aflys 1")
    [notice] = [r for r in turn.replies if r.room_id == room]
    assert "Aflyst" in notice.body and notice.mentions == (BJORN,)
    assert {state for state, _ in jobs(chat).values()} == {JobState.CANCELLED.value}
    clock.advance(days=3)
    assert (await chat.run_due()).replies == []
    assert "ikke planlagt nogen møder" in (await chat.say(BJORN, room, "!salon møder")).text


async def test_a_weekly_series_keeps_its_local_time_across_daylight_saving(
        chat: ChatSession) -> None:
    room = await salon(chat)
    answer = (await chat.say(ANNA, room, "!salon planlæg hver torsdag kl. 19 indtil 9. april")
              ).text
    assert "6 møder" in answer, "until is inclusive"
    with chat.db.session() as session:
        starts = [m.starts_at for m in session.scalars(select(Meeting).order_by(Meeting.number))]
    assert [s.astimezone(CPH).strftime("%d/%m %H:%M") for s in starts] == [
        "05/03 19:00", "12/03 19:00", "19/03 19:00", "26/03 19:00", "02/04 19:00",
        "09/04 19:00"]
    assert starts[3].hour == 18 and starts[4].hour == 17, "UTC moves, the local time does not"
    turn = await chat.say(ANNA, room, "!salon aflys 3 --series")
    assert "4 møder" in turn.replies[0].body
    listed = (await chat.say(ANNA, room, "!salon møder")).text.splitlines()
    assert [line.split(".")[0] for line in listed[1:-1]] == ["• 1", "• 2"]


async def test_the_next_meeting_is_in_info(chat: ChatSession) -> None:
    room = await salon(chat)
    assert "Næste møde: der er ikke planlagt nogen møder endnu." in (
        await chat.say(BJORN, room, "!salon info")).text
    await chat.say(ANNA, room, '!salon planlæg i morgen kl. 18 : "Legepladsen"')
    info = (await chat.say(BJORN, room, "!salon info")).text
    assert "Næste møde: møde 1 »Legepladsen«, torsdag den 5. marts 2026 kl. 18.00" in info


async def test_the_hosts_are_nudged_after_the_meeting(chat: ChatSession,
                                                      clock: FixedClock) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18 --for 90m")
    clock.advance(days=1, hours=10, minutes=1)  # Thursday 19:31 local, just after the end
    replies = (await chat.run_due()).replies
    [nudge] = replies  # the reminders fell due "while the bot was down" and are of no use now
    assert nudge.mentions == (ANNA,) and "mødet slut" in nudge.body
    assert {state for key, (state, _) in jobs(chat).items() if "reminder" in key} == {
        JobState.SKIPPED.value}


async def test_english_in_an_english_salon(tmp_path: Path, clock: FixedClock) -> None:
    chat = start_chat(tmp_path, clock=clock)
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon language en --room")
    await chat.say(ANNA, room, "!salon language en")
    turn = await chat.say(ANNA, room, "!salon schedule next Tuesday 7pm online https://meet.example.org/x")
    reply, announcement = turn.replies
    assert "Tuesday, 10 March 2026 at 19:00 (Europe/Copenhagen)" in reply.body
    assert "Online: https://meet.example.org/x" in announcement.body
    assert "React to this message" in announcement.body
    chat.close()


def _ics(reply: Reply) -> icalendar.Calendar:
    assert reply.attachment is not None and reply.attachment.mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(reply.attachment.data)


async def test_the_calendar_has_stable_uids_sequence_and_cancellations(
        chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, '!salon planlæg fredag kl. 19 sted "Biblioteket"')
    [event] = _ics((await chat.say(BJORN, room, "!salon kalender")).replies[0]).walk("VEVENT")
    uid = str(event["UID"])
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
    assert str(event["DTSTART"].dt.tzinfo) == "Europe/Copenhagen"
    assert "Ny legeplads" in str(event["SUMMARY"]) and "Biblioteket" in str(event["LOCATION"])
    assert room in str(event["DESCRIPTION"]), "links back to the salon's room"
    await chat.say(ANNA, room, "!salon flyt 1 lørdag kl. 10")
    [moved] = _ics((await chat.say(BJORN, room, "!salon kalender 1")).replies[0]).walk("VEVENT")
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == int(event["SEQUENCE"]) + 1
    await chat.say(ANNA, room, "!salon aflys 1")
    [gone] = _ics((await chat.say(BJORN, room, "!salon kalender")).replies[0]).walk("VEVENT")
    assert str(gone["STATUS"]) == "CANCELLED" and int(gone["SEQUENCE"]) == 2


async def test_findtime_polls_counts_poll_answers_and_keycaps_and_plans_the_best(
        chat: ChatSession) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, "!salon findtid fredag kl. 17 | lørdag kl. 10 | "
                                      "søndag kl. 14")
    poll = next(r for r in turn.replies if r.room_id == room)
    content = poll.extra["org.matrix.msc3381.poll.start"]
    assert poll.extra["event_type"] == "org.matrix.msc3381.poll.start"
    assert content["kind"] == "org.matrix.msc3381.poll.disclosed"
    assert [a["id"] for a in content["answers"]] == ["t1", "t2", "t3"]
    assert "m.poll" in poll.extra and "1️⃣" in poll.body
    poll_event = chat.event_of(poll)
    await chat.answer_poll(BJORN, room, poll_event, ["t1"])
    await chat.answer_poll(BJORN, room, poll_event, ["t3"])  # the latest answer counts
    await chat.react(CARL, room, poll_event, "3️⃣")
    await chat.react(CARL, room, poll_event, "1️⃣")
    undone = await chat.react(ANNA, room, poll_event, "1️⃣")
    await chat.redact(ANNA, room, undone)
    turn = await chat.say(ANNA, room, "!salon findtid luk")
    end = next(r for r in turn.replies if r.extra.get("event_type") ==
               "org.matrix.msc3381.poll.end")
    assert end.extra["m.relates_to"] == {"rel_type": "m.reference", "event_id": poll_event}
    with chat.db.session() as session:
        [meeting] = session.scalars(select(Meeting)).all()
    assert meeting.starts_at.astimezone(CPH).strftime("%a %H:%M") == "Sun 14:00", \
        "three votes for Sunday (Bjørn's latest, Carl's keycap) beat Friday's one"
    late = await chat.answer_poll(DORTHE, room, poll_event, ["t1"])
    assert late.replies == []


async def test_findtime_ties_go_to_the_earliest(chat: ChatSession) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, "!salon findtid lørdag kl. 10 | fredag kl. 17")
    poll_event = chat.event_of(next(r for r in turn.replies if r.room_id == room))
    await chat.react(BJORN, room, poll_event, "1️⃣")
    await chat.react(CARL, room, poll_event, "2️⃣")
    await chat.say(ANNA, room, "!salon findtid luk")
    with chat.db.session() as session:
        [meeting] = session.scalars(select(Meeting)).all()
    assert meeting.starts_at.astimezone(CPH).strftime("%a %H:%M") == "Fri 17:00"


async def test_findtime_needs_two_to_ten_readable_times(chat: ChatSession) -> None:
    room = await salon(chat)
    assert "mellem 2 og 10" in (await chat.say(ANNA, room, "!salon findtid fredag kl. 17")).text
    assert "Jeg kan ikke læse" in (await chat.say(
        ANNA, room, "!salon findtid fredag kl. 17 | snart")).text
    assert json.loads("[]") == []


async def test_the_whole_flow_on_sqlite_and_postgresql(db_url: str, clock: FixedClock) -> None:
    chat = ChatSession(db_url, chat_config(), clock=clock, registry=build_registry())
    try:
        room = await salon(chat)
        await chat.say(ANNA, room, '!salon planlæg fredag kl. 19 sted "Biblioteket" '
                                   '--capacity 1')
        await chat.react(BJORN, room, announcement_of(chat, 1), "✅")
        assert "nummer 1 på ventelisten" in (await chat.say(CARL, room, "!salon svar ja")).text
        await chat.say(ANNA, room, "!salon flyt 1 lørdag kl. 10")
        clock.advance(days=2, hours=1)  # Friday 10:30 local: the 24-hour reminder is due
        [reminder] = (await chat.run_due()).replies
        assert reminder.mentions == (BJORN,)
        [event] = _ics((await chat.say(BJORN, room, "!salon kalender")).replies[0]).walk(
            "VEVENT")
        assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 7, 9, 0, tzinfo=UTC)
        await chat.say(ANNA, room, "!salon aflys 1")
        assert "ikke planlagt nogen møder" in (await chat.say(CARL, room, "!salon møder")).text
    finally:
        chat.close()


async def test_each_meeting_of_a_series_is_announced_when_the_one_before_has_ended(
        chat: ChatSession) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, "!salon planlæg hver torsdag kl. 19 indtil 19. marts")
    assert [r.body.splitlines()[0] for r in turn.replies if r.watch] == ["Nyt møde: møde 1"]
    replies = (await chat.wait("2d")).replies  # meeting 1 on Thursday ends at 21:00
    assert [r.body.splitlines()[0] for r in replies if r.watch] == ["Nyt møde: møde 2"]
    event = announcement_of(chat, 2)
    await chat.react(BJORN, room, event, "✅")
    assert "• 2. torsdag den 12. marts 2026 kl. 19.00–21.00 · 1 ja" in (
        await chat.say(BJORN, room, "!salon møder")).text


async def test_someone_who_leaves_no_longer_holds_a_place(chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18 --capacity 1")
    await chat.say(BJORN, room, "!salon svar ja")
    await chat.say(CARL, room, "!salon svar ja")
    turn = await chat.say(BJORN, room, "!salon forlad")
    [moved] = [r for r in turn.replies if r.mentions]
    assert moved.mentions == (CARL,)
    assert "1 ja, 0 måske, 0 nej" in (await chat.say(CARL, room, "!salon møder")).text


async def test_a_closed_salon_sends_no_more_reminders(chat: ChatSession) -> None:
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg fredag kl. 19")
    await chat.say(BJORN, room, "!salon svar ja")
    await chat.say(ANNA, room, "!salon luk")
    assert [r for r in (await chat.wait("3d")).replies if "Påmindelse" in r.body] == []
    assert "lukket" in (await chat.say(BJORN, room, "!salon svar nej")).text


async def test_findtime_chooses_among_the_times_still_ahead(chat: ChatSession,
                                                            clock: FixedClock) -> None:
    room = await salon(chat)
    turn = await chat.say(ANNA, room, "!salon findtid i dag kl. 12 | fredag kl. 17")
    poll_event = chat.event_of(next(r for r in turn.replies if r.room_id == room))
    await chat.react(BJORN, room, poll_event, "1️⃣")
    await chat.react(CARL, room, poll_event, "2️⃣")
    clock.advance(hours=3)  # 12:30: the first time has passed
    await chat.say(ANNA, room, "!salon findtid luk")
    with chat.db.session() as session:
        [meeting] = session.scalars(select(Meeting)).all()
    assert meeting.starts_at.astimezone(CPH).strftime("%a %H:%M") == "Fri 17:00"


async def test_a_changed_reminder_setting_leaves_no_old_reminders(tmp_path: Path,
                                                                  clock: FixedClock) -> None:
    chat = start_chat(tmp_path, clock=clock)
    room = await salon(chat)
    await chat.say(ANNA, room, "!salon planlæg fredag kl. 19")
    chat.close()
    config = chat_config().model_copy(update={
        "reminders": chat_config().reminders.model_copy(update={"before": ["2h"]})})
    again = start_chat(tmp_path, config, clock=clock)
    await again.say(ANNA, room, "!salon flyt 1 lørdag kl. 10")
    pending = {key for key, (state, _) in jobs(again).items()
               if state == JobState.PENDING.value and "reminder" in key}
    assert pending == {"meeting.reminder meeting:1:7200"}
    again.close()
