"""The salon report (``bot.exports.report``) as the Markdown export writes it: one readable
file per salon and an index, in the municipality's language and zone, filtered by salon and
by date, naming only people who chose ``consent named``; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, open_salon, say
from report_helpers import ANSWER, STAFF, TITLE_1, TITLE_2, fill, report_chat
from sqlalchemy import select

from bot.chat import ChatSession
from bot.db import Outcome, OutcomeEvent, Salon
from bot.db.models import FinalReport
from bot.documents import to_html, to_markdown, to_source
from bot.exports.markdown import write_markdown
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.report import Layout, build, report_blocks, salon_ids
from bot.exports.scope import Scope
from bot.i18n import translator


def export(chat: ChatSession, out: Path, **options: object) -> dict[str, str]:
    with chat.db.session() as session:
        now = chat.clock.now()
        paths = write_markdown(session, out, ExportOptions("md", **options),  # type: ignore[arg-type]
                               People.of(session, now), now)
    assert paths[0].name == "index.md"
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


async def test_markdown_has_a_readable_report_per_salon_and_an_index(
        db_url: str, tmp_path: Path) -> None:
    chat = report_chat(db_url)
    try:
        await fill(chat)
        files = export(chat, tmp_path / "md")
    finally:
        chat.close()
    assert list(files) == ["index.md", "salon-1.md", "salon-2.md"]
    index = files["index.md"]
    assert index.startswith("# Samtalesaloner: rapporter til kommunen\n")
    assert "| [\\#1 »Ny legeplads«](salon-1.md) | åben |" in index
    assert "[\\#2 »Cykelsti på Havnevej«](salon-2.md)" in index

    report = files["salon-1.md"]
    assert report.startswith("# Rapport fra salonen \\#1 »Ny legeplads«\n")
    headings = [line for line in report.splitlines() if line.startswith("#")]
    assert headings[:3] == ["# Rapport fra salonen \\#1 »Ny legeplads«", "## Hvem deltog",
                            "## Møder"]
    for part in ("## Punkter fra referatet", "## Resultater til kommunen",
                 "## Opsummering af samtalen", "### Referat af møde 1", "#### Hovedpunkter"):
        assert part in headings, part
    # The meeting: time in words in the municipality's zone, place, answers, attendance.
    assert ("| møde 1 | fredag den 6. marts 2026 kl. 19.00–21.00 | Skolens aula | holdt | "
            "1 ja, 1 måske, 0 nej | 4 personer: 3 borgere og 1 politiker |") in report
    assert "**Emne:** Hvor skal den ligge?" in report
    assert "1 møde holdt, 3 punkter, 2 resultater, 1 venter stadig på kommunen" in report
    # Items by kind, outcomes with their status history and the answer, the summary.
    assert "### Idéer" in report and "Bænke ved søen til bedsteforældrene" in report
    assert "### U-1: Forslag" in report and f"**Kommunens svar:** {ANSWER}" in report
    assert "modtaget af kommunen, af en medarbejder i kommunen" in report
    assert "Legepladsen skal ligge ved skolen, så børnene kan gå derhen." in report

    # Named with consent named; the others by pseudonym; staff by role only.
    everything = "".join(files.values())
    assert ANNA in everything and DORTHE in everything
    for hidden in (BJORN, CARL, STAFF):
        assert hidden not in everything, hidden
    pseudonyms = set(re.findall(r"P-[A-Z2-7]{10}", everything))
    assert len(pseudonyms) == 1, "Bjørn (consent yes) under one stable pseudonym"
    assert f"til {pseudonyms.pop()}" in report, "his action shows his pseudonym"

    second = files["salon-2.md"]
    assert "| møde 1 | torsdag den 2. april 2026 kl. 18.30–20.30 | Biblioteket | planlagt |" in (
        second)
    assert "Salonen sendte ingen resultater til kommunen." in second


async def test_the_export_follows_the_salon_filter_the_date_and_the_language(
        tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        await fill(chat)
        only = export(chat, tmp_path / "one", salon_id=2)
        assert list(only) == ["index.md", "salon-2.md"]
        later = export(chat, tmp_path / "later", since=NOW + timedelta(days=2))
        assert list(later) == ["index.md", "salon-1.md"], "salon 2 had nothing since then"
        with chat.db.session() as session:
            assert salon_ids(session, ExportOptions("md", since=NOW + timedelta(days=30))) == []
        english = export(chat, tmp_path / "en", language="en", timezone="Europe/Stockholm")
    finally:
        chat.close()
    assert english["index.md"].startswith("# Citizen salons: reports for the municipality")
    report = english["salon-1.md"]
    assert "# Report of the salon \\#1 “Ny legeplads”" in report
    assert "| meeting 1 | Friday, 6 March 2026, 19:00–21:00 | Skolens aula | held |" in report
    assert "**The municipality's answer:**" in report and "answered" in report


async def test_one_layout_reads_the_same_in_markup_markdown_and_html(tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        await fill(chat)
        with chat.db.session() as session:
            salon = session.get(Salon, 1)
            assert salon is not None
            now = chat.clock.now()
            report = build(session, salon, Scope(People.of(session, now), ExportOptions("md"),
                                                 now))
    finally:
        chat.close()
    assert (report.title, report.status, len(report.held), len(report.items)) == (
        TITLE_1, "open", 1, 3)
    assert [o.ref for o in report.open_outcomes] == ["U-2"]
    assert report.meetings[0].attendance is not None
    assert report.meetings[0].attendance.by_role == {"citizen": 3, "politician": 1, "staff": 0}
    from zoneinfo import ZoneInfo

    blocks = report_blocks(report, Layout(translator("sv"), ZoneInfo("Europe/Stockholm")))
    source, markdown, html = to_source(blocks), to_markdown(blocks), to_html(blocks)
    assert "Rapport från salongen" in source and "Rapport från salongen" in markdown
    assert html.count("<h1>") == 1 and '<th scope="col">' in html and "<caption>" in html
    assert TITLE_2 not in source


ERIK = "@erik:example.org"
ERIK_SAYS = "Erik mener, at legepladsen hellere skal ligge ved havnen"
ERIK_IDEA = "En svævebane over søen"


async def test_a_person_shows_in_the_reports_only_as_the_tables_show_them(
        tmp_path: Path) -> None:
    """The Markdown export and the final report ``close`` posts follow the tables' rules: a
    Matrix id of someone not named, inside an outcome's answer or a summary, is their
    pseudonym; the words of someone who withdrew (their item, a summary of minutes they
    spoke in) are left out."""
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room = await open_salon_with(chat)
        await say(chat, ANNA, "!salon start", room)
        await chat.say(BJORN, room, f"Jeg er enig med {CARL} i, at legepladsen skal ligge ved "
                                    "skolen, hvor børnene i forvejen er.")
        await chat.say(ANNA, room, "Skolen har også plads til bænke og et lille læskur.")
        await say(chat, ANNA, "!salon end", room)
        await say(chat, ANNA, "!salon summary", room)
        chat.clock.advance(hours=2)  # type: ignore[attr-defined]
        await say(chat, ANNA, "!salon start", room)
        await chat.say(ERIK, room, ERIK_SAYS)
        await chat.say(BJORN, room, "Havnen er for langt væk for de mindste børn i byen.")
        await say(chat, ERIK, f"!salon idea {ERIK_IDEA}", room)
        await say(chat, ANNA, "!salon end", room)
        await say(chat, ANNA, "!salon summary", room)
        await say(chat, ERIK, "!salon consent no", room)
        with chat.db.session() as session:
            salon = session.scalar(select(Salon).where(Salon.room_id == room))
            assert salon is not None
            at = chat.clock.now()
            outcome = Outcome(salon_id=salon.id, kind="proposal", status="answered",
                              text="Legepladsen skal ligge ved skolen.",
                              answer=f"Vi har talt med {CARL} og {BJORN}", created_by=ANNA,
                              created_at=at, answered_at=at, updated_at=at)
            outcome.events += [
                OutcomeEvent(action="submitted", status="submitted", by_user=ANNA,
                             by_role="host", at=at),
                OutcomeEvent(action="status", status="in-progress", by_user=STAFF,
                             by_role="staff", text=f"Vi venter på {CARL}", at=at)]
            session.add(outcome)
            people = People.of(session, at)
            carl, bjorn = people.shown(CARL, salon.id), people.shown(BJORN, salon.id)
        files = export(chat, tmp_path / "md")
        turn = await chat.say(ANNA, room, f'!salon luk "Tak til {CARL}"')
        with chat.db.session() as session:
            [final] = session.scalars(select(FinalReport))
            stored = final.source
    finally:
        chat.close()
    assert carl.startswith("P-") and bjorn.startswith("P-")
    posted = "\n".join(part for r in turn.replies
                       for part in (r.source, r.body, r.formatted_body,
                                    r.attachment.data.decode() if r.attachment else ""))
    for name, written in (("markdown", "".join(files.values())), ("final report", stored),
                          ("close", posted)):
        for hidden in (BJORN, CARL, ERIK, STAFF, "carl:example", "bjorn:example"):
            assert hidden not in written, (name, hidden)
        assert f"Vi har talt med {carl} og {bjorn}" in written, name
        assert ERIK_SAYS not in written and ERIK_IDEA not in written, name
        assert ANNA in written, (name, "the named host is named")
    report = files["salon-1.md"]
    assert f"Jeg er enig med {carl}" in report, "the first summary stays, masked"
    assert f"Vi venter på {carl}" in report, "a status's reason, masked"
    assert "(vises ikke: forfatteren har trukket sit samtykke tilbage)" in report
    assert report.count("Udeladt: en, hvis ord denne opsummering byggede på") == 1, \
        "the summary of the minutes Erik spoke in is left out"
    assert f"Jeg er enig med {carl}" in stored and "Udeladt:" in stored
    assert f"Afsluttende ord: Tak til {carl}" in posted


async def open_salon_with(chat: ChatSession) -> str:
    """Anna (named) hosts; Bjørn and Erik say yes, Carl never consents."""
    room = await open_salon(chat, '!salon open "Ny legeplads"', guests=(BJORN, CARL, ERIK))
    for person, level in ((ANNA, "named"), (BJORN, "yes"), (ERIK, "yes")):
        await say(chat, person, f"!salon consent {level}", room)
    return room
