"""Meetings on a real Synapse, as a salon's people see them in their (nio) clients: a time
written in words and spelled back, answers by reaction (✅ ❔ ❌, changed, withdrawn), a
waiting list that moves up, reminders exactly once at their offset (across a restart, moved
by a reschedule, stopped by a cancel), a poll to find a time, and the calendar file,
encrypted, downloaded and read with icalendar. In a Danish salon and an English one.

Expected times are computed here from the clock and ``zoneinfo``, and spelled with the
month and weekday names written out below, not with the bot's own code. Waits are on
conditions with deadlines, never fixed sleeps: that nothing came at a time is shown by what
came after it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4
from zoneinfo import ZoneInfo

import icalendar
from bot_fixtures import *  # noqa: F403
from bot_fixtures import (
    Citizen,
    RunningBot,
    in_reply_to,
    open_salon,
    raw_event,
    room_state,
)
from nio import (
    AsyncClient,
    DownloadResponse,
    RoomMessage,
    RoomRedactResponse,
    RoomSendResponse,
)
from nio.crypto.attachments import decrypt_attachment

ZONE_NAME = "Europe/Copenhagen"
ZONE = ZoneInfo(ZONE_NAME)
POLL_START = "org.matrix.msc3381.poll.start"
POLL_END = "org.matrix.msc3381.poll.end"
TEXT = "org.matrix.msc1767.text"
#: Reminders in seconds, so a test can wait for one (issue 8: "down to seconds").
FAST_REMINDERS = {"reminders": {"before": ["5s"]}}
#: How late a reminder may reach the homeserver on a loaded 2-core machine.
REMINDER_LATENESS_S = 2.0

DA_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
DA_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


# ------------------------------------------------------------------------ helpers


def local_now() -> datetime:
    return datetime.now(ZONE)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """That wall-clock time in the salon's zone (zoneinfo picks the day's offset)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def iso(local: datetime) -> str:
    """What a host types for an exact time: the salon's wall clock, to the second."""
    return local.astimezone(ZONE).strftime("%Y-%m-%d %H:%M:%S")


def da_day(local: datetime) -> str:
    """Babel's full Danish date: ``onsdag den 2. december 2026``."""
    return (f"{DA_WEEKDAYS[local.weekday()]} den {local.day}. {DA_MONTHS[local.month - 1]} "
            f"{local.year}")


def da_read_as(local: datetime) -> str:
    return f"{da_day(local)} kl. {local:%H.%M} ({ZONE_NAME})"


def en_read_as(local: datetime) -> str:
    return (f"{EN_WEEKDAYS[local.weekday()]}, {local.day} {EN_MONTHS[local.month - 1]} "
            f"{local.year} at {local:%H:%M} ({ZONE_NAME})")


def content(event: Any) -> dict[str, Any]:
    """The (decrypted) content of an event as the client has it."""
    return dict(event.source.get("content", {}))


def mentioned(event: Any) -> list[str]:
    return list(content(event).get("m.mentions", {}).get("user_ids", []))


def from_bot(citizen: Citizen, room: str, bot: RunningBot, text: str) -> list[RoomMessage]:
    return [m for m in citizen.messages(room, bot.user_id) if text in m.body]


async def bot_says(citizen: Citizen, room: str, bot: RunningBot, text: str, *,
                   timeout: float = 20) -> RoomMessage:
    """The first message of the bot in ``room`` that holds ``text`` (waiting for it)."""
    await citizen.until(lambda: from_bot(citizen, room, bot, text), timeout=timeout,
                        what=f"message with {text!r}")
    return from_bot(citizen, room, bot, text)[0]


async def replies(citizen: Citizen, room: str, text: str, count: int) -> list[RoomMessage]:
    """Sends a command and waits for ``count`` replies to it (a reply and a room notice)."""
    command = await citizen.say(room, text)
    await citizen.until(lambda: len(citizen.replies_to(command)) >= count,
                        what=f"{count} replies to {text!r}")
    return citizen.replies_to(command)


