"""Outcomes and the staff room through the real handlers and router (``ChatSession``): a host
sends an outcome, the staff room gets it at once, staff answer and set its status, and the
answer arrives in the salon as a reply to the announcement, in the salon's language, by role;
the overdue reminder once per period; ``outcomes``, ``salons``, ``digest`` and ``info``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, chat_config_with, open_salon, start_chat
from chat_helpers import make_staff_room as staff_room_of
from sqlalchemy import select

from bot.chat import ChatSession
from bot.clock import FixedClock
from bot.db import ExportRecord, JobState, Outcome, ScheduledJob
from bot.replies import Reply
from handlers import build_registry

STAFF = CARL
#: The staff room's id in these tests (a room of the terminal's, made by ``staff_room``).
STAFF_ONLY = "Kun kommunens medarbejdere kan bruge »{verb}«."
STAFF_ROOM_ONLY = "»{verb}« virker kun i kommunens medarbejderrum."


def config(**bot: object) -> object:
    return chat_config_with(bot={"staff": [STAFF], **bot})


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def chat(tmp_path: Path, clock: FixedClock) -> Iterator[ChatSession]:
    session = start_chat(tmp_path, config(), clock=clock)
    yield session
    session.close()


async def make_staff_room(chat: ChatSession) -> str:
    """The staff room, shared by the staff member and a citizen who wandered in."""
    return await staff_room_of(chat, STAFF, DORTHE)


@pytest.fixture
def both(db_url: str, clock: FixedClock) -> Iterator[ChatSession]:
    """The chat on SQLite and on PostgreSQL, for the tests whose queries differ most."""
    session = ChatSession(db_url, config(), clock=clock, registry=build_registry())
    yield session
    session.close()


@pytest.fixture
async def staff_room(chat: ChatSession) -> str:
    return await make_staff_room(chat)


async def reply_of(chat: ChatSession, user: str, room: str, text: str) -> Reply:
    """The one reply in the room the command was typed in."""
    turn = await chat.say(user, room, text)
    here = [r for r in turn.replies if r.room_id in (None, room)]
    assert len(here) == 1, [r.body for r in turn.replies]
    return here[0]


def in_room(replies: list[Reply], room: str) -> list[Reply]:
    return [r for r in replies if r.room_id == room]


def outcomes(chat: ChatSession) -> list[Outcome]:
    with chat.db.session() as session:
        found = list(session.scalars(select(Outcome).order_by(Outcome.id)))
        for outcome in found:
            _ = outcome.events
        session.expunge_all()
        return found


def overdue_jobs(chat: ChatSession) -> dict[str, str]:
    with chat.db.session() as session:
        return {job.key: job.state for job in session.scalars(
            select(ScheduledJob).where(ScheduledJob.kind == "outcome.overdue"))}


# ------------------------------------------------------------------ the whole flow


async def test_an_outcome_reaches_the_staff_and_the_answer_comes_back_into_the_salon(
        db_url: str) -> None:
    chat = ChatSession(db_url, config(), clock=FixedClock(NOW), registry=build_registry())
    try:
        staff = await make_staff_room(chat)
        room = await open_salon(chat, guests=(BJORN,))
        turn = await chat.say(ANNA, room, '!salon resultat "Bænke ved søen, så ældre kan '
                                          'hvile sig" --kind anbefaling')
        announcement, posted = turn.replies
        assert announcement.room_id is None and announcement.watch == "outcome:1:salon"
        assert announcement.body.splitlines() == [
            "Resultat U-1 (anbefaling) til kommunen:",
            "Bænke ved søen, så ældre kan hvile sig",
            "Det er sendt til kommunens medarbejdere. Deres svar kommer her, som svar på denne "
            "besked.",
            "Alle kan følge det med !salon info.",
        ]
        assert posted.room_id == staff and posted.watch == "outcome:1:staff"
        lines = posted.body.splitlines()
        assert lines[0] == "Nyt resultat U-1 fra #1 »Ny legeplads«"
        assert lines[1].startswith("Salonens rum: Ny legeplads (chat://room/")
        assert lines[2:6] == ["Slags: anbefaling",
                              "Tekst: Bænke ved søen, så ældre kan hvile sig",
                              "Status: sendt, venter på kommunen.",
                              "Svar venligst senest 19. marts 2026 (inden for 14 dage)."]
        assert '!salon besvar U-1 "jeres svar"' in lines[6]
        assert "!salon status U-1 i-gang" in lines[6]

        turn = await chat.say(STAFF, staff, '!salon status U-1 modtaget')
        confirm, notice = turn.replies
        assert confirm.body == "U-1 er nu »modtaget af kommunen«; jeg har fortalt det i " \
                               "#1 »Ny legeplads«."
        assert notice.room_id == room
        assert notice.in_reply_to == chat.event_of(announcement), "a reply to the announcement"
        assert notice.body.splitlines() == [
            "Nyt fra kommunen om U-1 (anbefaling: »Bænke ved søen, så ældre kan hvile sig«): "
            "det er nu modtaget af kommunen.",
            "Sat af en medarbejder i kommunen.",
        ]

        turn = await chat.say(STAFF, staff, '!salon besvar u1 "Vi sætter to bænke op i maj."')
        confirm, answer = turn.replies
        assert confirm.body == "Dit svar på U-1 er gemt og sendt i #1 »Ny legeplads«."
        assert answer.room_id == room and answer.in_reply_to == chat.event_of(announcement)
        assert answer.body.splitlines() == [
            "Kommunen har svaret på U-1 (anbefaling: »Bænke ved søen, så ældre kan hvile sig«):",
            "Vi sætter to bænke op i maj.",
            "Svaret er givet af en medarbejder i kommunen.",
        ]
        assert STAFF not in answer.body, "staff are shown by role without consent named"

        info = (await chat.say(BJORN, room, "!salon info")).text
        assert "Resultater til kommunen:\n• U-1 (anbefaling): besvaret den 5. marts 2026 · " \
               "Bænke ved søen" in info

        [outcome] = outcomes(chat)
        assert (outcome.status, outcome.answer, outcome.created_by) == (
            "answered", "Vi sætter to bænke op i maj.", ANNA)
        assert outcome.answered_at == NOW
        assert [(e.action, e.status, e.by_user, e.by_role) for e in outcome.events] == [
            ("submitted", "submitted", ANNA, "host"), ("status", "received", STAFF, "staff"),
            ("answer", "answered", STAFF, "staff")]
        assert overdue_jobs(chat) == {"outcome:1:1": JobState.CANCELLED.value}, \
            "an answered outcome is not raised again"
    finally:
        chat.close()


async def test_a_second_answer_replaces_the_first_and_the_history_keeps_both(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Flere skraldespande"')
    await chat.say(STAFF, staff_room, '!salon besvar U-1 "Ja, i juni."')
    turn = await chat.say(STAFF, staff_room, '!salon besvar U-1 "Ja, allerede i maj."')
    confirm, answer = turn.replies
    assert confirm.body.splitlines()[1] == "Det erstatter det tidligere svar; historikken " \
                                           "gemmer begge."
    assert answer.body.startswith("Kommunen har ændret sit svar på U-1 (forslag: »Flere "
                                  "skraldespande«):\nJa, allerede i maj.")
    [outcome] = outcomes(chat)
    assert outcome.answer == "Ja, allerede i maj."
    assert [e.text for e in outcome.events if e.action == "answer"] == [
        "Ja, i juni.", "Ja, allerede i maj."]


async def test_staff_who_chose_to_be_named_are_named_in_the_salon(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat, guests=(STAFF,))
    await chat.say(STAFF, room, "!salon samtykke navn")
    await chat.say(ANNA, room, '!salon resultat "Lys på stien"')
    turn = await chat.say(STAFF, staff_room, '!salon besvar 1 "Det kommer til efteråret."')
    assert turn.replies[1].body.endswith(f"Svaret er givet af {STAFF}, medarbejder i kommunen.")


async def test_a_closed_salons_outcome_can_still_be_answered(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Byt asfalten ud med græs"')
    await chat.say(ANNA, room, "!salon luk")
    turn = await chat.say(STAFF, staff_room, '!salon besvar #1 "Vi ser på det i budgettet."')
    confirm, answer = turn.replies[0], in_room(turn.replies, room)[0]
    assert "Salonen er lukket, men dens rum får stadig svaret." in confirm.body
    assert answer.body.startswith("Kommunen har svaret på U-1")
    refused = (await chat.say(ANNA, room, '!salon resultat "Endnu et"')).text
    assert refused.startswith("Salonen blev lukket den 5. marts 2026, så »resultat« virker "
                              "ikke længere her.")


async def test_without_a_staff_room_the_outcome_is_stored_and_the_host_told_plainly(
        chat: ChatSession) -> None:
    room = await open_salon(chat)
    turn = await chat.say(ANNA, room, '!salon resultat "Cykelstativer ved skolen"')
    [announcement] = turn.replies
    assert "kommunen har ikke sat et medarbejderrum op hos mig, så ingen der har fået det at " \
           "vide endnu. Medarbejderne ser det, når de eksporterer salonernes data." \
           in announcement.body
    [outcome] = outcomes(chat)
    assert outcome.text == "Cykelstativer ved skolen" and outcome.status == "submitted"


# ------------------------------------------------------------------ from an item, validation


async def test_an_outcome_from_an_item_takes_its_text_and_a_fitting_kind(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, "!salon samtykke ja")
    await chat.say(ANNA, room, "!salon idé en bogbytte-reol i hallen")
    await chat.say(ANNA, room, "!salon spørgsmål hvem ejer grunden")
    await chat.say(ANNA, room, "!salon forslag en ny sti langs åen")
    for ref, kind in (("1", "anbefaling"), ("#2", "spørgsmål"), ("3", "forslag")):
        announcement = (await chat.say(ANNA, room, f"!salon resultat --from {ref}")).replies[0]
        assert f"({kind}) til kommunen:" in announcement.body
        assert f"Fra punkt {ref.lstrip('#')} i referatet." in announcement.body
    overridden = (await chat.say(ANNA, room, "!salon resultat --from 1 --kind question"))
    assert "(spørgsmål) til kommunen:\nen bogbytte-reol i hallen" in overridden.replies[0].body
    found = outcomes(chat)
    assert [(o.kind, o.text) for o in found] == [
        ("recommendation", "en bogbytte-reol i hallen"), ("question", "hvem ejer grunden"),
        ("proposal", "en ny sti langs åen"), ("question", "en bogbytte-reol i hallen")]
    assert all(o.item_id is not None for o in found)


@pytest.mark.parametrize(("text", "expected"), [
    ("!salon resultat", "Skriv, hvad salonen vil sige til kommunen, i anførselstegn"),
    ('!salon resultat ""', "Skriv, hvad salonen vil sige til kommunen"),
    ("!salon resultat " + "x" * 2001, "Et resultat må højst være 2000 tegn langt; dette har "
                                      "2001."),
    ('!salon resultat "Bænke" --kind ønske', "»ønske« er ikke en slags resultat. Vælg forslag, "
                                             "anbefaling, spørgsmål."),
    ("!salon resultat --from 7", "Der er intet punkt 7 i denne salon. !salon punkter viser "
                                 "punkterne"),
    ("!salon resultat --from syv", "Der er intet punkt syv i denne salon."),
])
async def test_an_outcome_that_cannot_be_kept_as_written_is_refused_with_how_to(
        chat: ChatSession, staff_room: str, text: str, expected: str) -> None:
    room = await open_salon(chat)
    answer = (await chat.say(ANNA, room, text)).text
    assert expected in answer, answer
    assert "Brug: !salon resultat" in answer, "the usage follows"
    assert outcomes(chat) == [] and overdue_jobs(chat) == {}, "nothing is stored"


async def test_only_hosts_send_outcomes(chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    answer = (await chat.say(BJORN, room, '!salon resultat "Mit eget"')).text
    assert answer == f"Kun salonens værter kan bruge »resultat«: {ANNA}."
    assert outcomes(chat) == []


# ------------------------------------------------------------------ the staff room's rules


@pytest.mark.parametrize(("command", "verb"), [
    ('besvar U-1 "svar"', "besvar"), ("status U-1 afvist \"nej\"", "status"),
    ("resultater", "resultater"), ("saloner", "saloner"), ("overblik", "overblik"),
])
async def test_staff_commands_are_for_staff_and_only_in_the_staff_room(
        chat: ChatSession, staff_room: str, command: str, verb: str) -> None:
    room = await open_salon(chat, guests=(STAFF,))
    await chat.say(ANNA, room, '!salon resultat "Bænke"')
    assert (await chat.say(DORTHE, staff_room, f"!salon {command}")).text == \
        STAFF_ONLY.format(verb=verb), "a citizen in the staff room"
    assert (await chat.say(STAFF, room, f"!salon {command}")).text == \
        STAFF_ROOM_ONLY.format(verb=verb), "staff in a salon"
    assert (await chat.say(STAFF, chat.direct_room(STAFF), f"!salon {command}")).text == \
        STAFF_ROOM_ONLY.format(verb=verb), "staff in a direct chat"
    [outcome] = outcomes(chat)
    assert outcome.status == "submitted" and len(outcome.events) == 1, "nothing changed"


@pytest.mark.parametrize("ref", ["U-1", "u-1", "u1", "1", "#1", "U 1"])
async def test_staff_name_an_outcome_as_they_type_it(
        chat: ChatSession, staff_room: str, ref: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Bænke"')
    answer = (await chat.say(STAFF, staff_room, f"!salon status {ref} i gang")).text
    assert answer.startswith("U-1 er nu »under behandling«")


async def test_an_unknown_outcome_is_refused_with_where_to_find_them(
        chat: ChatSession, staff_room: str) -> None:
    assert (await chat.say(STAFF, staff_room, '!salon besvar U-9 "svar"')).text == (
        "Jeg kan ikke finde et resultat »U-9«. Resultater skrives som U-12; !salon resultater "
        "alle viser dem.")
    assert (await chat.say(STAFF, staff_room, "!salon besvar")).text.startswith(
        "Skriv, hvilket resultat du mener, fx U-12. !salon resultater viser de åbne.")


async def test_status_rules_declined_needs_a_reason_and_nothing_is_stored_twice(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Hundeskov i parken"')

    async def staff(text: str) -> str:
        return (await chat.say(STAFF, staff_room, text)).text

    assert (await staff("!salon status U-1 afvist")).startswith(
        "Skriv, hvorfor det er afvist, i anførselstegn efter status")
    assert (await staff("!salon status U-1 besvaret")).startswith(
        "Der er ikke noget svar på U-1 endnu. Skriv det med !salon besvar U-1 \"svaret\"")
    assert (await staff("!salon status U-1 glemt")).startswith(
        "»glemt« er ikke en status, jeg kender. Vælg modtaget, i-gang, besvaret, afvist.")
    assert (await staff("!salon status U-1")).startswith(
        "Skriv den nye status efter resultatet: modtaget, i-gang, besvaret, afvist.")
    assert (await staff("!salon status U-1 under-behandling")).startswith("U-1 er nu")
    assert await staff("!salon status U-1 i-gang") == (
        "U-1 er allerede »under behandling«. Jeg har ikke ændret noget.")
    turn = await chat.say(STAFF, staff_room,
                          '!salon status U-1 afvist "Parken er fredet; prøv ved skolen"')
    [notice] = in_room(turn.replies, room)
    assert notice.body.splitlines()[1:] == ["Begrundelse: Parken er fredet; prøv ved skolen",
                                            "Sat af en medarbejder i kommunen."]
    [outcome] = outcomes(chat)
    assert [(e.action, e.status, e.text) for e in outcome.events] == [
        ("submitted", "submitted", None), ("status", "in-progress", None),
        ("status", "declined", "Parken er fredet; prøv ved skolen")]
    assert outcome.status == "declined" and outcome.is_settled
    # Answered with a reason only (the answer was given elsewhere, say by letter).
    await chat.say(ANNA, room, '!salon resultat "Bump på vejen"')
    assert (await staff('!salon status U-2 besvaret "Besvaret i brev af 1. marts"')
            ).startswith("U-2 er nu »besvaret«")


# ------------------------------------------------------------------ overdue


async def test_an_unanswered_outcome_is_raised_once_per_period_also_after_a_restart(
        db_url: str, clock: FixedClock) -> None:
    chat = ChatSession(db_url, config(), clock=clock, registry=build_registry())
    staff_room = await make_staff_room(chat)
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Bænke ved søen"')
    assert overdue_jobs(chat) == {"outcome:1:1": "pending"}

    assert (await chat.wait("13d")).replies == [], "nothing before the answer is due"
    turn = await chat.wait("1d")
    [raised] = turn.replies
    assert raised.room_id == staff_room
    assert raised.body.splitlines()[:3] == [
        "⏰ U-1 fra #1 »Ny legeplads« er stadig ikke besvaret efter 14 dage.",
        "Status: sendt, venter på kommunen.",
        "Forslag: Bænke ved søen",
    ]
    assert '!salon besvar U-1 "jeres svar"' in raised.body
    assert overdue_jobs(chat) == {"outcome:1:1": "done", "outcome:1:2": "pending"}
    assert "14 dage gammelt, svarfristen er i dag" in (
        await chat.say(STAFF, staff_room, "!salon resultater")).text

    # The bot restarts: a new session on the same database runs what is due, and nothing is.
    chat.close()
    chat = ChatSession(db_url, config(), clock=clock, registry=build_registry())
    chat.router.staff_room_id = staff_room
    assert (await chat.run_due()).replies == [], "the reminder of this period is not sent again"
    assert (await chat.wait("13d")).replies == []
    [second] = (await chat.wait("1d")).replies
    assert second.body.startswith("⏰ U-1 fra #1 »Ny legeplads« er stadig ikke besvaret efter "
                                  "28 dage.")

    # Settled: no more reminders, and the pending one is taken back.
    await chat.say(STAFF, staff_room, '!salon status U-1 afvist "Ikke muligt"')
    assert overdue_jobs(chat)["outcome:1:3"] == "cancelled"
    assert (await chat.wait("30d")).replies == []
    chat.close()


async def test_a_reopened_outcome_is_raised_again_at_its_next_period(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Bænke"')
    await chat.say(STAFF, staff_room, '!salon besvar U-1 "Ja"')
    await chat.wait("20d")
    await chat.say(STAFF, staff_room, '!salon status U-1 i-gang "Vi så på det igen"')
    assert overdue_jobs(chat) == {"outcome:1:1": "cancelled", "outcome:1:2": "pending"}
    [raised] = (await chat.wait("8d")).replies
    assert "efter 28 dage" in raised.body


# ------------------------------------------------------------------ lists and the digest


async def test_outcomes_lists_the_open_ones_with_age_and_deadline_and_all_on_request(
        both: ChatSession, clock: FixedClock) -> None:
    chat = both
    staff_room = await make_staff_room(chat)
    room = await open_salon(chat)
    assert (await chat.say(STAFF, staff_room, "!salon resultater")).text == (
        "Intet resultat venter på svar. !salon resultater alle viser dem alle.")
    await chat.say(ANNA, room, '!salon resultat "Bænke ved søen"')
    clock.advance(days=16)
    await chat.say(ANNA, room, '!salon resultat "' + "Lys på stien " * 20 + '" --kind question')
    await chat.say(ANNA, room, '!salon resultat "Hundeskov"')
    await chat.say(STAFF, staff_room, '!salon besvar U-3 "Nej"')
    listing = (await chat.say(STAFF, staff_room, "!salon resultater")).text.splitlines()
    assert listing[0] == "2 resultater venter på svar:"
    assert listing[1] == ("• U-1 · #1 »Ny legeplads« · forslag · sendt, venter på kommunen · "
                          "16 dage gammelt, 2 dage over fristen: Bænke ved søen")
    assert listing[2].startswith("• U-2 · #1 »Ny legeplads« · spørgsmål · sendt, venter på "
                                 "kommunen · 0 dage gammelt, 14 dage tilbage: Lys på stien")
    assert listing[2].endswith("…") and len(listing[2]) < 220, "long texts are shortened"
    everything = (await chat.say(STAFF, staff_room, "!salon resultater alle")).text
    assert everything.startswith("3 resultater i alt:")
    assert "• U-3 · #1 »Ny legeplads« · forslag · besvaret den 21. marts 2026 · 0 dage " \
           "gammelt: Hundeskov" in everything
    assert (await chat.say(STAFF, staff_room, "!salon resultater nogle")).text.startswith(
        "»nogle« kan ikke vælges her: skriv åbne eller alle.")


async def test_long_lists_stay_bounded(chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    for n in range(35):
        await chat.say(ANNA, room, f'!salon resultat "Ønske nummer {n}"')
    listing = (await chat.say(STAFF, staff_room, "!salon resultater")).text.splitlines()
    assert listing[0] == "35 resultater venter på svar:"
    assert len([line for line in listing if line.startswith("• ")]) == 30
    assert "… og 5 mere." in listing
    info = (await chat.say(ANNA, room, "!salon info")).text
    assert info.count("• U-") == 10 and "… og 25 mere." in info


async def test_salons_shows_who_takes_part_the_next_meeting_and_open_outcomes(
        both: ChatSession) -> None:
    chat = both
    staff_room = await make_staff_room(chat)
    assert (await chat.say(STAFF, staff_room, "!salon saloner")).text == \
        "Ingen salon er åben lige nu."
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(ANNA, room, f"!salon inviter {DORTHE} som politiker")
    await chat.join(DORTHE, room)
    await chat.say(ANNA, room, "!salon planlæg 2026-03-12 19:00")
    await chat.say(ANNA, room, '!salon resultat "Bænke"')
    await chat.say(ANNA, room, '!salon resultat "Lys"')
    await chat.say(STAFF, staff_room, '!salon besvar U-2 "Ja"')
    other = await open_salon(chat, '!salon åbn "Trafik på Skolevej"', host=BJORN)
    await chat.say(BJORN, other, "!salon luk")
    await open_salon(chat, '!salon åbn "Biblioteket"', host=BJORN)
    listing = (await chat.say(STAFF, staff_room, "!salon saloner")).text.splitlines()
    assert listing[0] == "2 åbne saloner:"
    assert listing[1].startswith("• #1 »Ny legeplads« (chat://room/")
    assert "· 3 deltager (2 borgere og 1 politiker) · næste møde: møde 1, torsdag den 12. " \
           "marts 2026 kl. 19.00–21.00 · 0 ja, 0 måske, 0 nej · 1 åbent resultat" in listing[1]
    assert listing[2].startswith("• #3 »Biblioteket«")
    assert listing[2].endswith("næste møde: der er ikke planlagt nogen møder endnu. · 0 åbne "
                               "resultater")
    assert "Trafik" not in "\n".join(listing), "closed salons are not listed"


async def test_the_digest_tells_what_happened_in_the_last_week_or_since_a_date(
        both: ChatSession, clock: FixedClock) -> None:
    chat = both
    staff_room = await make_staff_room(chat)
    old = await open_salon(chat, '!salon åbn "Gammel salon"', host=BJORN)
    clock.advance(days=10)
    room = await open_salon(chat, guests=(BJORN, DORTHE))
    await chat.say(BJORN, old, "!salon luk")
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18")
    for person in (BJORN, DORTHE):
        announcement = next(event for event, _, reply in chat.posted
                            if reply.watch == "meeting:1:announcement")
        await chat.react(person, room, announcement, "✅")
    await chat.wait("25h")  # the meeting begins
    await chat.say(ANNA, room, "!salon start 1")
    await chat.wait("2h")
    await chat.say(ANNA, room, "!salon slut")
    await chat.say(ANNA, room, "!salon planlæg i morgen kl. 18")
    await chat.say(ANNA, room, "!salon aflys 2")
    await chat.say(ANNA, room, '!salon resultat "Bænke ved søen"')
    await chat.say(STAFF, staff_room, '!salon status U-1 i-gang "Vi undersøger det"')
    await chat.say(STAFF, staff_room, '!salon besvar U-1 "To bænke i maj"')
    with chat.db.session() as session:
        session.add(ExportRecord(by_user=STAFF, via="staff-room", format="csv",
                                 since=datetime(2026, 3, 1, tzinfo=UTC), salon_id=2, rows=42,
                                 created_at=clock.now()))
        session.add(ExportRecord(by_user=None, via="command-line", format="html", rows=7,
                                 created_at=clock.now() - timedelta(days=30)))
        session.commit()
    digest = (await chat.say(STAFF, staff_room, "!salon overblik")).text
    lines = digest.splitlines()
    assert lines[0] == "Det er sket siden 9. marts 2026:"
    assert "Saloner åbnet\n• #2 »Ny legeplads« (15. mar. 2026)" in digest
    assert "Gammel salon" in digest.split("Saloner lukket")[1].split("Møder holdt")[0]
    assert "#1 »Gammel salon« (15. mar." not in digest.split("Saloner lukket")[0], \
        "opened ten days ago: before the week"
    meetings = digest.split("Møder holdt\n")[1].split("\n")[0]
    assert meetings.startswith("• #2 »Ny legeplads«, møde 1, 16. mar. 2026: 2 sagde ja; "
                               "referat taget, 3 til stede (3 borgere)"), meetings
    assert "møde 2" not in digest, "a cancelled meeting was not held"
    assert "Resultater sendt til kommunen\n• 16. mar. 2026 · U-1 (#2 »Ny legeplads«, " \
           "forslag): Bænke ved søen · nu: besvaret den 16. marts 2026" in digest
    changes = digest.split("Svar og ændringer af status\n")[1]
    assert changes.startswith(
        f"• 16. mar. 2026 · U-1 (#2 »Ny legeplads«): nu under behandling, sat af {STAFF} "
        "(begrundelse: »Vi undersøger det«)\n"
        f"• 16. mar. 2026 · U-1 (#2 »Ny legeplads«): besvaret af {STAFF}: »To bænke i maj«")
    assert digest.endswith(f"Eksporter lavet\n• 16. mar. 2026 · csv-eksport af {STAFF} · med "
                           "det, der er sket siden 1. mar. 2026 · kun salon #2 · 42 rækker "
                           "eksporteret")
    since = (await chat.say(STAFF, staff_room, "!salon overblik siden 1. marts")).text
    assert since.startswith("Det er sket siden 1. marts 2026:")
    assert "Saloner åbnet\n• #1 »Gammel salon« (5. mar. 2026)\n• #2" in since
    assert "html-eksport af en på kommandolinjen" not in since, "that export is older"
    assert "Eksporter lavet\n• 14. feb. 2026 · html-eksport af en på kommandolinjen · " \
           "rapporterne fra 7 saloner eksporteret\n• 16. mar. 2026 · csv" in (
        await chat.say(STAFF, staff_room, "!salon overblik siden 2026-02-01")).text


@pytest.mark.parametrize(("words", "expected"), [
    ("siden mandag", "Det er sket siden 16. marts 2026:"),
    ("siden i dag", "Det er sket siden 17. marts 2026:"),
    ("siden i går", "Det er sket siden 16. marts 2026:"),
    ("since 2026-03-10", "Det er sket siden 10. marts 2026:"),
    ("sedan 20 december", "Det er sket siden 20. december 2025:"),
    ("siden tirsdag", "Det er sket siden 10. marts 2026:"),
])
async def test_the_digest_reads_the_date_looking_back(
        chat: ChatSession, clock: FixedClock, staff_room: str, words: str,
        expected: str) -> None:
    clock.advance(days=12)  # Tuesday 17 March 2026
    text = (await chat.say(STAFF, staff_room, f"!salon overblik {words}")).text
    assert text.splitlines()[0] == expected


@pytest.mark.parametrize(("words", "expected"), [
    ("siden blåbærgrød", "Jeg kan ikke vide med sikkerhed, hvilken dag »blåbærgrød« er"),
    ("siden den 12.", "Jeg kan ikke vide med sikkerhed, hvilken dag »den 12.« er"),
    ("siden", "Skriv datoen efter »siden«."),
    ("siden 2027-01-01", "»2027-01-01« er ikke kommet endnu; skriv en dag, der har været."),
    ("siden i morgen", "»i morgen« er ikke kommet endnu"),
])
async def test_a_digest_date_that_cannot_be_read_for_certain_is_refused_with_examples(
        chat: ChatSession, staff_room: str, words: str, expected: str) -> None:
    text = (await chat.say(STAFF, staff_room, f"!salon overblik {words}")).text
    assert text.startswith(expected), text
    assert "For eksempel: !salon overblik siden 2026-03-01" in text


async def test_a_quiet_week_says_so(chat: ChatSession, clock: FixedClock,
                                    staff_room: str) -> None:
    await open_salon(chat)
    clock.advance(days=8)
    assert (await chat.say(STAFF, staff_room, "!salon overblik")).text == (
        "Det er sket siden 6. marts 2026:\nDer skete ikke noget i perioden.")


# ------------------------------------------------------------------ languages


async def test_the_staff_read_their_rooms_language_and_the_salon_its_own(
        chat: ChatSession, staff_room: str) -> None:
    await chat.say(STAFF, staff_room, "!salon språk sv --room")
    room = await open_salon(chat)
    await chat.say(ANNA, room, "!salon language en")  # the host's own choice
    turn = await chat.say(ANNA, room, '!salon outcome "Benches by the lake" --kind förslag')
    announcement, posted = turn.replies
    assert announcement.body.startswith("Resultat U-1 (forslag) til kommunen:"), \
        "the salon reads it in the salon's language"
    assert posted.body.splitlines()[0] == "Nytt resultat U-1 från #1 ”Ny legeplads”"
    assert "Svara senast 19 mars 2026 (inom 14 dagar)." in posted.body
    assert '!salon besvara U-1 "ert svar"' in posted.body
    turn = await chat.say(STAFF, staff_room, '!salon besvara U-1 "Vi ordnar det i maj."')
    confirm, answer = turn.replies
    assert confirm.body == "Ditt svar på U-1 är sparat och skickat i #1 ”Ny legeplads”."
    assert answer.body.startswith("Kommunen har svaret på U-1 (forslag: »Benches by the "
                                  "lake«):")
    assert (await chat.say(ANNA, room, "!salon info")).text.count(
        "Outcomes for the municipality:\n• U-1 (proposal): answered on 5 March 2026") == 1
    listing = (await chat.say(STAFF, staff_room, "!salon resultaten alla")).text
    assert listing.startswith("1 resultat totalt:\n• U-1 · #1 ”Ny legeplads” · förslag · "
                              "besvarad den 5 mars 2026")


async def test_an_english_salon_and_an_english_staff_room(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, config(default_language="en"))
    staff_room = await make_staff_room(chat)
    room = await open_salon(chat, '!salon open "Playground"')
    turn = await chat.say(ANNA, room, '!salon outcome "Who owns the field?" --kind question')
    announcement, posted = turn.replies
    assert announcement.body.splitlines()[:2] == ["Outcome U-1 (question) for the municipality:",
                                                  "Who owns the field?"]
    assert "Please answer by 19 March 2026 (within 14 days)." in posted.body
    turn = await chat.say(STAFF, staff_room, '!salon status U-1 in progress "Asking the land '
                                             'registry"')
    notice = turn.replies[1]
    assert notice.body == ("News from the municipality about U-1 (question: “Who owns the "
                           "field?”): it is now being worked on.\nReason: Asking the land "
                           "registry\nSet by a staff member of the municipality.")
    assert notice.in_reply_to == chat.event_of(announcement)
    chat.close()


# ------------------------------------------------------------------ who the staff room sees


def pseudonym_of(chat: ChatSession, user_id: str) -> str:
    from bot.pseudonyms import Pseudonyms

    with chat.db.session() as session:
        return Pseudonyms.of(session, NOW)(user_id)


async def test_the_staff_room_sees_citizens_named_in_an_outcome_as_the_exports_show_them(
        chat: ChatSession, staff_room: str) -> None:
    """A citizen may sit in the staff room too: a Matrix id a host wrote into an outcome is
    shown there by name only with consent named, else under the export pseudonym."""
    room = await open_salon(chat)
    await chat.say(DORTHE, room, "!salon samtykke named")
    turn = await chat.say(ANNA, room, f'!salon resultat "Spørg {BJORN} og {DORTHE} om stien"')
    [posted] = in_room(turn.replies, staff_room)
    hidden = pseudonym_of(chat, BJORN)
    assert f"Spørg {hidden} og {DORTHE} om stien" in posted.body
    assert BJORN not in posted.body
    listed = (await chat.say(STAFF, staff_room, "!salon resultater")).text
    assert hidden in listed and BJORN not in listed
    digest = (await chat.say(STAFF, staff_room, "!salon overblik")).text
    assert hidden in digest and BJORN not in digest
    # In the salon's own room the host's words stay as written.
    assert f"Spørg {BJORN} og {DORTHE} om stien" in turn.replies[0].body


async def test_an_item_whose_author_withdrew_cannot_become_an_outcome(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(BJORN, room, "!salon idé en bogbytte-reol i hallen")
    await chat.say(BJORN, room, "!salon samtykke nej")
    turn = await chat.say(ANNA, room, "!salon resultat --from 1")
    assert "Punkt 1 kan ikke blive et resultat: den, der skrev det, har trukket sit " \
           "samtykke tilbage" in turn.text
    assert outcomes(chat) == []
    assert in_room(turn.replies, staff_room) == [], "nothing reached the staff room"


async def test_a_reminder_sent_late_says_how_old_the_outcome_really_is(
        db_url: str, clock: FixedClock) -> None:
    chat = ChatSession(db_url, config(), clock=clock, registry=build_registry())
    try:
        staff_room = await make_staff_room(chat)
        room = await open_salon(chat)
        await chat.say(ANNA, room, '!salon resultat "Bænke ved søen"')
        # The bot is away for 45 days; at its start the first period's reminder is late.
        chat.close()
        clock.advance(days=45)
        chat = ChatSession(db_url, config(), clock=clock, registry=build_registry())
        chat.router.staff_room_id = staff_room
        [late] = (await chat.run_due()).replies
        assert "er stadig ikke besvaret efter 45 dage" in late.body
        assert overdue_jobs(chat)["outcome:1:4"] == "pending", "the next period still ahead"
    finally:
        chat.close()


async def test_going_back_from_answered_is_said_to_the_staff(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat)
    await chat.say(ANNA, room, '!salon resultat "Bænke"')
    await chat.say(STAFF, staff_room, '!salon besvar U-1 "Ja, i maj."')
    turn = await chat.say(STAFF, staff_room, '!salon status U-1 modtaget "ups"')
    assert "nu er den åben igen, og jeg minder jer om den her" in turn.replies[0].body


@pytest.mark.parametrize("when", ["0001-01-01", "1. marts 1999"])
async def test_a_digest_since_before_any_salon_is_refused_plainly(
        chat: ChatSession, staff_room: str, when: str) -> None:
    turn = await chat.say(STAFF, staff_room, f"!salon overblik siden {when}")
    assert "er før, der blev holdt nogen salon her; skriv en dag fra 2000 og frem." in turn.text
    assert "Beklager" not in turn.text
