"""`help`, `language`, verb aliases and the router's own replies, as a person sees them.

Everything runs through the real router and registry, ``LocalRooms`` and a migrated SQLite
database (``bot.chat.ChatSession``); nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, NOW, chat_config_with, open_salon, say, start_chat

from bot.chat import ChatSession, chat_config
from bot.config import parse_config
from bot.db import Salon, UserSetting


def start(tmp_path: Path, lang: str | None = None) -> ChatSession:
    return start_chat(tmp_path, chat_config(lang))


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[ChatSession]:
    session = start(tmp_path)
    yield session
    session.close()


# ------------------------------------------------------------------------------ help


async def test_help_lists_the_verbs_in_danish_with_their_english_names(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon hjælp")
    assert text.startswith("Det kan jeg (skriv !salon og så kommandoen):")
    assert "Overalt (også når du skriver direkte til mig):" in text
    assert "I et salonrum:" in text
    for line in ("• åbn (open): Åbner en ny salon", "• liste (list):", "• deltag (join):",
                 "• sprog (language):", "• info: Fortæller", "• emne (topic):",
                 "• inviter (invite):", "• medvært (cohost):", "• forlad (leave):",
                 "• luk (close):"):
        assert line in text
    assert "fx !salon hjælp åbn" in text


async def test_help_keeps_staff_commands_away_from_citizens(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon help")
    assert "medarbejderrum" not in text


async def test_the_bare_prefix_answers_with_help(chat: ChatSession) -> None:
    assert (await say(chat, ANNA, "!salon")).startswith("Det kan jeg")


@pytest.mark.parametrize(("lang", "first_line", "open_line"), [
    ("nb", "Dette kan jeg (skriv !salon og så kommandoen):", "• åpne (open): Åpner en ny salong"),
    ("sv", "Det här kan jag (skriv !salon och sedan kommandot):",
     "• öppna (open): Öppnar en ny salong"),
    ("en", "What I can do (write !salon and then the command):",
     "• open: Opens a new salon with its own room"),
])
async def test_help_in_each_language(chat: ChatSession, lang: str, first_line: str,
                                     open_line: str) -> None:
    await say(chat, ANNA, f"!salon language {lang}")
    text = await say(chat, ANNA, "!salon help")
    assert text.startswith(first_line)
    assert open_line in text


async def test_help_for_one_verb_gives_usage_explanation_and_who_may(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon hjælp luk")
    assert text.splitlines() == [
        "luk (close, lukk, stäng)",
        "Lukker salonen, gerne med nogle afsluttende ord",
        'Brug: !salon luk ["<afsluttende ord>"]',
        "Virker i et salonrum, for salonens værter og medværter.",
    ]


async def test_help_understands_a_verb_in_another_language(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon hjælp öppna")
    assert 'Brug: !salon åbn "<titel>" [--public] [--topic "<tekst>"]' in text
    assert "Virker overalt, for alle." in text


async def test_help_for_an_unknown_verb_suggests_the_nearest(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon hjælp åben")
    assert text == ("Jeg kender ikke kommandoen »åben«. Mente du »!salon åbn«? "
                    "Skriv !salon hjælp for at se alle kommandoer.")


async def test_an_unknown_verb_gets_a_suggestion_in_the_users_language(chat: ChatSession) -> None:
    await say(chat, ANNA, "!salon språk nb")
    text = await say(chat, ANNA, "!salon inviterr")
    assert text == ("Jeg kjenner ikke kommandoen «inviterr». Mente du «!salon inviter»? "
                    "Skriv !salon hjelp for å se alle kommandoene.")


# --------------------------------------------------------------------------- aliases

ALIASES = {
    "help": {"da": "hjælp", "nb": "hjelp", "sv": "hjälp"},
    "language": {"da": "sprog", "nb": "språk", "sv": "språk"},
    "open": {"da": "åbn", "nb": "åpne", "sv": "öppna"},
    "list": {"da": "liste", "nb": "liste", "sv": "lista"},
    "join": {"da": "deltag", "nb": "bli-med", "sv": "gå-med"},
    "info": {"da": "info", "nb": "info", "sv": "info"},
    "topic": {"da": "emne", "nb": "tema", "sv": "ämne"},
    "invite": {"da": "inviter", "nb": "inviter", "sv": "bjud-in"},
    "cohost": {"da": "medvært", "nb": "medvert", "sv": "medvärd"},
    "leave": {"da": "forlad", "nb": "forlat", "sv": "lämna"},
    "close": {"da": "luk", "nb": "lukk", "sv": "stäng"},
}


@pytest.mark.parametrize(("verb", "lang"), [(v, lang) for v in ALIASES for lang in
                                             ("da", "nb", "sv")])
async def test_every_verb_has_an_alias_in_every_language(chat: ChatSession, verb: str,
                                                         lang: str) -> None:
    """``help <alias>`` shows the verb's usage, written with the alias of the reader's language."""
    await say(chat, ANNA, f"!salon language {lang}")
    alias = ALIASES[verb][lang]
    text = await say(chat, ANNA, f"!salon help {alias.upper()}")
    assert text.splitlines()[0].split(" (")[0] == alias
    assert f"!salon {alias}" in text.splitlines()[2]
    spec = chat.router.registry.resolve(alias)
    assert spec is not None and spec.name == verb


# -------------------------------------------------------------------------- language


async def test_language_is_remembered_and_the_answer_is_already_in_it(tmp_path: Path) -> None:
    chat = start(tmp_path)
    assert await say(chat, ANNA, "!salon sprog sv") == (
        "Från och med nu skriver jag till dig på svenska.")
    assert (await say(chat, ANNA, "!salon")).startswith("Det här kan jag")
    assert (await say(chat, BJORN, "!salon")).startswith("Det kan jeg")
    chat.close()

    again = start(tmp_path)
    assert (await say(again, ANNA, "!salon")).startswith("Det här kan jag")
    with again.db.session() as session:
        setting = session.get(UserSetting, ANNA)
        assert setting is not None and setting.language == "sv"
        assert setting.updated_at == NOW
    again.close()


@pytest.mark.parametrize(("word", "reply"), [
    ("norsk", "Fra nå av skriver jeg til deg på norsk bokmål."),
    ("NO", "Fra nå av skriver jeg til deg på norsk bokmål."),
    ("English", "From now on I write to you in English."),
    ("da", "Fra nu af skriver jeg til dig på dansk."),
])
async def test_language_accepts_names_and_codes(chat: ChatSession, word: str, reply: str) -> None:
    assert await say(chat, ANNA, f"!salon sprog {word}") == reply


async def test_an_unknown_language_says_which_exist_and_how(chat: ChatSession) -> None:
    text = await say(chat, ANNA, "!salon sprog fransk")
    assert text == ("Jeg kender ikke sproget »fransk«. Vælg da (dansk), nb (norsk bokmål), "
                    "sv (svenska) eller en (English).\nBrug: !salon sprog da|nb|sv|en [--room]")
    with chat.db.session() as session:
        assert session.get(UserSetting, ANNA) is None


async def test_language_without_a_choice_tells_the_current_one(chat: ChatSession) -> None:
    assert await say(chat, ANNA, "!salon sprog") == (
        "Jeg skriver til dig på dansk. Vælg da (dansk), nb (norsk bokmål), sv (svenska) eller "
        "en (English).")


async def test_the_configured_default_language_is_used_for_newcomers(tmp_path: Path) -> None:
    chat = start(tmp_path, lang="en")
    assert (await say(chat, ANNA, "!salon")).startswith("What I can do")
    chat.close()


async def test_a_host_sets_the_salon_language_for_everyone_without_their_own(
        chat: ChatSession) -> None:
    room = await open_salon(chat)
    await say(chat, ANNA, f"!salon invite {BJORN} {CARL}", room)
    await chat.join(BJORN, room)
    await chat.join(CARL, room)
    await say(chat, CARL, "!salon language en")

    assert await say(chat, ANNA, "!salon sprog nb --room", room) == (
        "Nå snakker salongen norsk bokmål. Alle kan fortsatt velge sitt eget språk med "
        "!salon språk.")
    assert (await say(chat, BJORN, "!salon info", room)).startswith("#1 «Ny legeplads»")
    assert (await say(chat, CARL, "!salon info", room)).startswith("#1 “Ny legeplads”")
    # the person's own choice still wins, and outside the salon nothing changed for Bjørn
    assert (await say(chat, BJORN, "!salon")).startswith("Det kan jeg")


async def test_only_hosts_set_the_salon_language(chat: ChatSession) -> None:
    room = await open_salon(chat)
    await say(chat, ANNA, f"!salon invite {BJORN}", room)
    await chat.join(BJORN, room)
    assert await say(chat, BJORN, "!salon sprog sv --room", room) == (
        "Kun salonens værter kan ændre rummets sprog. Du kan vælge dit eget med "
        "!salon sprog sv.")
    assert await say(chat, ANNA, "!salon sprog sv --room") == (
        "--room virker i et salonrum eller et rum, du deler med andre: der vælger den sproget "
        "for alle, der ikke selv har valgt et. Her vælger !salon sprog sv dit eget.")
    with chat.db.session() as session:
        assert session.get(Salon, 1).language == "da"
        assert session.get(UserSetting, ANNA) is None


async def test_staff_set_the_language_of_a_shared_room_that_is_no_salon(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, chat_config_with(bot={"staff": [CARL]}))
    lobby = "!lobby:chat"  # a room the bot is in that is neither a salon nor a direct chat
    assert await say(chat, ANNA, "!salon sprog sv --room", lobby) == (
        "Kun kommunens medarbejdere kan ændre sproget i et rum, der ikke er en salon. Du kan "
        "vælge dit eget med !salon sprog sv.")
    assert await say(chat, CARL, "!salon sprog sv --room", lobby) == (
        "Nu talar rummet svenska. Alla kan fortfarande välja sitt eget språk med !salon språk.")
    await say(chat, BJORN, "!salon language en")
    assert (await say(chat, ANNA, "!salon", lobby)).startswith("Det här kan jag")
    assert (await say(chat, BJORN, "!salon", lobby)).startswith("What I can do")
    assert (await say(chat, ANNA, "!salon")).startswith("Det kan jeg"), "not in her direct chat"
    with chat.db.session() as session:
        assert session.get(UserSetting, CARL) is None
    chat.close()


# ---------------------------------------------------------------- the router's replies


async def test_an_unclosed_quote_explains_quoting(chat: ChatSession) -> None:
    text = await say(chat, ANNA, '!salon åbn "Ny legeplads')
    assert text.startswith("Et anførselstegn er ikke lukket. Sæt tekst med mellemrum i "
                           "anførselstegn, sådan her: ")
    assert text.endswith("Skriv !salon hjælp for at se alle kommandoer.")


async def test_a_salon_command_outside_a_salon_says_where_it_works(chat: ChatSession) -> None:
    assert await say(chat, ANNA, "!salon emne \"Bænke\"") == (
        "»emne« virker inde i et salonrum. Skriv den der, eller skriv !salon hjælp for at se, "
        "hvad der virker her.")


async def test_people_outside_allowed_users_are_turned_away_politely(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, chat_config_with(bot={"allowed_users": [r"@.*:example\.org"]}))
    stranger = "@eve:elsewhere.net"
    assert await say(chat, stranger, '!salon åbn "Min salon"') == (
        "Beklager, denne bot hjælper kun de personer, den er sat op til.")
    assert len(chat.rooms.rooms) == 1  # only the stranger's direct chat; no salon room
    chat.close()


async def test_by_default_only_the_bots_own_homeserver_is_served(tmp_path: Path) -> None:
    config = parse_config({"matrix": {"homeserver": "https://matrix.example.org",
                                      "user_id": "@salonbot:example.org",
                                      "access_token": "unused"}}, environ={})
    chat = start_chat(tmp_path, config)
    for stranger in ("@eve:elsewhere.net", "@eve:example.org.evil.net", "@eve:exampleXorg"):
        assert await say(chat, stranger, '!salon åbn "Min salon"') == (
            "Beklager, denne bot hjælper kun de personer, den er sat op til."), stranger
    assert (await say(chat, ANNA, '!salon åbn "Min salon"')).startswith("Din salon #1")
    chat.close()


async def test_the_terminal_chat_serves_whoever_types(tmp_path: Path) -> None:
    chat = start_chat(tmp_path, chat_config())
    assert (await say(chat, "@me:local", '!salon åbn "Min salon"')).startswith("Din salon #1")
    chat.close()


async def test_ordinary_chat_is_not_answered(chat: ChatSession) -> None:
    assert await say(chat, ANNA, "hej med dig, salon") == ""
