"""``close`` writes the final report: stored as a ``FinalReport``, posted in the salon in the
salon's language after the closing reply, and announced in the staff room in that room's
language; people named only with ``consent named``."""

from __future__ import annotations

from pathlib import Path

from chat_helpers import ANNA, BJORN, CARL, DORTHE, make_staff_room, open_salon, say
from report_helpers import STAFF, fill, report_chat
from sqlalchemy import select

from bot.chat import ChatSession, Turn
from bot.db import RoomSetting, Salon
from bot.db.models import FinalReport
from bot.replies import Reply


async def staff_room(chat: ChatSession, lang: str | None = None) -> str:
    room_id = await make_staff_room(chat, STAFF)
    if lang:
        with chat.db.session() as session:
            session.add(RoomSetting(room_id=room_id, language=lang))
    return room_id


def stored(chat: ChatSession) -> list[FinalReport]:
    with chat.db.session() as session:
        return list(session.scalars(select(FinalReport)))


def everything(turn: Turn) -> str:
    return "\n".join(part for r in turn.replies
                     for part in (r.source, r.body, r.formatted_body,
                                  r.attachment.data.decode() if r.attachment else ""))


async def test_close_posts_and_stores_the_report_and_tells_the_staff(db_url: str) -> None:
    chat = report_chat(db_url)
    try:
        room, _ = await fill(chat)
        staff = await staff_room(chat)
        turn = await chat.say(ANNA, room, '!salon luk "Legepladsen skal ligge ved skolen"')
        [closing, report, told] = turn.replies
        reports = stored(chat)
    finally:
        chat.close()
    assert closing.body.startswith("#1 »Ny legeplads« er nu lukket.")
    assert report.room_id is None and report.attachment is None, "in the salon, whole"
    lines = report.body.splitlines()
    assert lines[0] == "Rapport fra salonen #1 »Ny legeplads«"
    assert "Afsluttende ord: Legepladsen skal ligge ved skolen" in lines
    assert "I tal: 1 møde holdt, 3 punkter, 2 resultater, 1 venter stadig på kommunen" in lines
    for part in ("Møder", "Punkter fra referatet", "Resultater til kommunen",
                 "Opsummering af samtalen"):
        assert part in lines, part
    assert any(line.startswith("• møde 1: Hvornår: fredag den 6. marts 2026 kl. 19.00–21.00; "
                               "Hvor: Skolens aula; Status: holdt; Svar: 1 ja, 1 måske, 0 nej; "
                               "Fremmøde: 4 personer: 3 borgere og 1 politiker")
               for line in lines), lines
    assert "Status: besvaret" in lines and "Status: modtaget af kommunen" in lines

    [row] = reports
    assert (row.salon_id, row.language, row.source) == (1, "da", report.source)

    assert told.room_id == staff
    assert told.body.splitlines()[0] == (
        "#1 »Ny legeplads« er blevet lukket, og slutrapporten er skrevet.")
    assert "1 resultat venter stadig på svar:" in told.body
    assert "• U-2 (spørgsmål; modtaget af kommunen): Kan der komme lys på stien?" in told.body
    assert "!salon eksport html --salon #1" in told.body, "the verb as the staff room reads it"

    text = everything(turn) + row.source
    assert ANNA in text and DORTHE in text, "they chose consent named"
    for hidden in (BJORN, CARL, STAFF):
        assert hidden not in text, hidden
    assert "P-" in report.body, "Bjørn under his pseudonym"


