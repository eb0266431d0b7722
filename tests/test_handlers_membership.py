"""`invite`, `cohost`, `leave` and the room's membership events, as hosts and guests see them.

Everything runs through the real router and registry, ``LocalRooms`` and a migrated SQLite
database (``bot.chat.ChatSession``); nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, open_salon, say, start_chat
from sqlalchemy import select

from bot.chat import CHAT_BOT as BOT
from bot.chat import ChatSession
from bot.clock import FixedClock
from bot.db import Member, Salon
from bot.i18n import Translator
from bot.localrooms import LocalRooms
from bot.rooms import MODERATOR
from handlers.describe import host_labels

GHOST = "@ghost:example.org"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def chat(tmp_path: Path, clock: FixedClock) -> Iterator[ChatSession]:
    session = start_chat(tmp_path, clock=clock, rooms=LocalRooms(BOT, missing_users={GHOST}))
    yield session
    session.close()


def members(chat: ChatSession) -> dict[str, Member]:
    with chat.db.session() as session:
        return {m.user_id: m for m in session.scalars(select(Member).order_by(Member.id))}


def membership(chat: ChatSession, room: str, user: str) -> str | None:
    local = chat.rooms.room(room)
    assert local is not None
    return local.state_of(user)


def power(chat: ChatSession, room: str, user: str) -> int:
    """The person's power level in the room (0 when the room does not list them)."""
    local = chat.rooms.room(room)
    assert local is not None
    return local.power_levels.get(user, 0)


@pytest.fixture
async def room(chat: ChatSession) -> str:
    """Anna's salon »Ny legeplads«, with Anna in the room."""
    return await open_salon(chat)


async def guest(chat: ChatSession, room: str, user: str, role: str = "") -> None:
    await say(chat, ANNA, f"!salon inviter {user} {role}".strip(), room)
    await chat.join(user, room)


# ---------------------------------------------------------------------------- invite


async def test_invite_several_people_with_a_role(chat: ChatSession, room: str) -> None:
    reply = await say(chat, ANNA, f"!salon inviter {BJORN} {CARL} som politiker", room)
    assert reply.splitlines() == [
        "Inviteret:",
        f"• {BJORN} (politiker)",
        f"• {CARL} (politiker)",
        "Invitationerne venter i deres Matrix-apps.",
    ]
    assert membership(chat, room, BJORN) == membership(chat, room, CARL) == "invite"
    recorded = members(chat)
    for user in (BJORN, CARL):
        assert (recorded[user].role, recorded[user].status, recorded[user].standing) == (
            "politician", "invited", "participant")
        assert recorded[user].invited_by == ANNA


@pytest.mark.parametrize(("words", "role"), [
    ("", "citizen"), ("as citizen", "citizen"), ("as politician", "politician"),
    ("as staff", "staff"), ("som borger", "citizen"), ("som ansat", "staff"),
    ("som innbygger", "citizen"), ("som ansatt", "staff"), ("som medborgare", "citizen"),
    ("som anställd", "staff"), ("som Politiker", "politician"), ("politiker", "politician"),
])
async def test_roles_may_be_written_in_every_language(chat: ChatSession, room: str, words: str,
                                                      role: str) -> None:
    await say(chat, ANNA, f"!salon inviter {BJORN} {words}", room)
    assert members(chat)[BJORN].role == role


@pytest.mark.parametrize(("lang", "command", "lines"), [
    ("nb", f"!salon inviter {BJORN} som ansatt",
     ["Invitert:", f"• {BJORN} (ansatt)", "Invitasjonen venter i personens Matrix-app."]),
    ("sv", f"!salon bjud-in {BJORN} som anställd",
     ["Inbjudna:", f"• {BJORN} (anställd)", "Inbjudan väntar i personens Matrix-app."]),
    ("en", f"!salon invite {BJORN} as staff",
     ["Invited:", f"• {BJORN} (staff)", "The invitation is waiting in their Matrix app."]),
])
async def test_invite_in_each_language(chat: ChatSession, room: str, lang: str, command: str,
                                       lines: list[str]) -> None:
    await say(chat, ANNA, f"!salon language {lang}")
    assert (await say(chat, ANNA, command, room)).splitlines() == lines


