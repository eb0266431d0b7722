"""`open`, `list`, `join`, `info`, `topic` and `close`, as hosts and citizens see them.

Everything runs through the real router and registry, ``LocalRooms`` and a migrated SQLite
database (``bot.chat.ChatSession``); nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from chat_helpers import (
    ANNA,
    BJORN,
    CARL,
    DORTHE,
    NOW,
    chat_config_with,
    open_salon,
    say,
    start_chat,
)
from sqlalchemy import select

from bot.chat import ChatSession
from bot.clock import FixedClock
from bot.db import Member, Salon
from bot.rooms import MODERATOR


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChatSession]:
    session = start_chat(tmp_path)
    yield session
    session.close()


def salon(chat: ChatSession, number: int = 1) -> Salon:
    with chat.db.session() as session:
        found = session.get(Salon, number)
        assert found is not None
        found.members  # noqa: B018 - loaded while the session is open
        return found


# ------------------------------------------------------------------------------ open


async def test_open_creates_the_room_and_makes_the_caller_host(chat: ChatSession) -> None:
    reply = await say(chat, ANNA, '!salon åbn "Ny legeplads i Hørning" --topic "Hvor skal den '
                                  'ligge?"')
    assert reply.splitlines() == [
        "Din salon #1 »Ny legeplads i Hørning« er åben, og du er vært.",
        "Jeg har inviteret dig ind i rummet: Ny legeplads i Hørning (chat://room/!local-2:chat). "
        "Tag imod invitationen, og invitér så andre inde fra rummet med "
        "!salon inviter @navn:server.",
        "Den er privat: kun dem, du inviterer, kan komme med.",
    ]
    room = chat.rooms.room("!local-2:chat")
    assert room is not None
    assert room.name == "Ny legeplads i Hørning"
    assert room.topic == "Hvor skal den ligge?"
    assert room.encrypted is True
    assert room.state_of(ANNA) == "invite"
    assert room.power_levels[ANNA] == MODERATOR
    created = salon(chat)
    assert (created.room_id, created.is_public, created.status) == ("!local-2:chat", False,
                                                                    "open")
    assert (created.created_by, created.created_at, created.language) == (ANNA, NOW, "da")
    [host] = created.members
    assert (host.user_id, host.standing, host.status, host.role) == (ANNA, "host", "invited",
                                                                     "citizen")


async def test_open_follows_encrypt_new_rooms(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, chat_config_with(matrix={"encrypt_new_rooms": False}))
    await say(chat, ANNA, '!salon open "Bænke på torvet"')
    room = chat.rooms.room(salon(chat).room_id)
    assert room is not None and room.encrypted is False
    chat.close()


async def test_a_public_salon_says_how_others_join(chat: ChatSession) -> None:
    reply = await say(chat, ANNA, '!salon åbn "Bænke på torvet" --public')
    assert reply.splitlines()[-1] == (
        "Den er offentlig: andre kan finde den med !salon liste og deltage med !salon deltag #1.")
    assert salon(chat).is_public


@pytest.mark.parametrize(("lang", "command", "first_line"), [
    ("da", '!salon åbn "Torvet"', "Din salon #1 »Torvet« er åben, og du er vært."),
    ("nb", '!salon åpne "Torvet"', "Salongen din #1 «Torvet» er åpen, og du er vert."),
    ("sv", '!salon öppna "Torvet"', "Din salong #1 ”Torvet” är öppen och du är värd."),
    ("en", '!salon open "Torvet"', "Your salon #1 “Torvet” is open, and you are its host."),
])
async def test_open_in_each_language(chat: ChatSession, lang: str, command: str,
                                     first_line: str) -> None:
    await say(chat, ANNA, f"!salon language {lang}")
    assert (await say(chat, ANNA, command)).splitlines()[0] == first_line


async def test_a_title_without_quotes_is_taken_whole(chat: ChatSession) -> None:
    await say(chat, ANNA, "!salon åbn Ny   legeplads i  Hørning")
    assert salon(chat).title == "Ny legeplads i Hørning"


async def test_a_title_without_quotes_may_be_followed_by_options(chat: ChatSession) -> None:
    await say(chat, ANNA, '!salon åbn Trafik på Skolevej --public --topic "Parkering ved skolen"')
    opened = salon(chat)
    assert (opened.title, opened.topic, opened.is_public) == (
        "Trafik på Skolevej", "Parkering ved skolen", True)


@pytest.mark.parametrize("command", [
    "!salon åbn Trafik på Skolevej --topic Parkering ved skolen",
    '!salon åbn "Trafik på Skolevej" Parkering ved skolen',
    "!salon åbn „Trafik på Skolevej“ Parkering",
    '!salon åbn Trafik "på Skolevej"',
    "!salon åbn --public Trafik på Skolevej",
])
async def test_words_after_the_title_or_an_option_are_refused(chat: ChatSession,
                                                               command: str) -> None:
    assert await say(chat, ANNA, command) == (
        "Jeg kan ikke se, hvor titlen slutter. Sæt titlen i anførselstegn, og emnet også, "
        'sådan her: !salon åbn "Trafik på Skolevej" --topic "Parkering ved skolen". Uden '
        "anførselstegn skal titlen stå først, med kun tilvalg efter sig.\n"
        'Brug: !salon åbn "<titel>" [--public] [--topic "<tekst>"]')
    assert len(chat.rooms.rooms) == 1  # only Anna's direct chat: no salon room was made
    with chat.db.session() as session:
        assert session.scalar(select(Salon)) is None


async def test_open_without_a_title_explains_and_shows_usage(chat: ChatSession) -> None:
    assert await say(chat, ANNA, '!salon åbn "  " --public') == (
        "En salon skal have en titel. Skriv den i anførselstegn efter kommandoen.\n"
        'Brug: !salon åbn "<titel>" [--public] [--topic "<tekst>"]')
    assert len(chat.rooms.rooms) == 1


async def test_an_overlong_title_names_the_limit_and_its_length(chat: ChatSession) -> None:
    reply = await say(chat, ANNA, f'!salon åbn "{"x" * 121}"')
    assert reply.splitlines()[0] == ("Titlen er 121 tegn lang, men den må højst være på 120. "
                                     "Gør den lidt kortere.")
    assert reply.splitlines()[1].startswith("Brug: !salon åbn")
    assert len(chat.rooms.rooms) == 1
    await say(chat, ANNA, f'!salon åbn "{"y" * 120}"')
    assert salon(chat).title == "y" * 120


async def test_a_mistyped_option_is_not_ignored(chat: ChatSession) -> None:
    reply = await say(chat, ANNA, '!salon åbn --pubic ja "Torvet"')
    assert reply.splitlines()[0] == "Jeg kender ikke tilvalget --pubic."
    assert len(chat.rooms.rooms) == 1


async def test_an_empty_topic_option_is_refused(chat: ChatSession) -> None:
    reply = await say(chat, ANNA, '!salon åbn "Torvet" --topic ""')
    assert reply.splitlines()[0] == "Skriv emnet i anførselstegn efter --topic."


async def test_open_in_a_salon_room_opens_another_salon(chat: ChatSession) -> None:
    room = await open_salon(chat)
    reply = await say(chat, ANNA, '!salon åbn "Bænke"', room)
    assert reply.startswith("Din salon #2 »Bænke« er åben")
    assert salon(chat, 2).room_id != room


async def test_open_is_limited_per_person_and_says_when_the_next_one_may_be_opened(
        tmp_path: Path) -> None:
    clock = FixedClock(NOW)  # 18.00 in Copenhagen
    chat = start_chat(tmp_path, clock=clock)
    for n in range(1, 6):
        assert (await say(chat, ANNA, f'!salon åbn "Salon {n}"')).startswith(f"Din salon #{n}")
        clock.advance(hours=1)
    await say(chat, ANNA, "!salon luk", salon(chat, 5).room_id)  # a closed one counts too
    rooms = len(chat.rooms.rooms)
    refused = ("Du har åbnet så mange saloner, som én person kan: 5 pr. 24 timer. Du kan åbne "
               "en ny den 6. marts 2026 kl. 18.00.")
    assert await say(chat, ANNA, '!salon åbn "Salon 6"') == refused
    assert len(chat.rooms.rooms) == rooms  # no room was created for the refused one
    # Others are not held back by Anna's salons.
    assert (await say(chat, BJORN, '!salon åbn "Bjørns"')).startswith("Din salon #6")
    clock.advance(hours=18, minutes=59, seconds=59)  # one second before 6 March 18.00
    assert await say(chat, ANNA, '!salon åbn "Salon 6"') == refused
    clock.advance(seconds=1)
    assert (await say(chat, ANNA, '!salon åbn "Salon 6"')).startswith("Din salon #7")
    assert [s.created_by for s in (salon(chat, 6), salon(chat, 7))] == [BJORN, ANNA]
    chat.close()


async def test_the_open_limit_and_its_period_come_from_the_config(tmp_path: Path) -> None:
    clock = FixedClock(NOW + timedelta(seconds=30))
    chat = start_chat(tmp_path, chat_config_with(bot={
        "open_limit": 1, "open_limit_period": "7d", "default_language": "en"}), clock=clock)
    assert (await say(chat, ANNA, '!salon open "Benches"')).startswith("Your salon #1")
    # Shown to the minute, rounded up: at the time named, opening works.
    assert await say(chat, ANNA, '!salon open "Trees"') == (
        "You have opened as many salons as one person may: 1 per 7 days. You can open "
        "another one on 12 March 2026 at 18:01.")  # British English: day first, 24 hours
    await say(chat, ANNA, "!salon language sv")
    assert await say(chat, ANNA, '!salon öppna "Träd"') == (
        "Du har öppnat så många salonger som en person får: 1 per 7 dygn. Du kan öppna en ny "
        "den 12 mars 2026 kl. 18:01.")
    await say(chat, ANNA, "!salon language nb")
    clock.advance(days=7, seconds=29)
    assert (await say(chat, ANNA, '!salon åpne "Trær"')).startswith("Salongen din #2")
    chat.close()


async def test_an_open_limit_of_zero_means_no_limit(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, chat_config_with(bot={"open_limit": 0}))
    for n in range(1, 8):
        assert (await say(chat, ANNA, f'!salon åbn "Salon {n}"')).startswith(f"Din salon #{n}")
    chat.close()


async def test_titles_cannot_inject_markup(chat: ChatSession) -> None:
    replies = (await chat.say(ANNA, chat.direct_room(ANNA),
                              '!salon åbn "**Stor** [fest](https://evil.example)"')).replies
    assert "<strong>Stor</strong>" not in replies[0].formatted_body
    assert 'href="https://evil.example"' not in replies[0].formatted_body
    assert "**Stor** [fest](https://evil.example)" in replies[0].body


# ------------------------------------------------------------------------------ list


async def test_list_with_nothing_to_show_says_how_to_open_one(chat: ChatSession) -> None:
    assert await say(chat, ANNA, "!salon liste") == (
        "Der er ingen offentlige saloner endnu, og du er ikke med i nogen. Åbn selv en med "
        "!salon åbn \"titel\" --public, så kan andre deltage.")


async def test_list_shows_public_salons_and_the_callers_own(chat: ChatSession) -> None:
    await open_salon(chat, '!salon åbn "Torvet" --public', guests=(BJORN,))  # 1: public
    await open_salon(chat, '!salon åbn "Hemmelig"', host=CARL)  # 2: someone else's, private
    mine = await open_salon(chat, '!salon åbn "Min egen"', host=BJORN)  # 3: Bjørn's private
    await open_salon(chat, '!salon åbn "Gammel" --public', host=CARL)  # 4: closed public
    await say(chat, CARL, "!salon luk", salon(chat, 4).room_id)
    await say(chat, BJORN, "!salon luk", mine)

    assert (await say(chat, BJORN, "!salon liste")).splitlines() == [
        "Dine saloner:",
        "• #1 »Torvet«: 2 deltagere",
        "• #3 »Min egen«: 1 deltager, du er vært, privat, lukket",
    ]
    assert (await say(chat, DORTHE, "!salon liste")).splitlines() == [
        "Offentlige saloner, du kan deltage i:",
        "• #1 »Torvet«: 2 deltagere",
        "",
        "Deltag i en af dem med !salon deltag og nummeret, fx !salon deltag #1.",
    ]


async def test_list_in_swedish(chat: ChatSession) -> None:
    await open_salon(chat, '!salon åbn "Torvet" --public')
    await say(chat, BJORN, "!salon språk sv")
    assert (await say(chat, BJORN, "!salon lista")).splitlines()[:2] == [
        "Offentliga salonger du kan gå med i:",
        "• #1 ”Torvet”: 1 deltagare",
    ]


async def lobby(chat: ChatSession, *people: str) -> str:
    """A room the bot shares with several people that is no salon and no direct chat."""
    created = await chat.rooms.create_room(name="Beboerforening", topic=None, encrypted=True,
                                           invite=list(people), moderators=[])
    for person in people:
        chat.rooms.join(created.room_id, person)
    chat.rooms.drain_changes()
    return created.room_id


async def test_list_in_a_shared_room_shows_public_salons_only(chat: ChatSession) -> None:
    torvet = await open_salon(chat, '!salon åbn "Torvet" --public', guests=(BJORN,))  # public
    await open_salon(chat, '!salon åbn "Hemmelig"', host=CARL)  # someone else's, private
    await open_salon(chat, '!salon åbn "Min egen"', host=BJORN)  # Bjørn's private
    await open_salon(chat, '!salon åbn "Gammel" --public', host=CARL)  # closed public
    await say(chat, CARL, "!salon luk", salon(chat, 4).room_id)
    shared = await lobby(chat, BJORN, DORTHE)

    expected = [
        "Offentlige saloner:",
        "• #1 »Torvet«: 2 deltagere",
        "",
        "Deltag i en af dem med !salon deltag og nummeret, fx !salon deltag #1.",
        "Når du skriver direkte til mig, viser !salon liste også dine egne saloner.",
    ]
    # Whoever asks, and wherever others read along: the lobby or a salon room.
    assert (await say(chat, BJORN, "!salon liste", shared)).splitlines() == expected
    assert (await say(chat, DORTHE, "!salon liste", shared)).splitlines() == expected
    assert (await say(chat, BJORN, "!salon liste", torvet)).splitlines() == expected
    # In his direct chat Bjørn still sees his private salon.
    assert "• #3 »Min egen«: 1 deltager, du er vært, privat" in (
        await say(chat, BJORN, "!salon liste")).splitlines()


async def test_list_in_a_private_salons_room_does_not_name_it(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon åbn "Hemmelig"', guests=(BJORN,))
    assert await say(chat, BJORN, "!salon liste", room) == (
        "Der er ingen offentlige saloner endnu. Åbn selv en med !salon åbn \"titel\" --public, "
        "så kan andre deltage.\n"
        "Når du skriver direkte til mig, viser !salon liste også dine egne saloner.")
    await say(chat, BJORN, "!salon language en")
    assert await say(chat, BJORN, "!salon list", room) == (
        "There are no public salons yet. Open one with !salon open \"title\" --public, "
        "and others can join it.\n"
        "In a direct chat with me, !salon list also shows your own salons.")


# ------------------------------------------------------------------------------ join


@pytest.mark.parametrize("ref", ["#1", "1", "!local-2:chat"])
async def test_join_invites_the_caller_into_a_public_salon(chat: ChatSession, ref: str) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --public')
    reply = await say(chat, BJORN, f"!salon deltag {ref}")
    assert reply == ("Jeg har inviteret dig til #1 »Torvet«. Tag imod invitationen i din "
                     "Matrix-app: Torvet (chat://room/!local-2:chat)")
    assert chat.rooms.room(room).state_of(BJORN) == "invite"  # type: ignore[union-attr]
    member = salon(chat).members[-1]
    assert (member.user_id, member.role, member.standing, member.status) == (
        BJORN, "citizen", "participant", "invited")


async def test_join_by_room_alias(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --public')
    chat.rooms.aliases["#torvet:example.org"] = room
    reply = await say(chat, BJORN, "!salon deltag #torvet:example.org")
    assert reply.startswith("Jeg har inviteret dig til #1 »Torvet«.")
    assert chat.rooms.room(room).state_of(BJORN) == "invite"  # type: ignore[union-attr]


async def test_joining_someone_already_in_says_so_with_the_link(chat: ChatSession) -> None:
    await open_salon(chat, '!salon åbn "Torvet" --public', guests=(BJORN,))
    assert await say(chat, BJORN, "!salon deltag #1") == (
        "Du er allerede med i #1 »Torvet«. Rummet: Torvet (chat://room/!local-2:chat)")


async def test_a_private_salon_looks_like_no_salon_at_all(chat: ChatSession) -> None:
    await open_salon(chat)
    private = await say(chat, BJORN, "!salon deltag #1")
    missing = await say(chat, BJORN, "!salon deltag #77")
    assert private == ("Jeg kan ikke finde en offentlig salon #1. Med !salon liste kan du se, "
                       "hvilke saloner du kan deltage i.")
    assert missing == private.replace("#1", "#77")
    assert "Ny legeplads" not in private
    assert len(salon(chat).members) == 1


async def test_a_closed_salon_cannot_be_joined(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --public')
    await say(chat, ANNA, "!salon luk", room)
    assert await say(chat, BJORN, "!salon bli-med #1") == (
        "#1 »Torvet« er lukket, så ingen kan komme med længere.")


async def test_someone_who_left_can_join_again(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --public', guests=(BJORN,))
    await chat.leave(BJORN, room)
    assert (await say(chat, BJORN, "!salon deltag #1")).startswith("Jeg har inviteret dig")
    await chat.join(BJORN, room)
    assert salon(chat).member(BJORN).status == "joined"  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "reply"), [
    ("!salon deltag", "Skriv, hvilken salon du vil deltage i, fx #12. Du kan se salonerne med "
                      "!salon liste.\nBrug: !salon deltag #<nummer>"),
    ("!salon deltag legeplads", "»legeplads« er ikke et salonnummer. Brug nummeret fra "
                                "!salon liste, fx #12.\nBrug: !salon deltag #<nummer>"),
    ("!salon deltag #torvet:example.org",
     "Jeg kan ikke finde en offentlig salon #torvet:example.org. Med !salon liste kan du se, "
     "hvilke saloner du kan deltage i."),
])
async def test_join_with_a_bad_reference_says_how_to_name_a_salon(chat: ChatSession, text: str,
                                                                  reply: str) -> None:
    await open_salon(chat, '!salon åbn "Torvet" --public')
    assert await say(chat, BJORN, text) == reply


# ------------------------------------------------------------------------------ info


async def test_info_tells_title_topic_hosts_counts_meeting_and_status(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --topic "Bænke og træer"',
                            guests=(BJORN,))
    await say(chat, ANNA, f"!salon inviter {CARL} som politiker", room)
    await chat.join(CARL, room)
    await say(chat, ANNA, f"!salon inviter {DORTHE} som ansat", room)
    assert (await say(chat, BJORN, "!salon info", room)).splitlines() == [
        "#1 »Torvet«",
        "Emne: Bænke og træer",
        "Værter: @anna:example.org (vært)",
        "Deltagere: 3 (2 borgere og 1 politiker)",
        "1 person er inviteret, men er ikke kommet med endnu.",
        "Næste møde: der er ikke planlagt nogen møder endnu.",
        "Referat: tages ikke lige nu. Når der tages referat, gemmes ordene fra dem, der har "
        "sagt ja, i 180 dage.",
        "Status: åben og privat. Kun inviterede kan komme med.",
    ]


@pytest.mark.parametrize(("lang", "lines"), [
    ("nb", ["#1 «Torvet»", "Ikke noe tema ennå. Vertene kan sette et med !salon tema \"tekst\".",
            "Verter: @anna:example.org (vert), @bjorn:example.org (medvert)",
            "Deltakere: 2 (2 innbyggere)", "Neste møte: ingen møter er planlagt ennå.",
            "Referat: tas ikke nå. Når det tas referat, lagres ordene til dem som har sagt ja, "
            "i 180 dager.",
            "Status: åpen og offentlig. Andre kan bli med ved å skrive !salon bli-med #1."]),
    ("sv", ["#1 ”Torvet”", "Inget ämne än. Värdarna kan sätta ett med !salon ämne \"text\".",
            "Värdar: @anna:example.org (värd), @bjorn:example.org (medvärd)",
            "Deltagare: 2 (2 medborgare)", "Nästa möte: inga möten är inplanerade än.",
            "Protokoll: förs inte just nu. När protokoll förs sparas orden från dem som har "
            "sagt ja i 180 dagar.",
            "Status: öppen och offentlig. Andra kan gå med genom att skriva !salon gå-med #1."]),
    ("en", ["#1 “Torvet”", "No topic yet. Hosts set one with !salon topic \"text\".",
            "Hosts: @anna:example.org (host), @bjorn:example.org (co-host)",
            "Participants: 2 (2 citizens)", "Next meeting: no meetings scheduled yet.",
            "Minutes: not being taken now. When they are, the words of those who said yes are "
            "kept for 180 days.",
            "Status: open and public. Others join with !salon join #1."]),
])
async def test_info_in_each_language(chat: ChatSession, lang: str, lines: list[str]) -> None:
    room = await open_salon(chat, '!salon åbn "Torvet" --public', guests=(BJORN,))
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    await say(chat, CARL, "!salon join #1")
    await chat.join(CARL, room)
    await chat.leave(CARL, room)  # someone who left is no longer counted
    await say(chat, BJORN, f"!salon language {lang}")
    assert (await say(chat, BJORN, "!salon info", room)).splitlines() == lines


async def test_info_works_only_in_a_salon_room(chat: ChatSession) -> None:
    assert await say(chat, ANNA, "!salon info") == (
        "»info« virker inde i et salonrum. Skriv den der, eller skriv !salon hjælp for at se, "
        "hvad der virker her.")


async def test_info_of_a_closed_salon_shows_the_date_and_statement(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await say(chat, ANNA, '!salon luk "Vi fandt et godt sted"', room)
    lines = (await say(chat, ANNA, "!salon info", room)).splitlines()
    assert lines[-2:] == ["Status: lukket den 5. marts 2026.",
                          "Afsluttende ord: Vi fandt et godt sted"]


# ----------------------------------------------------------------------------- topic


async def test_a_host_sets_the_topic_of_room_and_salon(chat: ChatSession) -> None:
    room = await open_salon(chat)
    assert await say(chat, ANNA, '!salon emne "Hvor skal gyngerne stå?"', room) == (
        "Salonens emne er nu: Hvor skal gyngerne stå?")
    assert chat.rooms.room(room).topic == "Hvor skal gyngerne stå?"  # type: ignore[union-attr]
    assert salon(chat).topic == "Hvor skal gyngerne stå?"


async def test_a_participant_may_not_set_the_topic_and_learns_who_may(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    assert await say(chat, BJORN, '!salon emne "Mit emne"', room) == (
        "Kun salonens værter kan bruge »emne«: @anna:example.org.")
    assert salon(chat).topic is None


async def test_a_cohost_may_set_the_topic(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    assert (await say(chat, BJORN, '!salon tema "Benker"', room)).startswith("Salonens emne")


async def test_topic_needs_text_and_has_a_limit(chat: ChatSession) -> None:
    room = await open_salon(chat)
    assert await say(chat, ANNA, "!salon emne", room) == (
        "Skriv det nye emne i anførselstegn efter kommandoen.\nBrug: !salon emne \"<tekst>\"")
    assert (await say(chat, ANNA, f'!salon emne "{"a" * 1001}"', room)).startswith(
        "Emnet er 1001 tegn langt, men det må højst være på 1000.")
    assert salon(chat).topic is None


# ----------------------------------------------------------------------------- close


async def test_close_stores_the_statement_renames_the_room_and_sums_up(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await say(chat, ANNA, f"!salon inviter {CARL} som politiker", room)
    await chat.join(CARL, room)
    await chat.leave(CARL, room)
    reply = await say(chat, ANNA, '!salon luk "Legepladsen skal ligge ved skolen"', room)
    # The final report follows (tests/test_close_report.py).
    assert reply.splitlines()[:3] == [
        "#1 »Ny legeplads« er nu lukket. Tak til alle, der var med!",
        "Deltog: 2 borgere og 1 politiker.",
        "Afsluttende ord: Legepladsen skal ligge ved skolen",
    ]
    closed = salon(chat)
    assert (closed.status, closed.closed_at) == ("closed", NOW)
    assert closed.closing_statement == "Legepladsen skal ligge ved skolen"
    assert chat.rooms.room(room).name == "Ny legeplads (lukket)"  # type: ignore[union-attr]


async def test_the_closed_suffix_follows_the_salon_not_the_closer(chat: ChatSession) -> None:
    await say(chat, ANNA, "!salon språk sv")
    room = await open_salon(chat, '!salon öppna "Lekplatsen"')
    await say(chat, ANNA, "!salon language en")
    assert (await say(chat, ANNA, "!salon close", room)).startswith(
        "#1 “Lekplatsen” is now closed.")
    assert chat.rooms.room(room).name == "Lekplatsen (stängd)"  # type: ignore[union-attr]


async def test_close_twice_says_when_it_was_closed(chat: ChatSession) -> None:
    room = await open_salon(chat)
    await say(chat, ANNA, "!salon luk", room)
    assert await say(chat, ANNA, "!salon luk", room) == (
        "Salonen blev allerede lukket den 5. marts 2026.")


async def test_only_hosts_close(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    assert await say(chat, BJORN, "!salon luk", room) == (
        "Kun salonens værter kan bruge »luk«: @anna:example.org.")
    assert salon(chat).status == "open"


@pytest.mark.parametrize(("command", "verb"), [
    ('!salon emne "Nyt"', "emne"),
    (f"!salon inviter {CARL}", "inviter"),
    (f"!salon medvært {BJORN}", "medvært"),
])
async def test_a_closed_salon_refuses_changes(chat: ChatSession, command: str, verb: str) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await say(chat, ANNA, "!salon luk", room)
    assert await say(chat, ANNA, command, room) == (
        f"Salonen blev lukket den 5. marts 2026, så »{verb}« virker ikke længere her. Du kan "
        "åbne en ny salon med !salon åbn \"titel\".")
    members = {m.user_id: m for m in salon(chat).members}
    assert CARL not in members and members[BJORN].standing == "participant"


async def test_the_members_table_records_who_invited_whom(chat: ChatSession) -> None:
    room = await open_salon(chat)
    await say(chat, ANNA, f"!salon inviter {BJORN}", room)
    with chat.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == BJORN))
        assert member is not None
        assert (member.invited_by, member.invited_at) == (ANNA, NOW)


async def test_joining_again_while_invited_repeats_the_invitation(chat: ChatSession) -> None:
    room = await open_salon(chat)
    await say(chat, ANNA, f"!salon inviter {BJORN}", room)
    assert (await say(chat, BJORN, "!salon deltag #1")).startswith(
        "Jeg har inviteret dig til #1 »Ny legeplads«.")
    assert [m.status for m in salon(chat).members] == ["joined", "invited"]


async def test_someone_removed_from_a_private_salon_cannot_let_themselves_back_in(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.rooms.kick(room, BJORN, reason="Tak for nu")  # the host removes Bjørn in Element
    await chat.sync()
    assert (await say(chat, BJORN, "!salon deltag #1")).startswith(
        "Jeg kan ikke finde en offentlig salon #1.")
    assert chat.rooms.room(room).state_of(BJORN) == "leave"  # type: ignore[union-attr]
