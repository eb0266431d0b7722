"""The one permission check (``bot.permissions.refusal``) for every scope and permission.

The shipped commands that need a host or a member all work only in a salon room, so the
checks for commands that work anywhere, and for the staff room, are driven here with
test-only commands added to the real registry, through the real router (``ChatSession``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_helpers import (
    ANNA,
    BJORN,
    CARL,
    DORTHE,
    chat_config_with,
    make_staff_room,
    open_salon,
    say,
    start_chat,
)

from bot.chat import ChatSession
from bot.commands import CommandSpec, Permission, Registry, Scope
from bot.context import Context
from bot.parser import ParsedCommand
from bot.replies import Reply
from handlers import build_registry

STAFF = CARL


async def _done(command: ParsedCommand, ctx: Context) -> Reply:
    return Reply(f"done: {command.verb} by {ctx.sender}")


def _registry() -> Registry:
    registry = build_registry()
    for name, scope, permission in (
        ("stafftest", Scope.STAFF_ROOM, Permission.STAFF),
        ("staffanywhere", Scope.ANYWHERE, Permission.STAFF),
        ("staffroomtest", Scope.STAFF_ROOM, Permission.ANYONE),
        ("hosttest", Scope.ANYWHERE, Permission.HOST),
        ("membertest", Scope.ANYWHERE, Permission.MEMBER),
    ):
        registry.add(CommandSpec(name=name, handler=_done, usage=f"{{prefix}} {name}",
                                 summary=name, scope=scope, permission=permission))
    return registry


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChatSession]:
    config = chat_config_with(bot={"staff": [STAFF], "default_language": "en"})
    session = start_chat(tmp_path, config, registry=_registry())
    yield session
    session.close()


@pytest.fixture
async def staff_room(chat: ChatSession) -> str:
    """The staff room, shared by the staff member and a citizen who wandered in."""
    return await make_staff_room(chat, STAFF, DORTHE)


STAFF_ROOM_ONLY = "“{verb}” works only in the municipality's staff room."
STAFF_ONLY = "Only the municipality's staff may use “{verb}”."
HOSTS_IN_A_SALON = ("Only a salon's hosts may use “hosttest”, and only in the salon's room. "
                    "Write it there, or write !salon help to see what works here.")
MEMBERS_IN_A_SALON = ("Only a salon's participants may use “membertest”, and only in the "
                      "salon's room. Write it there, or write !salon help to see what works here.")


# ------------------------------------------------------------------------------ staff


async def test_a_staff_command_by_someone_not_staff_is_refused_in_the_staff_room(
        chat: ChatSession, staff_room: str) -> None:
    assert await say(chat, DORTHE, "!salon stafftest", staff_room) == STAFF_ONLY.format(
        verb="stafftest")
    assert await say(chat, DORTHE, "!salon staffanywhere", staff_room) == STAFF_ONLY.format(
        verb="staffanywhere")
    # Anyone in the staff room may use what is meant for everyone there.
    assert await say(chat, DORTHE, "!salon staffroomtest", staff_room) == (
        f"done: staffroomtest by {DORTHE}")


async def test_staff_outside_the_staff_room_are_refused_and_told_where(
        chat: ChatSession, staff_room: str) -> None:
    salon_room = await open_salon(chat, host=ANNA, guests=(STAFF,))
    for room in (None, salon_room):
        assert await say(chat, STAFF, "!salon stafftest", room) == STAFF_ROOM_ONLY.format(
            verb="stafftest")
        assert await say(chat, STAFF, "!salon staffroomtest", room) == STAFF_ROOM_ONLY.format(
            verb="staffroomtest")
    # Someone who is not staff, outside the staff room, learns first where it works.
    assert await say(chat, DORTHE, "!salon stafftest") == STAFF_ROOM_ONLY.format(
        verb="stafftest")


async def test_staff_in_the_staff_room_may_use_staff_commands_but_not_a_hosts(
        chat: ChatSession, staff_room: str) -> None:
    assert await say(chat, STAFF, "!salon stafftest", staff_room) == (
        f"done: stafftest by {STAFF}")
    assert await say(chat, STAFF, "!salon staffanywhere", staff_room) == (
        f"done: staffanywhere by {STAFF}")
    assert await say(chat, STAFF, "!salon staffanywhere") == f"done: staffanywhere by {STAFF}"
    # The staff room is no salon: nobody there is a host or a participant of one.
    assert await say(chat, STAFF, "!salon hosttest", staff_room) == HOSTS_IN_A_SALON
    assert await say(chat, STAFF, "!salon membertest", staff_room) == MEMBERS_IN_A_SALON


# ------------------------------------------------------------------------------ host, member


async def test_a_host_only_command_that_works_anywhere_needs_a_host_of_this_salon(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat, host=ANNA, guests=(BJORN,))
    # Anna hosts a salon, but a direct chat or the staff room is not that salon.
    assert await say(chat, ANNA, "!salon hosttest") == HOSTS_IN_A_SALON
    assert await say(chat, DORTHE, "!salon hosttest", staff_room) == HOSTS_IN_A_SALON
    refused = f"Only the salon's hosts may use “hosttest”: {ANNA}."
    assert await say(chat, BJORN, "!salon hosttest", room) == refused
    assert await say(chat, DORTHE, "!salon hosttest", room) == refused
    assert await say(chat, ANNA, "!salon hosttest", room) == f"done: hosttest by {ANNA}"


async def test_a_member_only_command_that_works_anywhere_needs_a_member_of_this_salon(
        chat: ChatSession, staff_room: str) -> None:
    room = await open_salon(chat, host=ANNA, guests=(BJORN,))
    assert await say(chat, BJORN, "!salon membertest") == MEMBERS_IN_A_SALON
    assert await say(chat, DORTHE, "!salon membertest", staff_room) == MEMBERS_IN_A_SALON
    assert await say(chat, DORTHE, "!salon membertest", room) == (
        "Only the salon's participants may use “membertest”.")
    assert await say(chat, BJORN, "!salon membertest", room) == f"done: membertest by {BJORN}"


@pytest.mark.parametrize(("lang", "verb", "expected"), [
    ("da", "hosttest", "Kun en salons værter kan bruge »hosttest«, og kun i salonens rum. "
                       "Skriv den der, eller skriv !salon hjælp for at se, hvad der virker her."),
    ("nb", "membertest", "Bare en salongs deltakere kan bruke «membertest», og bare i "
                         "salongens rom. Skriv den der, eller skriv !salon hjelp for å se hva "
                         "som virker her."),
    ("sv", "hosttest", "Bara en salongs värdar kan använda ”hosttest”, och bara i salongens "
                       "rum. Skriv det där, eller skriv !salon hjälp för att se vad som "
                       "fungerar här."),
])
async def test_the_refusal_outside_a_salon_is_in_the_persons_language(
        chat: ChatSession, lang: str, verb: str, expected: str) -> None:
    await say(chat, BJORN, f"!salon language {lang}")
    assert await say(chat, BJORN, f"!salon {verb}") == expected
