"""The rendered summary: the reader's language, three formats, and user text kept as text."""

from __future__ import annotations

import dataclasses
import html
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from summariser_helpers import danish_salon, msg, swedish_salon

from bot.summariser import Summary, render, summarise

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = {
    "da": ("Opsummering af samtalen", "Hovedpunkter", "Åbne spørgsmål", "Hvem deltog"),
    "nb": ("Oppsummering av samtalen", "Hovedpunkter", "Åpne spørsmål", "Hvem deltok"),
    "sv": ("Sammanfattning av samtalet", "Huvudpunkter", "Öppna frågor", "Vem deltog"),
    "en": ("Summary of the discussion", "Key points", "Open questions", "Who took part"),
}


@pytest.fixture(scope="module")
def summary() -> Summary:
    return summarise(danish_salon(), points=5)


@pytest.mark.parametrize("lang", ["da", "nb", "sv", "en"])
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_headings_are_in_the_readers_language(summary: Summary, fmt: str, lang: str) -> None:
    out = render(summary, fmt, lang)
    for heading in HEADINGS[lang]:
        assert html.escape(heading) in out
    if lang != "en":
        assert "Key points" not in out and "Open questions" not in out
    # the discussion itself stays in the language it was written in
    assert "cykelsti" in out


def test_text_lists_every_section(summary: Summary) -> None:
    out = render(summary, "text", "da")
    assert "1. Der mangler en sikker cykelsti langs Skolevej" in out
    assert "(nævnt i 3 beskeder)" in out
    assert "Nøgleord" in out and "Skolevej" in out
    assert "Punkter fra referatet" in out and "Forslag:" in out and "Idéer:" in out
    assert "- Kan bus 12 ikke køre helt op til skolen" in out
    assert "Det er mange enige om" in out and "(8 er for)" in out
    assert "Det er der uenighed om" in out and "(1 er for, 4 er imod)" in out
    assert "- Borgere: 23 beskeder fra 13 personer" in out
    assert "- Politikere: 1 besked fra 1 person" in out
    assert "28 beskeder fra 16 personer, 13. marts 2025." in out
    assert "Den mest aktive person skrev 14\xa0% af beskederne." in out
    assert "Sprog: dansk (28)" in out


def test_markdown_structure(summary: Summary) -> None:
    out = render(summary, "md", "sv")
    assert out.startswith("# Sammanfattning av samtalet\n")
    assert "\n## Huvudpunkter\n\n1. " in out
    assert "\n### Förslag\n\n- " in out
    assert "(8 är för)" in out and "(1 är för, 4 är emot)" in out


def test_html_structure(summary: Summary) -> None:
    out = render(summary, "html", "nb")
    assert out.startswith("<h1>Oppsummering av samtalen</h1>")
    assert "<h2>Hovedpunkter</h2>\n<ol><li>Der mangler en sikker cykelsti" in out
    assert "<h3>Forslag</h3>" in out
    assert out.count("<li>") >= 10


def test_user_text_cannot_inject_markup() -> None:
    nasty = msg("x", "a", "<script>alert(1)</script> # Overskrift [link](http://evil) **fed** "
                          "skal ikke virke i referatet om cykelstier", 0)
    summary = summarise([nasty], points=1)
    out_html = render(summary, "html", "da")
    assert "<script>" not in out_html and "&lt;script&gt;" in out_html
    out_md = render(summary, "md", "da")
    assert "\\<script\\>" in out_md and "\\[link\\]" in out_md and "\\*\\*fed\\*\\*" in out_md
    assert "\n# Overskrift" not in out_md


def test_llm_prose_is_shown_first_when_present(summary: Summary) -> None:
    with_prose = dataclasses.replace(summary, mode="llm", llm_prose="Folk vil have cykelstier.")
    out = render(with_prose, "md", "da")
    assert out.index("## Kort fortalt") < out.index("## Hovedpunkter")
    assert "Folk vil have cykelstier." in out
    assert "Kort fortalt" not in render(summary, "md", "da")


def test_an_empty_discussion_says_so() -> None:
    out = render(summarise([]), "text", "sv")
    assert "Det finns ännu inte tillräckligt med samtal för en sammanfattning." in out
    assert "0 meddelanden från 0 personer." in out
    assert "Vem deltog" not in out


def test_default_reader_language_is_the_salons(summary: Summary) -> None:
    assert "Huvudpunkter" in render(summarise(swedish_salon()), "text")
    assert "Hovedpunkter" in render(summary, "text")


def test_dates_follow_the_salons_time_zone(summary: Summary) -> None:
    late = summarise([msg("a", "x", "Vi mangler en cykelsti på Skolevej.", 5 * 60 + 30)])
    assert "13. marts 2025" in render(late, "text", "da")  # 23:30 UTC
    assert "14. marts 2025" in render(late, "text", "da", tz="Europe/Copenhagen")


def test_unknown_format_is_refused(summary: Summary) -> None:
    with pytest.raises(ValueError, match="format"):
        render(summary, "pdf", "da")  # type: ignore[arg-type]


def _msgids() -> set[str]:
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT / "bot" / "summariser"), method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2), "N_": None},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("lang", ["da", "nb", "sv"])
def test_every_string_is_translated(lang: str) -> None:
    """An untranslated string would show up in English to a Danish pensioner."""
    path = ROOT / "bot" / "locale" / lang / "summary.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    assert "charset=UTF-8" in path.read_text(encoding="utf-8")
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    translated = {
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id and all(message.string if isinstance(message.string, tuple)
                              else (message.string,))
    }
    missing = _msgids() - translated
    assert not missing, missing
