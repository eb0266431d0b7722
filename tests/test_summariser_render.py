"""The rendered summary: the reader's language, three formats, and user text kept as text."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from summariser_helpers import danish_salon, english_salon, msg, swedish_salon

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
    assert "hver morgen. (nevnt i 3 meldinger)</li>" in out
    assert "<h3>Forslag</h3>\n<ul><li>Lav et kys og kør område ved hallen" in out
    assert ("<h2>Åpne spørsmål</h2>\n<ul><li>Hvem har ansvaret for at rydde sne på stien bag "
            "skolen?</li><li>Kan bus 12 ikke køre helt op til skolen") in out
    assert "<li>Vi burde lukke Skolevej for biler om morgenen mellem 7.30 og 8.15. " \
           "(1 er for, 4 er imot)</li>" in out
    assert "<li>Politikere: 1 melding fra 1 person</li>" in out
    assert "<p>Språk: dansk (28)</p>" in out


def test_user_text_cannot_inject_markup() -> None:
    nasty = msg("x", "a", "<script>alert(1)</script> # Overskrift [link](http://evil) **fed** "
                          "skal ikke virke i referatet om cykelstier", 0)
    summary = summarise([nasty], points=1)
    out_html = render(summary, "html", "da")
    assert "<script>" not in out_html and "&lt;script&gt;" in out_html
    out_md = render(summary, "md", "da")
    assert "\\<script\\>" in out_md and "\\[link\\]" in out_md and "\\*\\*fed\\*\\*" in out_md
    assert "\n# Overskrift" not in out_md


def test_the_message_count_of_a_point_is_not_capped() -> None:
    """Only the first 50 ids are kept to trace a point; the count is the true one."""
    repeated = [msg(f"r{n}", f"nabo{n}", "Vi mangler en cykelsti langs Skolevej ved skolen.", n)
                for n in range(120)]
    summary = summarise(repeated, points=1)
    point = summary.key_points[0]
    assert len(point.message_ids) == 50 and point.count == 120
    assert point.to_dict()["count"] == 120
    assert "(nævnt i 120 beskeder)" in render(summary, "text", "da")
    assert "(raised in 120 messages)" in render(summary, "md", "en")


HIDDEN = "\u202e\u202a\u2066\u2069\x00\x1b\x07\r\x7f\x85"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_control_and_bidi_characters_are_dropped(fmt: str) -> None:
    """A right-to-left override would display the rest of the line backwards."""
    text = ("Vi mangler \u202elys\u202c på stien\u2066 bag skolen\u2069, \x1b[31mnu\x00\x07 "
            "\r\x7f\x85ellers sker der ulykker.")
    summary = summarise([msg("a", "x", text, 0, item="idea")], points=1)
    out = render(summary, fmt, "da")
    assert not set(HIDDEN + "\u202c") & set(out), [c for c in out if c in HIDDEN + "\u202c"]
    assert "Vi mangler lys på stien bag skolen, [31mnu ellers sker der ulykker." in (
        out.replace("\\", "")
    )
    assert out.count("ulykker") == 2  # the key point and the idea, both cleaned


def test_ampersands_and_angle_brackets_stay_text_in_markdown_and_html() -> None:
    """Markdown turns "&lt;" or "&#x202e;" into the character; escaped, it shows as typed."""
    text = "Bus & tog <3 &lt;b&gt; &#x202e; &amp; skal hænge sammen ved stationen i byen."
    summary = summarise([msg("a", "x", text, 0)], points=1)
    out_md = render(summary, "md", "da")
    assert ("1. Bus \\& tog \\<3 \\&lt;b\\&gt; \\&\\#x202e; \\&amp; skal hænge sammen"
            in out_md)
    assert re.search(r"(?<!\\)[&<>]", out_md) is None  # none left for a renderer to read
    out_html = render(summary, "html", "da")
    assert ("<li>Bus &amp; tog &lt;3 &amp;lt;b&amp;gt; &amp;#x202e; &amp;amp; skal hænge sammen"
            in out_html)
    assert "&amp;amp;lt;" not in out_html  # escaped once, not twice


@pytest.mark.parametrize(("lang", "expected"), [
    ("da", "Sprog: dansk (28), engelsk (4), svensk (4)"),
    ("nb", "Språk: dansk (28), engelsk (4), svensk (4)"),
    ("sv", "Språk: danska (28), engelska (4), svenska (4)"),
    ("en", "Languages: Danish (28), English (4), Swedish (4)"),
])
def test_language_names_are_in_the_readers_language(lang: str, expected: str) -> None:
    mixed = summarise(danish_salon() + swedish_salon()[1:5] + english_salon()[1:5])
    assert mixed.languages == {"da": 28, "en": 4, "sv": 4}
    assert render(mixed, "text", lang).rstrip().endswith("\n" + expected)


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
