"""The one command parser, as people really type on phones and desktops."""

from __future__ import annotations

import pytest

from bot.parser import ParseError, parse

FLAGS = frozenset({"public"})


def test_not_for_the_bot() -> None:
    assert parse("hello everyone", "!salon") is None
    assert parse("!salonbot is nice", "!salon") is None
    assert parse("see !salon open", "!salon") is None


def test_quoted_title_with_options_anywhere() -> None:
    cmd = parse(
        '!salon open "Ny legeplads i Hørning" --public --topic "Hvor skal den ligge?"',
        "!salon",
        FLAGS,
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
        parse('!salon open "Ny legeplads', "!salon", FLAGS)
    assert err.value.reason == "unclosed-quote"
    with pytest.raises(ParseError) as err:
        parse('!salon open "Ny" --topic', "!salon", FLAGS)
    assert err.value.reason == "option-needs-value:topic"
