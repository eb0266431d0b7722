"""The one command parser, as people really type on phones and desktops."""

from __future__ import annotations

import pytest

from bot.parser import ParseError, fold_verb, parse, typed_verb

FLAGS = frozenset({"public"})
VALUES = frozenset({"topic"})


def test_not_for_the_bot() -> None:
    assert parse("hello everyone", "!salon") is None
    assert parse("!salonbot is nice", "!salon") is None
    assert parse("see !salon open", "!salon") is None


def test_quoted_title_with_options_anywhere() -> None:
    cmd = parse(
        '!salon open "Ny legeplads i Hørning" --public --topic "Hvor skal den ligge?"',
        "!salon",
        FLAGS,
        VALUES,
    )
    assert cmd is not None
    assert cmd.verb == "open"
    assert cmd.args == ("Ny legeplads i Hørning",)
    assert cmd.options == {"public": True, "topic": "Hvor skal den ligge?"}


@pytest.mark.parametrize(
    "body",
    [
        "!salon open „Ny legeplads“",
        "!salon open “Ny legeplads”",
        "!salon open «Ny legeplads»",
        "!salon open ”Ny legeplads”",
    ],
)
def test_typographic_quotes_from_phones_group_words(body: str) -> None:
    cmd = parse(body, "!salon", FLAGS)
    assert cmd is not None and cmd.args == ("Ny legeplads",)


def test_apostrophes_are_letters_and_prefix_is_case_insensitive() -> None:
    cmd = parse("!Salon  IDEA  let's meet at Anna's café", "!salon")
    assert cmd is not None
    assert cmd.verb == "idea"
    assert cmd.args == ("let's", "meet", "at", "Anna's", "café")
    assert cmd.rest == "let's meet at Anna's café"


def test_bare_prefix_is_an_empty_verb_and_other_prefixes_work() -> None:
    cmd = parse("!salon", "!salon")
    assert cmd is not None and cmd.verb == ""
    cmd = parse("?s list", "?s")
    assert cmd is not None and cmd.verb == "list"


def test_unclosed_quote_and_missing_option_value_are_errors() -> None:
    with pytest.raises(ParseError) as err:
        parse('!salon open "Ny legeplads', "!salon", FLAGS, VALUES)
    assert err.value.reason == "unclosed-quote"
    with pytest.raises(ParseError) as err:
        parse('!salon open "Ny" --topic', "!salon", FLAGS, VALUES)
    assert err.value.reason == "option-needs-value:topic"
    with pytest.raises(ParseError) as err:
        parse('!salon open "Ny" --topic --public', "!salon", FLAGS, VALUES)
    assert err.value.reason == "option-needs-value:topic"


@pytest.mark.parametrize("body", ['!salon open "Ny" --pubic', '!salon open --pubic "Ny"',
                                  '!salon open "Ny" —colour red'])
def test_an_unknown_option_is_named_wherever_it_stands(body: str) -> None:
    with pytest.raises(ParseError) as err:
        parse(body, "!salon", FLAGS, VALUES)
    assert err.value.reason in ("unknown-option:pubic", "unknown-option:colour")


@pytest.mark.parametrize("dash", ["—", "–"])
def test_phone_dashes_at_the_start_of_a_word_are_double_hyphens(dash: str) -> None:
    cmd = parse(f'!salon open "Ny legeplads" {dash}public {dash}topic „Hvor skal den ligge?“',
                "!salon", FLAGS, VALUES)
    assert cmd is not None
    assert cmd.args == ("Ny legeplads",)
    assert cmd.options == {"public": True, "topic": "Hvor skal den ligge?"}


def test_dashes_inside_words_or_on_their_own_are_text() -> None:
    cmd = parse("!salon idea børn — og voksne – skal med, 5–7 år, x—public", "!salon",
                FLAGS, VALUES)
    assert cmd is not None and cmd.options == {}
    assert cmd.args == ("børn", "—", "og", "voksne", "–", "skal", "med,", "5–7", "år,",
                        "x—public")


@pytest.mark.parametrize("typed", ["åbn", "ÅBN", "Åbn", "aabn", "abn", "AABN"])
def test_danish_open_however_it_is_typed(typed: str) -> None:
    assert fold_verb(typed) == fold_verb("åbn")


@pytest.mark.parametrize(("typed", "word"), [
    ("oppna", "öppna"), ("oeppna", "öppna"), ("Öppna", "öppna"), ("apne", "åpne"),
    ("hjaelp", "hjælp"), ("hjalp", "hjälp"), ("medvaert", "medvært"), ("invitér", "inviter"),
    ("INVITÉR", "inviter"), ("lamna", "lämna"), ("stang", "stäng"),
])
def test_verbs_fold_accents_and_nordic_letters(typed: str, word: str) -> None:
    assert fold_verb(typed) == fold_verb(word)


def test_folding_keeps_different_verbs_apart() -> None:
    words = ["open", "åbn", "list", "liste", "join", "deltag", "info", "topic", "emne",
             "close", "luk", "invite", "inviter", "cohost", "medvært", "leave", "forlad",
             "help", "hjælp", "language", "sprog"]
    assert len({fold_verb(w) for w in words}) == len(words)


def test_the_typed_verb_is_found_even_when_the_quotes_are_broken() -> None:
    assert typed_verb('!salon Emne "Bænke', "!salon") == "emne"
    assert typed_verb('!salon „open', "!salon") == "open"
    assert typed_verb("!salon", "!salon") == ""


@pytest.mark.parametrize("quoted", ['"—Hvorfor ikke?"', "“--public”", '"–topic"'])
def test_quoted_text_that_starts_with_a_dash_is_text_not_an_option(quoted: str) -> None:
    cmd = parse(f"!salon topic {quoted}", "!salon", FLAGS, VALUES)
    assert cmd is not None
    assert cmd.options == {}
    assert cmd.args == (quoted.strip('"“”'),)


def test_a_quoted_value_may_start_with_a_dash() -> None:
    cmd = parse('!salon open "Park" --topic "—og hvad så?"', "!salon", FLAGS, VALUES)
    assert cmd is not None and cmd.options == {"topic": "—og hvad så?"}


def test_no_break_spaces_from_phones_separate_words() -> None:
    cmd = parse("!salon\u00a0open\u00a0Park\u00a0--public", "!salon", FLAGS, VALUES)
    assert cmd is not None
    assert (cmd.verb, cmd.args, cmd.options) == ("open", ("Park",), {"public": True})
