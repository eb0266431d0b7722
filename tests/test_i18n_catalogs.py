"""Every string a user can see is translated into Danish, Norwegian Bokmål and Swedish.

The message ids are extracted from the code exactly as a translator's tools would (Babel,
keywords ``_``, ``N_`` and ``ngettext``), so a new string without a translation, a
translation that lost a ``{placeholder}``, or one message defined in two catalogs fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED = ("da", "nb", "sv")
PLACEHOLDER = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")

MessageId = str | tuple[str, ...]


@cache
def extracted() -> dict[MessageId, str]:
    """Every message id in the code, with the first file that uses it."""
    found: dict[MessageId, str] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            with path.open("rb") as source:
                for _, message, _, _ in extract("python", source, keywords=KEYWORDS):
                    found.setdefault(message, str(path.relative_to(ROOT)))
    return found


@cache
def catalogs(lang: str) -> dict[str, Catalog]:
    result = {}
    for po_path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with po_path.open("rb") as po_file:
            result[po_path.name] = read_po(po_file, locale=lang)
    return result


def messages(lang: str) -> Iterator[tuple[str, Message]]:
    for name, catalog in catalogs(lang).items():
        for message in catalog:
            if message.id:
                yield name, message


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_code_has_messages_to_check() -> None:
    assert "Usage: {usage}" in extracted()
    assert ("{n} citizen", "{n} citizens") in extracted()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_exists_and_declares_utf8_and_plurals(lang: str) -> None:
    assert {"core.po", "salons.po"} <= set(catalogs(lang))
    for name in catalogs(lang):
        header = (LOCALE_DIR / lang / name).read_text(encoding="utf-8")
        assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header, name
        assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header, name


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_in_the_code_is_translated(lang: str) -> None:
    translations = {message.id: message.string for _, message in messages(lang)}
    missing = []
    for msgid, where in extracted().items():
        string = translations.get(msgid)
        forms = string if isinstance(string, tuple | list) else (string,)
        if not all(forms):
            missing.append(f"{where}: {msgid!r}")
    assert not missing, f"{len(missing)} messages lack a {lang} translation:\n" + "\n".join(
        missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang: str) -> None:
    wrong = []
    for name, message in messages(lang):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (
            message.string,)
        expected = set().union(*(placeholders(i) for i in ids))
        filled = [s for s in strings if s]
        if not filled:
            continue
        # A singular form may leave out the number ("one citizen"); nothing may be invented,
        # and the plural form must carry everything.
        if any(placeholders(s) - expected for s in filled) or placeholders(filled[-1]) != (
                expected if len(ids) == 1 else placeholders(ids[-1])):
            wrong.append(f"{name}: {ids[0]!r} -> {filled!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_defined_in_two_catalogs(lang: str) -> None:
    first: dict[MessageId, str] = {}
    twice = []
    for name, message in messages(lang):
        if message.id in first:
            twice.append(f"{message.id!r} in {first[message.id]} and {name}")
        first.setdefault(message.id, name)
    assert not twice, "defined twice:\n" + "\n".join(twice)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_plural_messages_have_both_forms(lang: str) -> None:
    for name, message in messages(lang):
        if message.pluralizable:
            assert len(message.string) == 2 and all(message.string), (name, message.id)