async def schedule(host: Citizen, salon: str, words: str) -> tuple[RoomMessage, RoomMessage]:
    """``!salon planlæg <words>``: the host's reply and the announcement in the room."""
    reply, announcement = (await replies(host, salon, f"!salon planlæg {words}", 2))[:2]
    return reply, announcement


async def counts(citizen: Citizen, salon: str, verb: str = "møder") -> str:
    return (await citizen.ask(salon, f"!salon {verb}")).body


async def send_encrypted(client: AsyncClient, room_id: str, event_type: str,
                         body: dict[str, Any]) -> str:
    """An event encrypted as Element sends it, also a reaction (nio sends those in clear)."""
    room = client.rooms[room_id]
    if not room.members_synced:
        await client.joined_members(room_id)
    if client.should_query_keys:
        await client.keys_query()
    assert client.olm is not None
    if client.olm.should_share_group_session(room_id):
        await client.share_group_session(room_id, ignore_unverified_devices=True)
    encrypted_type, encrypted = client.encrypt(room_id, event_type, body)
    assert encrypted_type == "m.room.encrypted"
    path = (f"/_matrix/client/v3/rooms/{quote(room_id)}/send/{encrypted_type}/"
            f"{uuid4().hex}")
    response = await client.send("PUT", path, json.dumps(encrypted), headers={
        "Authorization": f"Bearer {client.access_token}", "Content-Type": "application/json"})
    async with response:
        assert response.status == 200, await response.text()
        return str((await response.json())["event_id"])


async def react(citizen: Citizen, room: str, event_id: str, key: str, *,
                encrypted: bool = False) -> str:
    relation = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    if encrypted:
        return await send_encrypted(citizen.client, room, "m.reaction", relation)
    response = await citizen.client.room_send(room, "m.reaction", relation,
                                               ignore_unverified_devices=True)
    assert isinstance(response, RoomSendResponse), response
    return response.event_id


async def redact(citizen: Citizen, room: str, event_id: str) -> str:
    response = await citizen.client.room_redact(room, event_id)
    assert isinstance(response, RoomRedactResponse), response
    return response.event_id


def listed(listing: str) -> list[int]:
    """The numbers of the meetings ``meetings`` lists (lines "• 2. torsdag den ...")."""
    return [int(line[2:].split(".", 1)[0]) for line in listing.splitlines()
            if line.startswith("• ")]


def arrived_at(event: Any) -> datetime:
    return datetime.fromtimestamp(event.server_timestamp / 1000, UTC)


# -------------------------------------------------------------------------- tests