async def test_bad_user_ids_are_explained_one_by_one_and_the_good_still_invited(
        chat: ChatSession, room: str) -> None:
    reply = await say(chat, ANNA, f"!salon inviter carl @Dorthe:example.org {BJORN} "
                                  "erik:example.org @ *!*", room)
    assert reply.splitlines() == [
        "Inviteret:",
        f"• {BJORN} (borger)",
        "Invitationen venter i personens Matrix-app.",
        "",
        "Ikke inviteret:",
        "• carl: Serverdelen mangler: mente du @carl:example.org?",
        "• @Dorthe:example.org: Matrix-id'er skrives med små bogstaver: mente du "
        "@dorthe:example.org?",
        "• erik:example.org: Der mangler et @ forrest: mente du @erik:example.org?",
        "• @: Det er ikke et Matrix-id. Skriv det som @navn:example.org.",
        "• *!*: Det er ikke et Matrix-id. Skriv det som @navn:example.org.",
    ]
    assert set(members(chat)) == {ANNA, BJORN}


async def test_inviting_people_already_there_says_so(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon inviter {CARL}", room)
    reply = await say(chat, ANNA, f"!salon inviter {BJORN} {CARL} {ANNA} {BOT}", room)
    assert reply.splitlines() == [
        "Ikke inviteret:",
        f"• {BJORN}: Er allerede med i salonen.",
        f"• {CARL}: Er allerede inviteret, men har ikke takket ja endnu.",
        f"• {ANNA}: Er allerede med i salonen.",
        f"• {BOT}: Det er mig, og jeg er her allerede.",
    ]


async def test_someone_the_server_does_not_know_is_not_invited(chat: ChatSession,
                                                               room: str) -> None:
    assert (await say(chat, ANNA, f"!salon inviter {GHOST}", room)).splitlines() == [
        "Ikke inviteret:",
        f"• {GHOST}: Jeg kan ikke finde personen på Matrix. Tjek stavningen.",
    ]
    assert GHOST not in members(chat)


async def test_someone_banned_from_the_room_is_not_invited(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    chat.rooms.ban(room, BJORN)
    await chat.sync()
    assert (await say(chat, ANNA, f"!salon inviter {BJORN}", room)).splitlines()[1] == (
        f"• {BJORN}: Serveren tillod ikke invitationen. Måske er personen udelukket fra rummet.")
    assert members(chat)[BJORN].status == "left"


async def test_someone_who_left_can_be_invited_again_with_a_new_role(chat: ChatSession,
                                                                     room: str) -> None:
    await guest(chat, room, BJORN)
    await chat.leave(BJORN, room)
    await say(chat, ANNA, f"!salon inviter {BJORN} som politiker", room)
    assert (members(chat)[BJORN].status, members(chat)[BJORN].role) == ("invited", "politician")
    assert membership(chat, room, BJORN) == "invite"
    await chat.leave(BJORN, room)
    # without a role, the one given before stays
    assert f"• {BJORN} (politiker)" in await say(chat, ANNA, f"!salon inviter {BJORN}", room)


@pytest.mark.parametrize(("args", "reply"), [
    ("", "Skriv, hvem du vil invitere, fx @navn:example.org."),
    (f"{BJORN} som", "Skriv rollen efter »som«: borger, politiker eller ansat."),
    (f"{BJORN} som borgmester",
     "»borgmester« er ikke en rolle, jeg kender. Vælg borger, politiker eller ansat."),
    (f"{BJORN} som politiker {CARL} som ansat",
     "Angiv én rolle pr. kommando: invitér politikere, ansatte og borgere hver for sig."),
])
async def test_invite_used_wrongly_explains_with_usage(chat: ChatSession, room: str, args: str,
                                                       reply: str) -> None:
    assert await say(chat, ANNA, f"!salon inviter {args}".strip(), room) == (
        reply + "\nBrug: !salon inviter @navn:server ... [som borger|politiker|ansat]")
    assert set(members(chat)) == {ANNA}


async def test_only_hosts_invite_and_the_refusal_names_them(chat: ChatSession,
                                                           room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    await guest(chat, room, CARL)
    assert await say(chat, CARL, f"!salon inviter {DORTHE}", room) == (
        f"Kun salonens værter kan bruge »inviter«: {ANNA}, {BJORN}.")
    assert DORTHE not in members(chat)


async def test_invite_outside_a_salon_says_where_it_works(chat: ChatSession) -> None:
    assert (await say(chat, ANNA, f"!salon inviter {BJORN}")).startswith(
        "»inviter« virker inde i et salonrum.")


# ---------------------------------------------------------------------------- cohost


async def test_a_host_names_a_cohost_who_then_has_the_same_rights(chat: ChatSession,
                                                                 room: str) -> None:
    await guest(chat, room, BJORN)
    assert await say(chat, ANNA, f"!salon medvært {BJORN}", room) == (
        f"{BJORN} er nu medvært og kan invitere folk, sætte emnet og lukke salonen.")
    assert power(chat, room, BJORN) == MODERATOR
    assert members(chat)[BJORN].standing == "cohost"
    assert (await say(chat, BJORN, f"!salon inviter {CARL}", room)).startswith("Inviteret")


@pytest.mark.parametrize(("lang", "command", "reply"), [
    ("nb", f"!salon medvert {BJORN}",
     f"{BJORN} er nå medvert og kan invitere folk, sette tema og lukke salongen."),
    ("sv", f"!salon medvärd {BJORN}",
     f"{BJORN} är nu medvärd och kan bjuda in folk, sätta ämnet och stänga salongen."),
    ("en", f"!salon cohost {BJORN}",
     f"{BJORN} is now co-host and may invite people, set the topic and close the salon."),
])
async def test_cohost_in_each_language(chat: ChatSession, room: str, lang: str, command: str,
                                       reply: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon language {lang}")
    assert await say(chat, ANNA, command, room) == reply


async def test_cohost_of_someone_outside_the_salon_says_invite_first(chat: ChatSession,
                                                                     room: str) -> None:
    assert await say(chat, ANNA, f"!salon medvært {CARL}", room) == (
        f"{CARL} er ikke med i salonen. Invitér personen først med !salon inviter {CARL}.")
    assert power(chat, room, CARL) == 0


async def test_cohost_of_someone_only_invited_waits_until_they_have_joined(chat: ChatSession,
                                                                          room: str) -> None:
    await say(chat, ANNA, f"!salon inviter {BJORN}", room)
    assert await say(chat, ANNA, f"!salon medvært {BJORN}", room) == (
        f"{BJORN} er inviteret, men er ikke kommet ind i salonen endnu. Når personen har taget "
        f"imod invitationen, kan du gøre vedkommende til medvært med !salon medvært {BJORN}.")
    assert members(chat)[BJORN].standing == "participant"
    assert power(chat, room, BJORN) == 0
    await chat.join(BJORN, room)
    assert (await say(chat, ANNA, f"!salon medvært {BJORN}", room)).startswith(
        f"{BJORN} er nu medvært")


async def test_cohost_twice_and_of_the_host_says_so(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    assert await say(chat, ANNA, f"!salon medvært {BJORN}", room) == (
        f"{BJORN} er allerede medvært.")
    assert await say(chat, BJORN, f"!salon medvært {ANNA}", room) == (
        f"{ANNA} er allerede salonens vært.")


@pytest.mark.parametrize(("args", "reply"), [
    ("", "Skriv den ene person, der skal være medvært, fx @navn:example.org."),
    (f"{BJORN} {CARL}", "Skriv den ene person, der skal være medvært, fx @navn:example.org."),
    ("bjorn", "bjorn: Serverdelen mangler: mente du @bjorn:example.org?"),
])
async def test_cohost_used_wrongly_explains_with_usage(chat: ChatSession, room: str, args: str,
                                                       reply: str) -> None:
    assert await say(chat, ANNA, f"!salon medvært {args}".strip(), room) == (
        reply + "\nBrug: !salon medvært @navn:server")


async def test_a_participant_may_not_name_cohosts(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    assert await say(chat, BJORN, f"!salon medvært {BJORN}", room) == (
        f"Kun salonens værter kan bruge »medvært«: {ANNA}.")
    assert members(chat)[BJORN].standing == "participant"


# ----------------------------------------------------------------------------- leave


async def test_a_participant_leaves_and_is_no_longer_counted(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    turn = await chat.say(BJORN, room, "!salon forlad")
    assert turn.text == f"{BJORN} har forladt salonen. Tak for deltagelsen!"
    [kick] = turn.changes
    assert (kick.user_id, kick.membership, kick.reason) == (
        BJORN, "leave", "Forlod salonen efter eget ønske.")
    assert membership(chat, room, BJORN) == "leave"
    assert members(chat)[BJORN].status == "left"
    assert members(chat)[BJORN].left_at == NOW
    assert "Deltagere: 1 (1 borger)" in await say(chat, ANNA, "!salon info", room)


@pytest.mark.parametrize(("lang", "command", "reply"), [
    ("nb", "!salon forlat", f"{BJORN} har forlatt salongen. Takk for deltakelsen!"),
    ("sv", "!salon lämna", f"{BJORN} har lämnat salongen. Tack för att du var med!"),
    ("en", "!salon leave", f"{BJORN} has left the salon. Thank you for taking part!"),
])
async def test_leave_in_each_language(chat: ChatSession, room: str, lang: str, command: str,
                                      reply: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, BJORN, f"!salon language {lang}")
    assert await say(chat, BJORN, command, room) == reply


async def test_the_only_host_cannot_leave_and_learns_how(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    assert await say(chat, ANNA, "!salon forlad", room) == (
        "Du er salonens eneste vært, så du kan ikke forlade den endnu. Gør først en anden til "
        "medvært med !salon medvært @navn:server, eller luk salonen med !salon luk.")
    assert membership(chat, room, ANNA) == "join"
    assert members(chat)[ANNA].status == "joined"


async def test_a_host_with_a_cohost_may_leave(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    assert (await say(chat, ANNA, "!salon forlad", room)).startswith(f"{ANNA} har forladt")
    assert (await say(chat, BJORN, "!salon info", room)).splitlines()[2] == (
        f"Værter: {BJORN} (medvært)")


async def test_a_cohost_who_never_joined_does_not_let_the_only_host_leave(
        chat: ChatSession, room: str) -> None:
    await say(chat, ANNA, f"!salon inviter {BJORN}", room)
    # A co-host named while only invited, as versions before 0.2 allowed.
    with chat.db.session() as session:
        session.scalars(select(Member).where(Member.user_id == BJORN)).one().standing = "cohost"
    assert (await say(chat, ANNA, "!salon forlad", room)).startswith(
        "Du er salonens eneste vært, så du kan ikke forlade den endnu.")
    assert membership(chat, room, ANNA) == "join"


async def test_a_host_who_leaves_and_returns_is_an_ordinary_participant(chat: ChatSession,
                                                                       room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    assert (await say(chat, ANNA, "!salon forlad", room)).startswith(f"{ANNA} har forladt")
    assert members(chat)[ANNA].standing == "participant"
    assert power(chat, room, ANNA) == 0
    await say(chat, BJORN, f"!salon inviter {ANNA}", room)
    await chat.join(ANNA, room)
    assert members(chat)[ANNA].standing == "participant"
    assert await say(chat, ANNA, "!salon luk", room) == (
        f"Kun salonens værter kan bruge »luk«: {BJORN}.")
    assert (await say(chat, BJORN, "!salon info", room)).splitlines()[2] == (
        f"Værter: {BJORN} (medvært)")


@pytest.mark.parametrize("how", ["client", "kick", "ban"])
async def test_a_cohost_who_is_gone_from_the_room_loses_the_standing(chat: ChatSession,
                                                                    room: str, how: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    if how == "client":
        await chat.leave(BJORN, room)
    elif how == "kick":  # Anna kicks him from her Matrix app
        await chat.rooms.kick(room, BJORN, reason="bye")
        await chat.sync()
    else:
        chat.rooms.ban(room, BJORN)
        await chat.sync()
    bjorn = members(chat)[BJORN]
    assert (bjorn.status, bjorn.standing) == ("left", "participant")
    local = chat.rooms.room(room)
    assert local is not None and BJORN not in local.power_levels  # the room's default again
    assert (await say(chat, ANNA, "!salon info", room)).splitlines()[2] == (
        f"Værter: {ANNA} (vært)")
    if how != "ban":
        await say(chat, ANNA, f"!salon inviter {BJORN}", room)
        await chat.join(BJORN, room)
        assert members(chat)[BJORN].standing == "participant"
        assert await say(chat, BJORN, f"!salon inviter {CARL}", room) == (
            f"Kun salonens værter kan bruge »inviter«: {ANNA}.")


async def test_the_host_may_leave_a_closed_salon(chat: ChatSession, room: str) -> None:
    await say(chat, ANNA, "!salon luk", room)
    assert (await say(chat, ANNA, "!salon forlad", room)).startswith(f"{ANNA} har forladt")


async def open_public(chat: ChatSession) -> str:
    """Anna's public salon #1 »Torvet«; Anna is only invited, as ``open`` leaves her."""
    await say(chat, ANNA, '!salon åbn "Torvet" --public')
    with chat.db.session() as session:
        return session.scalars(select(Salon.room_id)).one()


@pytest.mark.parametrize("how", ["decline", "client", "kick"])
async def test_the_last_host_who_is_gone_from_the_room_is_host_again_on_return(
        chat: ChatSession, how: str) -> None:
    room = await open_public(chat)
    if how == "decline":  # she declines the invitation ``open`` sent her
        await chat.leave(ANNA, room)
    else:
        await chat.join(ANNA, room)
        await guest(chat, room, BJORN)
        if how == "client":
            await chat.leave(ANNA, room)
        else:  # a room admin kicks her from their Matrix app
            await chat.rooms.kick(room, ANNA, reason="oops")
            await chat.sync()
    anna = members(chat)[ANNA]
    assert (anna.status, anna.standing) == ("left", "host")
    assert power(chat, room, ANNA) == MODERATOR
    if how != "decline":
        assert await say(chat, BJORN, "!salon luk", room) == (
            f"Kun salonens værter kan bruge »luk«: {ANNA}.")
        assert (await say(chat, BJORN, "!salon info", room)).splitlines()[2].startswith(
            f"Værter: {ANNA} (vært")
    await say(chat, ANNA, "!salon deltag #1")
    await chat.join(ANNA, room)
    assert (members(chat)[ANNA].status, members(chat)[ANNA].standing) == ("joined", "host")
    assert (await say(chat, ANNA, "!salon info", room)).splitlines()[2] == (
        f"Værter: {ANNA} (vært)")
    assert not (await say(chat, ANNA, "!salon luk", room)).startswith("Kun salonens værter")
    assert (await say(chat, ANNA, "!salon info", room)).splitlines()[-1] == (
        "Status: lukket den 5. marts 2026.")


async def test_of_two_hosts_who_leave_the_second_keeps_the_standing(chat: ChatSession,
                                                                    room: str) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    await chat.leave(ANNA, room)
    await chat.leave(BJORN, room)
    recorded = members(chat)
    assert (recorded[ANNA].standing, recorded[BJORN].standing) == ("participant", "cohost")
    assert power(chat, room, BJORN) == MODERATOR
    assert ANNA not in chat.rooms.room(room).power_levels  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "labels"), [
    ("da", [f"{ANNA} (vært, ikke i rummet)", f"{BJORN} (medvært)"]),
    ("nb", [f"{ANNA} (vert, ikke i rommet)", f"{BJORN} (medvert)"]),
    ("sv", [f"{ANNA} (värd, inte i rummet)", f"{BJORN} (medvärd)"]),
    ("en", [f"{ANNA} (host, not in the room)", f"{BJORN} (co-host)"]),
])
async def test_a_host_who_is_away_is_listed_as_away(chat: ChatSession, room: str, lang: str,
                                                    labels: list[str]) -> None:
    await guest(chat, room, BJORN)
    await say(chat, ANNA, f"!salon medvært {BJORN}", room)
    with chat.db.session() as session:  # as if Bjørn had become co-host after Anna left
        anna = session.scalars(select(Member).where(Member.user_id == ANNA)).one()
        anna.status = "left"
        assert host_labels(Translator(lang), anna.salon) == labels


async def test_info_marks_a_host_who_is_away(chat: ChatSession) -> None:
    room = await open_public(chat)
    await chat.join(ANNA, room)
    await guest(chat, room, BJORN)
    await chat.leave(ANNA, room)
    assert (await say(chat, BJORN, "!salon info", room)).splitlines()[2] == (
        f"Værter: {ANNA} (vært, ikke i rummet)")


class FlakyRooms(LocalRooms):
    """A homeserver that stops answering power-level changes once ``down`` is set."""

    def __init__(self, error: Exception) -> None:
        super().__init__(BOT)
        self.error = error
        self.down = False

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        if self.down:
            raise self.error
        await super().set_power_level(room_id, user_id, level)

    async def reset_power_level(self, room_id: str, user_id: str) -> None:
        if self.down:
            raise self.error
        await super().reset_power_level(room_id, user_id)


@pytest.mark.parametrize("error", [ConnectionError("reset by peer"), TimeoutError()])
@pytest.mark.parametrize("how", ["command", "client"])
async def test_a_departure_is_recorded_when_the_power_change_fails(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, error: Exception, how: str) -> None:
    rooms = FlakyRooms(error)
    chat = start_chat(tmp_path, rooms=rooms)
    try:
        room = await open_salon(chat, guests=(BJORN,))
        await say(chat, ANNA, f"!salon medvært {BJORN}", room)
        rooms.down = True
        if how == "command":
            assert (await say(chat, BJORN, "!salon forlad", room)) == (
                f"{BJORN} har forladt salonen. Tak for deltagelsen!")
        else:
            await chat.leave(BJORN, room)
        bjorn = members(chat)[BJORN]
        assert (bjorn.status, bjorn.standing) == ("left", "participant")
        assert any(BJORN in r.getMessage() and room in r.getMessage() and r.levelname == "WARNING"
                   for r in caplog.records)
    finally:
        chat.close()


# ------------------------------------------------------------------ membership events


async def test_accepting_an_invitation_makes_a_joined_member(chat: ChatSession, clock: FixedClock,
                                                             room: str) -> None:
    await say(chat, ANNA, f"!salon inviter {BJORN} som politiker", room)
    clock.advance(minutes=5)
    await chat.join(BJORN, room)
    bjorn = members(chat)[BJORN]
    assert (bjorn.status, bjorn.role) == ("joined", "politician")
    assert bjorn.joined_at == datetime(2026, 3, 5, 17, 5, tzinfo=UTC)


async def test_leaving_through_the_client_stops_membership(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    await chat.leave(BJORN, room)
    assert members(chat)[BJORN].status == "left"
    assert "Deltagere: 1 (1 borger)" in await say(chat, ANNA, "!salon info", room)
    assert await say(chat, BJORN, "!salon forlad", room) == (
        "Kun salonens deltagere kan bruge »forlad«.")


async def test_declining_an_invitation_stops_membership(chat: ChatSession, room: str) -> None:
    await say(chat, ANNA, f"!salon inviter {BJORN}", room)
    await chat.leave(BJORN, room)
    assert members(chat)[BJORN].status == "left"
    assert "inviteret, men" not in await say(chat, ANNA, "!salon info", room)


async def test_a_ban_stops_membership(chat: ChatSession, room: str) -> None:
    await guest(chat, room, BJORN)
    chat.rooms.ban(room, BJORN, reason="spam")
    await chat.sync()
    assert members(chat)[BJORN].status == "left"


async def test_people_invited_by_someone_elses_client_become_members(chat: ChatSession,
                                                                     room: str) -> None:
    await guest(chat, room, BJORN)
    await chat.rooms.invite(room, CARL)  # Bjørn invites Carl from Element, not with the bot
    await chat.join(CARL, room)
    carl = members(chat)[CARL]
    assert (carl.status, carl.role, carl.standing) == ("joined", "citizen", "participant")
    assert "Deltagere: 3 (3 borgere)" in await say(chat, ANNA, "!salon info", room)


async def test_a_repeated_join_keeps_the_first_joining_time(chat: ChatSession, clock: FixedClock,
                                                            room: str) -> None:
    await guest(chat, room, BJORN)
    clock.advance(hours=1)
    await chat.router.handle_event("member", BJORN, room, {
        "user_id": BJORN, "membership": "join", "prev_membership": "join", "event_id": "$name"})
    assert members(chat)[BJORN].joined_at == NOW


async def test_the_bots_own_membership_and_other_rooms_are_ignored(chat: ChatSession,
                                                                   room: str) -> None:
    await chat.rooms.leave(room)
    await chat.sync()
    await chat.router.handle_event("member", CARL, chat.direct_room(ANNA), {
        "user_id": CARL, "membership": "join", "prev_membership": None, "event_id": "$dm"})
    assert set(members(chat)) == {ANNA}


async def test_an_option_the_command_does_not_have_is_refused(chat: ChatSession,
                                                              room: str) -> None:
    assert (await say(chat, ANNA, f"!salon inviter {BJORN} --role politiker", room)) == (
        "Jeg kender ikke tilvalget --role.\n"
        "Brug: !salon inviter @navn:server ... [som borger|politiker|ansat]")
    assert BJORN not in members(chat)


async def test_the_last_host_gets_back_into_a_private_salon_with_join(chat: ChatSession) -> None:
    await say(chat, ANNA, '!salon åbn "Lukket kreds"')
    with chat.db.session() as session:
        room = session.scalars(select(Salon.room_id)).one()
    await chat.join(ANNA, room)
    await chat.leave(ANNA, room)

    assert "inviteret" in await say(chat, ANNA, "!salon deltag #1")
    await chat.join(ANNA, room)
    assert "lukket" in await say(chat, ANNA, '!salon luk "Tak"', room)
    # Someone who was never in it still cannot find a private salon.
    assert "kan ikke finde" in await say(chat, BJORN, "!salon deltag #1")
