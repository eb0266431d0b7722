"""The router's promises to the transport: one outcome per message, in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.chat import ChatSession
from bot.db import Salon
from bot.replies import Reply
from bot.router import Incoming
from handlers import build_registry

ANNA = "@anna:example.org"


async def test_on_commit_runs_once_in_the_handlers_transaction(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
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
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    room = chat.direct_room(ANNA)
    seen: list[list[Reply]] = []

    def record(_session: Session, replies: list[Reply]) -> None:
        seen.append(replies)

    assert await chat.router.handle(Incoming(ANNA, room, "hej med dig", "$2"), record) == []
    broken = await chat.router.handle(Incoming(ANNA, room, '!salon open "Ny', "$3"), record)
    assert "anførselstegn" in broken[0].body
    assert [len(r) for r in seen] == [0, 1]


async def _say(chat: ChatSession, text: str, lang: str | None = None) -> str:
    room = chat.direct_room(ANNA)
    if lang:
        await chat.say(ANNA, room, f"!salon language {lang}")
    return (await chat.say(ANNA, room, text)).text


def _salons(chat: ChatSession) -> list[Salon]:
    with chat.db.session() as session:
        return list(session.scalars(select(Salon).order_by(Salon.id)))


async def test_an_unknown_option_at_the_end_is_named_with_the_usage(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    assert await _say(chat, '!salon åbn "Torvet" --pubic') == (
        "Jeg kender ikke tilvalget --pubic.\n"
        'Brug: !salon åbn "<titel>" [--public] [--topic "<tekst>"]')
    assert await _say(chat, '!salon open "Torvet" --colour', "en") == (
        "I don't know the option --colour.\n"
        'Usage: !salon open "<title>" [--public] [--topic "<text>"]')
    assert _salons(chat) == []


async def test_a_value_option_without_its_value_says_so(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    assert await _say(chat, '!salon öppna "Torget" --topic', "sv") == (
        "Alternativet --topic behöver ett värde efter sig.\n"
        'Användning: !salon öppna "<titel>" [--public] [--topic "<text>"]')
    assert _salons(chat) == []


@pytest.mark.parametrize("dash", ["—", "–"])
async def test_options_typed_with_phone_dashes_work(tmp_path: Path, dash: str) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    reply = await _say(chat, f'!salon åbn "Torvet" {dash}public {dash}topic "Bænke og træer"')
    assert reply.startswith("Din salon #1")
    [salon] = _salons(chat)
    assert salon.title == "Torvet" and salon.is_public and salon.topic == "Bænke og træer"


@pytest.mark.parametrize("verb", ["aabn", "abn", "ÅBN", "Åbn", "oppna", "ÖPPNA", "apne"])
async def test_open_is_found_however_its_nordic_letters_are_typed(tmp_path: Path,
                                                                  verb: str) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    reply = await _say(chat, f'!salon {verb} "Torvet"')
    assert reply.startswith("Din salon #1"), reply
    assert [s.title for s in _salons(chat)] == ["Torvet"]


@pytest.mark.parametrize("verb", ["invitér", "inviter", "INVITÉR", "bjud-in"])
def test_invite_has_its_danish_spellings(tmp_path: Path, verb: str) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    spec = chat.router.registry.resolve(verb)
    assert spec is not None and spec.name == "invite"
    assert "invitér" in spec.aliases["da"]


async def test_an_unclosed_quote_shows_the_typed_command_not_another_one(
        tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    assert await _say(chat, '!salon emne "Bænke') == (
        "Et anførselstegn er ikke lukket. Sæt tekst med mellemrum i anførselstegn, sådan her: "
        '!salon emne "tekst med mellemrum" Skriv !salon hjælp for at se alle kommandoer.')
    assert await _say(chat, '!salon topic "Benches', "en") == (
        "A quotation mark is not closed. Put text with spaces in quotes, like this: "
        '!salon topic "text with spaces" Write !salon help to see all commands.')


async def test_a_salon_command_outside_a_salon_names_no_other_command(tmp_path: Path) -> None:
    chat = ChatSession(f"sqlite:///{tmp_path / 'salonbot.db'}", registry=build_registry())
    assert await _say(chat, '!salon emne "Bænke"') == (
        "»emne« virker inde i et salonrum. Skriv den der, eller skriv !salon hjælp for at se, "
        "hvad der virker her.")