async def test_a_danish_host_plans_in_words_and_people_answer_with_reactions(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, title="Legepladsen")
    state = await room_state(host.client, salon)
    assert state[("m.room.encryption", "")]["content"]["algorithm"] == "m.megolm.v1.aes-sha2"

    before = local_now().date()
    reply, announcement = await schedule(host, salon, 'i morgen kl. 18 sted "Biblioteket"')
    tomorrows = {d + timedelta(days=1) for d in (before, local_now().date())}  # midnight
    assert reply.decrypted and announcement.decrypted
    assert reply.body.startswith("Planlagt: møde 1."), reply.body
    assert any(f"Jeg forstod »i morgen kl. 18« som {da_read_as(at(day, 18))}." in reply.body
               for day in tomorrows), reply.body
    assert "!salon flyt 1" in reply.body
    [tomorrow] = [d for d in tomorrows if da_day(at(d, 18)) in announcement.body]
    assert announcement.body.splitlines()[:3] == [
        "Nyt møde: møde 1",
        f"{da_day(at(tomorrow, 18))} kl. 18.00–20.00 ({ZONE_NAME})",
        "Sted: Biblioteket",
    ], announcement.body
    assert "✅ (ja), ❔ (måske) eller ❌ (nej)" in announcement.body
    raw = await raw_event(host.client, salon, announcement.event_id)
    assert raw["type"] == "m.room.encrypted" and "body" not in raw["content"]
    await neighbour.until(lambda: from_bot(neighbour, salon, bot, "Nyt møde: møde 1"),
                          what="the announcement, for the neighbour")

    # A ✅ on some other message (the bot's reply to the host) answers nothing.
    await react(neighbour, salon, reply.event_id, "✅")
    assert "0 ja, 0 måske, 0 nej" in await counts(host, salon)

    yes = await react(neighbour, salon, announcement.event_id, "✅")
    assert "1 ja, 0 måske, 0 nej" in await counts(host, salon)

    # A new reaction changes the answer (the last one counts); this one encrypted, as
    # Element sends reactions in an encrypted room.
    no = await react(neighbour, salon, announcement.event_id, "❌", encrypted=True)
    assert "0 ja, 0 måske, 1 nej" in await counts(host, salon)

    # Taking back the earlier ✅ does not touch the answer the ❌ gave...
    await redact(neighbour, salon, yes)
    assert "0 ja, 0 måske, 1 nej" in await counts(host, salon)
    # ...taking back the ❌ withdraws it.
    await redact(neighbour, salon, no)
    listing = await counts(neighbour, salon)
    assert "0 ja, 0 måske, 0 nej" in listing, listing
    assert f"1. {da_day(at(tomorrow, 18))} kl. 18.00–20.00 · Sted: Biblioteket" in listing