async def test_the_staff_room_is_told_in_its_own_language(tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room, _ = await fill(chat)
        await staff_room(chat, "sv")
        turn = await chat.say(ANNA, room, "!salon luk")
    finally:
        chat.close()
    told = turn.replies[-1]
    assert told.body.splitlines()[0] == (
        "#1 ”Ny legeplads” har stängts, och slutrapporten är skriven.")
    assert "Hämta rapporten med !salon exportera html --salon #1 (en webbsida)" in told.body
    assert turn.replies[1].body.startswith("Rapport fra salonen"), "the salon's own language"


async def test_without_a_staff_room_nobody_is_told_and_nothing_fails(tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room, _ = await fill(chat)
        turn = await chat.say(ANNA, room, "!salon luk")
        reports = stored(chat)
    finally:
        chat.close()
    assert len(turn.replies) == 2 and all(r.room_id is None for r in turn.replies)
    assert turn.replies[1].body.startswith("Rapport fra salonen #1")
    assert len(reports) == 1


async def test_a_swedish_salon_gets_its_report_in_swedish(tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        await say(chat, ANNA, "!salon språk sv")
        room = await open_salon(chat, '!salon öppna "Lekplatsen"', guests=(BJORN,))
        await say(chat, ANNA, "!salon language en")
        turn = await chat.say(ANNA, room, '!salon close "Vi hittade en plats"')
        reports = stored(chat)
    finally:
        chat.close()
    closing, report = turn.replies
    assert closing.body.startswith("#1 “Lekplatsen” is now closed."), "the closer's language"
    lines = report.body.splitlines()
    assert lines[0] == "Rapport från salongen #1 ”Lekplatsen”"
    assert "Avslutande ord: Vi hittade en plats" in lines
    assert "Inga möten planerades." in lines
    assert "Salongen skickade inga resultat till kommunen." in lines
    assert [(r.language, r.source) for r in reports] == [("sv", report.source)]


async def test_a_long_report_is_cut_in_the_room_and_attached_whole(tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room = await open_salon(chat, guests=(BJORN,))
        await say(chat, BJORN, "!salon consent yes", room)
        for n in range(1, 26):
            await say(chat, BJORN, f"!salon idea Idé nummer {n}", room)
        turn = await chat.say(ANNA, room, "!salon close")
        [row] = stored(chat)
        with chat.db.session() as session:
            assert session.scalar(select(Salon.status)) == "closed"
    finally:
        chat.close()
    closing, report, whole = turn.replies
    assert "Idé nummer 20 " in report.body and "Idé nummer 21 " not in report.body
    assert "… og 5 punkter mere: den vedhæftede rapport har dem alle." in report.body
    assert isinstance(whole, Reply) and whole.attachment is not None
    assert whole.attachment.filename == "final-report-salon-1.md"
    markdown = whole.attachment.data.decode()
    assert markdown.startswith("# Rapport fra salonen \\#1 »Ny legeplads«")
    assert "Idé nummer 25" in markdown and BJORN not in markdown
    assert "Idé nummer 25" in row.source, "the stored report is whole"


async def test_forget_me_makes_a_closed_salons_report_again_without_the_person(
        tmp_path: Path) -> None:
    """The stored final report held Bjørn's idea; after his forget-me it is written again
    from what is left, and the rest of the salon's report stays."""
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room = await open_salon(chat, guests=(BJORN,))
        await chat.say(BJORN, room, "!salon samtykke ja")
        await chat.say(BJORN, room, "!salon idé en bogbytte-reol i hallen")
        await chat.say(ANNA, room, "!salon samtykke ja")
        await chat.say(ANNA, room, "!salon forslag en ny sti langs åen")
        await chat.say(ANNA, room, "!salon luk")
        [before] = stored(chat)
        assert "en bogbytte-reol i hallen" in before.source
        answer = await say(chat, BJORN, "!salon glem-mig ja")
        [after] = stored(chat)
    finally:
        chat.close()
    assert "1 slutrapport fra en lukket salon lavet igen uden dig" in answer
    assert "en bogbytte-reol i hallen" not in after.source
    assert BJORN not in after.source
    assert "en ny sti langs åen" in after.source, "the others' items stay"


async def test_a_meeting_still_ahead_when_the_salon_closes_is_reported_as_not_held(
        tmp_path: Path) -> None:
    chat = report_chat(f"sqlite:///{tmp_path / 'salonbot.db'}")
    try:
        room = await open_salon(chat)
        await chat.say(ANNA, room, '!salon planlæg i morgen kl. 18 sted "Biblioteket"')
        turn = await chat.say(ANNA, room, "!salon luk")
    finally:
        chat.close()
    report = turn.replies[1].body
    assert "ikke holdt: salonen blev lukket før" in report, report
    assert "planlagt" not in report