async def test_a_full_meeting_keeps_a_waiting_list_that_moves_up_with_a_notice(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    first: Citizen = await make_citizen("first")
    second: Citizen = await make_citizen("second")
    third: Citizen = await make_citizen("third")
    salon = await open_salon(bot, host, first, second, third, title="Rundvisning")

    _, announcement = await schedule(host, salon, 'i overmorgen kl. 10 : "Rådhuset" '
                                                  "--capacity 1")
    assert "Der er plads til 1 person; derefter kommer man på venteliste." in \
        announcement.body
    await first.until(lambda: from_bot(first, salon, bot, "Nyt møde: møde 1"),
                      what="the announcement")
    place = await react(first, salon, announcement.event_id, "✅")

    waiting = await second.ask(salon, "!salon svar ja 1")
    assert waiting.body == ("Der er fuldt til møde 1 »Rådhuset«, så du er nummer 1 på "
                            "ventelisten. Jeg siger til, når der bliver en plads ledig."), \
        waiting.body
    # A ✅ when it is full puts the third on the list too; a reaction has no reply, so they
    # are told in a direct chat.
    await third.until(lambda: from_bot(third, salon, bot, "Nyt møde: møde 1"),
                      what="the announcement")
    await react(third, salon, announcement.event_id, "✅", encrypted=True)
    chat = await third.accept_invite()
    told = await bot_says(third, chat, bot, "ventelisten")
    assert told.body.startswith("Der er fuldt til møde 1 »Rådhuset«, så du er nummer 2 på "
                                "ventelisten."), told.body
    listing = await counts(host, salon)
    assert "1 ja, 0 måske, 0 nej · 0 af 1 pladser ledige · 2 på ventelisten" in listing, \
        listing

    # The one with the place takes back their ✅: the place goes to the first on the list
    # (the second), in the room.
    await redact(first, salon, place)
    moved_up = await bot_says(second, salon, bot, "Der er blevet en plads ledig")
    assert moved_up.body.startswith(
        f"Der er blevet en plads ledig til møde 1 »Rådhuset«: {second.user_id}, den er din "
        "nu."), moved_up.body
    assert mentioned(moved_up) == [second.user_id]
    assert (await raw_event(second.client, salon, moved_up.event_id))["type"] == \
        "m.room.encrypted"
    listing = await counts(host, salon)
    assert "1 ja, 0 måske, 0 nej · 0 af 1 pladser ledige · 1 på ventelisten" in listing, \
        listing
    confirmed = await second.ask(salon, "!salon svar ja 1")
    assert confirmed.body.startswith("Noteret: du kommer til møde 1 »Rådhuset«"), \
        confirmed.body

    # The second says no after all (a command): the place goes on to the third.
    declined, moved_on = await replies(second, salon, "!salon svar nej 1", 2)
    assert declined.body == "Noteret: du kommer ikke til møde 1 »Rådhuset«."
    assert moved_on.body.startswith(f"Der er blevet en plads ledig til møde 1 »Rådhuset«: "
                                    f"{third.user_id}, den er din nu."), moved_on.body
    assert mentioned(moved_on) == [third.user_id]
    listing = await counts(host, salon)
    assert "1 ja, 0 måske, 1 nej · 0 af 1 pladser ledige" in listing, listing
    assert "ventelisten" not in listing


async def test_reminders_arrive_once_at_their_offset_moved_by_a_reschedule_stopped_by_a_cancel(
        make_bot, make_citizen) -> None:
    bot = await make_bot(sections=FAST_REMINDERS)
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, title="Påmindelser")

    # Three meetings at the same time, 20 s ahead (an ISO time in the salon's wall clock).
    start = (local_now() + timedelta(seconds=20)).replace(microsecond=0)
    for n in (1, 2, 3):
        reply, _ = await schedule(host, salon, f"{iso(start)} --for 5m")
        assert reply.body.startswith(f"Planlagt: møde {n}."), reply.body
        assert f"som {da_read_as(start)}." in reply.body, reply.body
        said = await neighbour.ask(salon, f"!salon svar ja {n}")
        assert said.body.startswith(f"Noteret: du kommer til møde {n}"), said.body

    # Meeting 2 moves 10 s later, meeting 3 is cancelled; the neighbour is told of both.
    moved_to = start + timedelta(seconds=10)
    reply, notice = await replies(host, salon, f"!salon flyt 2 {iso(moved_to)}", 2)
    assert reply.body.startswith("Jeg har flyttet møde 2."), reply.body
    assert notice.body.startswith("Flyttet: møde 2"), notice.body
    assert f"Til: {neighbour.user_id}" in notice.body
    assert mentioned(notice) == [neighbour.user_id]
    reply, notice = await replies(host, salon, "!salon aflys 3", 2)
    assert reply.body == "Jeg har aflyst 1 møde."
    assert notice.body.startswith("Aflyst: møde 3"), notice.body
    assert mentioned(notice) == [neighbour.user_id]

    # An operator's restart between scheduling and the reminders.
    assert await bot.stop() == 0
    await bot.start()
    assert datetime.now(UTC) < start - timedelta(seconds=5), "the set-up took too long"

    def reminders(n: int) -> list[RoomMessage]:
        return from_bot(neighbour, salon, bot, f"⏰ Påmindelse: møde {n} ")

    await neighbour.until(lambda: reminders(1), timeout=30, what="the reminder of meeting 1")
    [first] = reminders(1)
    lateness = (arrived_at(first) - (start - timedelta(seconds=5))).total_seconds()
    print(f"\nreminder (after a restart) lateness: {lateness * 1000:.0f} ms")
    assert -0.05 <= lateness < REMINDER_LATENESS_S, lateness
    assert first.body.startswith("⏰ Påmindelse: møde 1 begynder om 5 sekunder."), first.body
    assert f"Vi ses: {neighbour.user_id}" in first.body
    assert mentioned(first) == [neighbour.user_id]
    assert in_reply_to(first) is None, "a reminder is a message of its own"
    assert (await raw_event(neighbour.client, salon, first.event_id))["type"] == \
        "m.room.encrypted"

    await neighbour.until(lambda: reminders(2), timeout=30, what="the moved reminder")
    [moved] = reminders(2)
    lateness = (arrived_at(moved) - (moved_to - timedelta(seconds=5))).total_seconds()
    print(f"rescheduled reminder lateness: {lateness * 1000:.0f} ms")
    assert -0.05 <= lateness < REMINDER_LATENESS_S, "sent at the new time, not the old"
    assert mentioned(moved) == [neighbour.user_id]

    # Everything the bot had to send has been sent once this is answered.
    listing = await counts(neighbour, salon)
    assert listed(listing) == [1, 2], listing
    assert len(reminders(1)) == 1 and len(reminders(2)) == 1, "each reminder once"
    assert reminders(3) == [], "a cancelled meeting is not reminded of"


async def test_a_poll_finds_the_time_most_people_can_attend_and_plans_it(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    friend: Citizen = await make_citizen("friend")
    salon = await open_salon(bot, host, neighbour, friend, title="Hvornår")

    today = local_now().date()
    t1, t2 = at(today + timedelta(days=1), 17), at(today + timedelta(days=2), 19)
    reply = await host.ask(salon, f"!salon findtid {iso(t1)} | i overmorgen kl. 19")
    assert reply.body.startswith("Afstemningen er lagt i rummet."), reply.body

    await host.until(lambda: host.events(salon, POLL_START, bot.user_id), what="the poll")
    [poll] = host.events(salon, POLL_START, bot.user_id)
    poll_id = poll.event_id
    raw = await raw_event(host.client, salon, poll_id)
    assert raw["type"] == "m.room.encrypted", "the poll is encrypted in an encrypted room"
    body = content(poll)
    start = body[POLL_START]
    question = "Hvornår kan du komme? Vælg det tidspunkt, der passer dig bedst."
    assert start["question"][TEXT] == question
    assert start["kind"] == "org.matrix.msc3381.poll.disclosed"
    assert start["max_selections"] == 1
    answers = start["answers"]
    assert [a["id"] for a in answers] == ["t1", "t2"]
    assert all(isinstance(a[TEXT], str) and a[TEXT] for a in answers)
    for answer, when in zip(answers, (t1, t2), strict=True):  # "3. dec. 2026 kl. 19.00"
        assert answer[TEXT].startswith(f"{when.day}. "), answers
        assert answer[TEXT].endswith(f"{when.year} kl. {when:%H.%M}"), answers
    fallback = body[TEXT].splitlines()
    assert fallback == [question, f"1️⃣ {answers[0][TEXT]}", f"2️⃣ {answers[1][TEXT]}"]
    stable = body["m.poll"]
    assert stable["kind"] == "m.disclosed" and stable["max_selections"] == 1
    assert stable["question"]["m.text"][0]["body"] == question
    assert [(a["m.id"], a["m.text"][0]["body"]) for a in stable["answers"]] == [
        (a["id"], a[TEXT]) for a in answers]
    assert body["m.text"][0]["body"] == body[TEXT]

    def response(choice: str) -> dict[str, Any]:
        return {"m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
                "org.matrix.msc3381.poll.response": {"answers": [choice]},
                "m.selections": [choice]}

    # The host answers t1 (the stable event type); the neighbour t1, then changes to t2 (the
    # type Element sends; the latest answer counts); the friend reacts 2️⃣ to the poll.
    # Were both of the neighbour's answers counted, t1 would tie and win as the earlier.
    for citizen, event_type, choice in (
            (host, "m.poll.response", "t1"),
            (neighbour, "org.matrix.msc3381.poll.response", "t1"),
            (neighbour, "org.matrix.msc3381.poll.response", "t2")):
        sent = await citizen.client.room_send(salon, event_type, response(choice),
                                              ignore_unverified_devices=True)
        assert isinstance(sent, RoomSendResponse), sent
    await react(friend, salon, poll_id, "2️⃣")

    closed = await replies(host, salon, "!salon findtid luk", 2)
    assert closed[0].body == "Afstemningen er lukket, og jeg har planlagt møde 1.", \
        closed[0].body
    await host.until(lambda: host.events(salon, POLL_END, bot.user_id), what="the poll's end")
    [end] = host.events(salon, POLL_END, bot.user_id)
    end_body = content(end)
    assert end_body["m.relates_to"] == {"rel_type": "m.reference", "event_id": poll_id}
    assert POLL_END in end_body and "m.poll.end" in end_body
    text = end_body[TEXT]
    assert text.startswith(f"Afstemningen er lukket. Flest kan komme {answers[1][TEXT]} (2), "
                           "så det bliver møde 1."), text
    assert f"{answers[0][TEXT]}: 1, {answers[1][TEXT]}: 2" in text, text

    announcement = await bot_says(neighbour, salon, bot, "Nyt møde: møde 1")
    assert f"{da_day(t2)} kl. 19.00–21.00" in announcement.body, announcement.body
    # A poll answer after the end changes nothing: there is no open poll any more.
    late = await neighbour.client.room_send(salon, "org.matrix.msc3381.poll.response",
                                            response("t1"), ignore_unverified_devices=True)
    assert isinstance(late, RoomSendResponse), late
    listing = await counts(host, salon)
    assert listed(listing) == [1] and f"1. {da_day(t2)} kl. 19.00–21.00" in listing, listing
    again = await host.ask(salon, "!salon findtid luk")
    assert again.body.startswith("Der er ingen åben afstemning om tidspunkt her."), again.body


async def test_the_calendar_file_is_encrypted_and_follows_a_reschedule_and_a_cancel(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, title="Cykelstien")

    # A summer evening, written in December: the zone's summer offset, not today's.
    summer = date(local_now().year + 1, 6, 10)
    first = at(summer, 19, 30)
    await schedule(host, salon, f'{iso(first)} sted "Biblioteket"')

    async def calendar() -> icalendar.Event:
        reply = await neighbour.ask(salon, "!salon kalender")
        file = content(reply)
        assert file["msgtype"] == "m.file" and file["filename"].endswith(".ics"), file
        assert "url" not in file, "an encrypted room gets an encrypted file"
        encrypted = file["file"]
        assert encrypted["url"].startswith("mxc://")
        raw = await raw_event(neighbour.client, salon, reply.event_id)
        assert raw["type"] == "m.room.encrypted"
        downloaded = await neighbour.client.download(encrypted["url"])
        assert isinstance(downloaded, DownloadResponse), downloaded
        assert b"BEGIN:VCALENDAR" not in downloaded.body, "the server has only ciphertext"
        data = decrypt_attachment(downloaded.body, encrypted["key"]["k"],
                                  encrypted["hashes"]["sha256"], encrypted["iv"])
        parsed = icalendar.Calendar.from_ical(data)
        [event] = parsed.walk("VEVENT")
        return event

    def utc(event: icalendar.Event, name: str) -> datetime:
        return event.decoded(name).astimezone(UTC)

    event = await calendar()
    uid = str(event["UID"])
    assert int(event["SEQUENCE"]) == 0
    assert utc(event, "DTSTART") == datetime(summer.year, 6, 10, 17, 30, tzinfo=UTC)
    assert utc(event, "DTEND") == datetime(summer.year, 6, 10, 19, 30, tzinfo=UTC)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Cykelstien" in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "Biblioteket"
    assert f"https://matrix.to/#/{salon}" in str(event["DESCRIPTION"]), event["DESCRIPTION"]

    # Moved to a winter evening (UTC+1).
    winter = date(local_now().year + 1, 1, 14)
    await replies(host, salon, f"!salon flyt 1 {iso(at(winter, 18))}", 1)
    event = await calendar()
    assert str(event["UID"]) == uid, "one event for the meeting's whole life"
    assert int(event["SEQUENCE"]) == 1
    assert utc(event, "DTSTART") == datetime(winter.year, 1, 14, 17, 0, tzinfo=UTC)
    assert str(event["STATUS"]) == "CONFIRMED"

    await replies(host, salon, "!salon aflys 1", 1)
    event = await calendar()
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"


async def test_an_english_salon_reads_next_tuesday_7pm_and_answers_in_english(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, title="Bike lanes")
    switched = await host.ask(salon, "!salon language en --room")
    assert switched.body.startswith("This salon now speaks English."), switched.body

    today = local_now().date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # strictly after today
    command = '!salon schedule next Tuesday 7pm at "Town hall" : "Where the lanes go"'
    reply, announcement = (await replies(host, salon, command, 2))[:2]
    assert reply.body == (
        "Planned: meeting 1 “Where the lanes go”.\n"
        f"I read “next Tuesday 7pm” as {en_read_as(at(tuesday, 19))}. If that is wrong, "
        "write !salon reschedule 1 and the right time."), reply.body
    assert announcement.body.startswith("New meeting: meeting 1 “Where the lanes go”"), \
        announcement.body
    assert "Place: Town hall" in announcement.body
    assert "React to this message with ✅ (yes), ❔ (maybe) or ❌ (no)" in announcement.body

    await neighbour.until(lambda: from_bot(neighbour, salon, bot, "New meeting: meeting 1"),
                          what="the announcement")
    await react(neighbour, salon, announcement.event_id, "✅", encrypted=True)
    assert "1 yes, 0 maybe, 0 no" in await counts(host, salon, "meetings")
    maybe = await neighbour.ask(salon, "!salon rsvp maybe 1")
    assert maybe.body == "Noted: maybe you come to meeting 1 “Where the lanes go”."
    assert "0 yes, 1 maybe, 0 no" in await counts(host, salon, "meetings")
    info = (await host.ask(salon, "!salon info")).body
    [line] = [x for x in info.splitlines() if x.startswith("Next meeting: ")]
    assert line.startswith("Next meeting: meeting 1 “Where the lanes go”, Tuesday"), line
    assert line.endswith(" · 0 yes, 1 maybe, 0 no"), line

    wednesday = tuesday + timedelta(days=1)
    reply, notice = await replies(host, salon, f"!salon reschedule 1 {wednesday.day} "
                                               f"{EN_MONTHS[wednesday.month - 1]} 18:30", 2)
    assert reply.body.startswith("Moved meeting 1 “Where the lanes go”. I read"), reply.body
    assert en_read_as(at(wednesday, 18, 30)) in reply.body, reply.body
    assert notice.body.startswith("Moved: meeting 1 “Where the lanes go”"), notice.body
    assert f"For: {neighbour.user_id}" in notice.body, "maybe counts for being told"
    assert mentioned(notice) == [neighbour.user_id]


async def test_a_notice_caused_by_a_redaction_is_not_a_reply_to_the_redaction(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, title="Svar")
    _, announcement = await schedule(host, salon, "i morgen kl. 18 --capacity 1")
    place = await react(host, salon, announcement.event_id, "✅")
    await neighbour.ask(salon, "!salon svar ja 1")
    redaction = await redact(host, salon, place)
    moved_up = await bot_says(neighbour, salon, bot, "Der er blevet en plads ledig")
    assert in_reply_to(moved_up) not in (redaction, place)
    assert in_reply_to(moved_up) is None, "a notice of its own, like a reminder"


async def test_an_english_announcement_writes_the_time_as_the_reading_was_spelled(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    salon = await open_salon(bot, host, title="Clock")
    await host.ask(salon, "!salon language en --room")
    day = local_now().date() + timedelta(days=3)
    reply, announcement = (await replies(host, salon, f"!salon schedule {iso(at(day, 19))}",
                                         2))[:2]
    assert en_read_as(at(day, 19)) in reply.body, reply.body
    when = (f"{EN_WEEKDAYS[day.weekday()]}, {day.day} {EN_MONTHS[day.month - 1]} {day.year}, "
            "19:00–21:00")
    assert announcement.body.splitlines()[1] == f"{when} ({ZONE_NAME})", announcement.body
