"""Minute items, summaries and minutes through the real router and handlers, rooms in memory:
nothing is kept of someone who did not say yes, a deleted command message takes its item
with it, the summary links every key point to the messages it rests on and is stored as
posted, and the minutes name only those who chose to be named."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, open_salon, start_chat
from sqlalchemy import func, select

from bot.chat import ChatSession, chat_config
from bot.clock import FixedClock
from bot.db import Meeting, MinuteItem, RecordedMessage, StoredSummary, WatchedEvent
from bot.replies import Reply
from handlers import build_registry
from handlers.summary import METHOD, VERSION


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)  # Thursday 5 March 2026, 18:00 in Copenhagen


@pytest.fixture
def chat(tmp_path: Path, clock: FixedClock) -> Iterator[ChatSession]:
    session = start_chat(tmp_path, clock=clock)
    yield session
    session.close()


def items(chat: ChatSession) -> list[MinuteItem]:
    with chat.db.session() as session:
        found = list(session.scalars(select(MinuteItem).order_by(MinuteItem.id)))
        session.expunge_all()
        return found


def summaries(chat: ChatSession) -> list[StoredSummary]:
    with chat.db.session() as session:
        found = list(session.scalars(select(StoredSummary).order_by(StoredSummary.id)))
        session.expunge_all()
        return found


def item_watches(chat: ChatSession) -> list[str]:
    with chat.db.session() as session:
        return list(session.scalars(select(WatchedEvent.key)
                                    .where(WatchedEvent.key.like("item:%"))))


def permalink(room: str, event_id: str) -> str:
    return f"https://matrix.to/#/{room}/{event_id}"


async def talk(chat: ChatSession, lines: list[tuple[str, str]], room: str) -> list[str]:
    """Ordinary talk, a minute apart; returns the event ids."""
    ids = []
    for user, body in lines:
        await chat.say(user, room, body)
        assert chat.last_event is not None
        ids.append(chat.last_event)
        chat.clock.advance(minutes=1)  # type: ignore[attr-defined]
    return ids


DANISH_TALK = [
    (BJORN, "Legepladsen bør ligge ved skolen, så børnene selv kan gå derhen."),
    (ANNA, "Enig, skolen er det bedste sted for legepladsen."),
    (CARL, "Det her bliver ikke gemt."),
    (BJORN, "Vi skal også have bænke til forældrene ved legepladsen."),
    (ANNA, "Hvad med parkering ved skolen?"),
    (ANNA, "Bænke ved legepladsen er vigtige for forældrene."),
]

ENGLISH_TALK = [
    (BJORN, "The playground should be next to the school so children can walk there."),
    (ANNA, "I agree, the school is the best place for the playground."),
    (CARL, "This is only counted."),
    (BJORN, "We also need benches for the parents at the playground."),
    (ANNA, "What about parking by the school?"),
    (ANNA, "Benches at the playground matter for the parents."),
]


# --- items ---------------------------------------------------------------------------------


async def test_without_consent_an_item_is_refused_and_nothing_is_stored(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(ANNA, room, "!salon start")
    answer = (await chat.say(BJORN, room, "!salon idé Bænke ved søen")).text
    assert "samtykke ja" in answer and "ikke gemt noget" in answer
    assert items(chat) == [] and item_watches(chat) == []
    answer = (await chat.say(BJORN, room, "!salon handling @anna:example.org ring inden "
                                          "fredag")).text
    assert "samtykke ja" in answer and items(chat) == []
    await chat.say(BJORN, room, "!salon samtykke ja")
    answer = (await chat.say(BJORN, room, "!salon idé Bænke ved søen")).text
    assert "Idé 1 er noteret: Bænke ved søen" in answer
    [item] = items(chat)
    assert (item.kind, item.text, item.user_id, item.number) == ("idea", "Bænke ved søen",
                                                                  BJORN, 1)
    assert item.capture_id is not None and item.event_id == chat.last_event
    assert item_watches(chat) == [f"item:{item.id}"]
    await chat.say(BJORN, room, "!salon samtykke nej")
    assert "samtykke ja" in (await chat.say(BJORN, room, "!salon forslag Mere lys")).text
    assert len(items(chat)) == 1, "withdrawn: nothing more is kept"


async def test_items_are_numbered_per_salon_and_belong_to_the_running_capture(
        chat: ChatSession) -> None:
    first = await open_salon(chat, guests=(BJORN,))
    second = await open_salon(chat, '!salon åbn "Cykelstier"', guests=(BJORN,))
    await chat.say(BJORN, chat.direct_room(BJORN), "!salon samtykke ja")  # every salon
    answer = (await chat.say(BJORN, first, "!salon note Uden referat")).text
    assert "Der tages ikke referat lige nu" in answer
    await chat.say(ANNA, first, '!salon planlæg i morgen kl. 19 : "Legepladsen"')
    await chat.say(ANNA, first, "!salon start 1")
    await chat.say(BJORN, first, "!salon spørgsmål Hvor skal den ligge?")
    await chat.say(BJORN, second, "!salon idea Flere cykelstier")  # the English verb works
    await chat.say(BJORN, first, "!salon enig Den skal være tæt på skolen")
    found = items(chat)
    assert [(i.salon_id, i.number, i.kind) for i in found] == [
        (1, 1, "note"), (1, 2, "question"), (2, 1, "idea"), (1, 3, "agree")]
    with chat.db.session() as session:
        meeting_id = session.scalar(select(Meeting.id))
    assert found[0].capture_id is None and found[0].meeting_id is None
    assert found[1].capture_id is not None and found[1].meeting_id == meeting_id
    assert found[2].capture_id is None, "the other salon takes no minutes"
    listed = (await chat.say(ANNA, first, "!salon punkter")).text
    assert "3 punkter i salonens referat" in listed
    assert listed.index("Spørgsmål") < listed.index("Det blev vi enige om") \
        < listed.index("Noter"), "grouped by kind, in the kinds' order"
    assert "2. Hvor skal den ligge?" in listed and "Flere cykelstier" not in listed
    assert "Kun salonens deltagere" in (await chat.say(CARL, first, "!salon punkter")).text


async def test_undo_takes_back_your_own_last_item(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    for person in (ANNA, BJORN):
        await chat.say(person, room, "!salon samtykke ja")
    await chat.say(BJORN, room, "!salon idé Første")
    await chat.say(BJORN, room, "!salon idé Anden")
    await chat.say(ANNA, room, "!salon note Annas")
    answer = (await chat.say(BJORN, room, "!salon fortryd")).text
    assert "Idé 2 er fjernet: Anden" in answer
    assert [i.text for i in items(chat)] == ["Første", "Annas"]
    assert len(item_watches(chat)) == 2, "the removed item's message is no longer watched"
    await chat.say(BJORN, room, "!salon fortryd")
    assert "ingen punkter her at fortryde" in (await chat.say(BJORN, room, "!salon fortryd")).text
    assert [i.text for i in items(chat)] == ["Annas"]


async def test_deleting_the_command_message_removes_its_item_and_an_edit_changes_it(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(BJORN, room, "!salon idé Bænke ved søen")
    first = chat.last_event
    await chat.say(BJORN, room, "!salon forslag Lys på stien")
    second = chat.last_event
    assert first is not None and second is not None
    await chat.edit(BJORN, room, second, "!salon forslag Lys på hele stien")
    await chat.edit(ANNA, room, second, "!salon forslag Noget helt andet")  # not hers
    assert [i.text for i in items(chat)] == ["Bænke ved søen", "Lys på hele stien"]
    await chat.redact(BJORN, room, first)
    assert [i.text for i in items(chat)] == ["Lys på hele stien"]
    assert len(item_watches(chat)) == 1
    await chat.redact(BJORN, room, first)  # twice: nothing more happens
    assert len(items(chat)) == 1


async def test_an_action_names_who_does_it_and_reads_the_date_as_said(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN, CARL))
    await chat.say(BJORN, room, "!salon samtykke ja")
    turn = await chat.say(BJORN, room,
                          "!salon handling @carl:example.org ring til skolen inden fredag")
    answer = turn.text
    assert "Handling 1 er noteret: ring til skolen" in answer
    assert "Hvem gør det: @carl:example.org" in answer
    assert "fredag den 6. marts 2026" in answer, "the date as it was read"
    assert turn.replies[0].mentions == (CARL,)
    await chat.say(BJORN, room, "!salon handling @anna:example.org skriv til borgmesteren "
                                "senest 2026-04-01")
    await chat.say(BJORN, room, "!salon handling tal med naboerne ved søen")
    answer = (await chat.say(BJORN, room, "!salon handling @carl:example.org mød op inden "
                                          "udgangen af marts")).text
    assert "læste ikke »udgangen af marts« som en dato" in answer
    found = items(chat)
    assert [(i.assignee, i.due, i.text) for i in found] == [
        (CARL, date(2026, 3, 6), "ring til skolen"),
        (ANNA, date(2026, 4, 1), "skriv til borgmesteren"),
        (None, None, "tal med naboerne ved søen"),
        (CARL, None, "mød op inden udgangen af marts")]
    for text, expected in [
        ("!salon handling @dorthe:example.org kom", "ikke med i denne salon"),
        ("!salon handling @carl ring", "serverdelen mangler"),
        ("!salon handling @carl:example.org ring inden 31. februar", "vil ikke gætte"),
        ("!salon handling @carl:example.org ring inden 2026-03-01", "allerede forbi"),
        ("!salon handling @carl:example.org", "Skriv punktets tekst"),
    ]:
        answer = (await chat.say(BJORN, room, text)).text
        assert expected.casefold() in answer.casefold(), (text, answer)
    assert len(items(chat)) == 4
    listed = (await chat.say(ANNA, room, "!salon punkter")).text
    assert "1. ring til skolen (til Deltager" in listed, "Carl did not choose to be named"
    assert CARL not in listed
    await chat.say(BJORN, room, "!salon idé Vi mødes inden fredag")
    assert (items(chat)[-1].text, items(chat)[-1].due) == ("Vi mødes inden fredag", None), \
        "only an action has a date"


async def test_an_english_action_and_english_replies(chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon open "New playground"', guests=(BJORN, CARL))
    await chat.say(ANNA, room, "!salon language en --room")
    for person in (BJORN, CARL):
        await chat.say(person, room, "!salon consent named")
    answer = (await chat.say(BJORN, room, "!salon action @carl:example.org call the school "
                                          "by 12 March")).text
    assert "Action 1 is noted: call the school" in answer
    assert "Who does it: @carl:example.org" in answer and "Thursday, 12 March 2026" in answer
    listed = (await chat.say(CARL, room, "!salon items")).text
    assert "1 item in the minutes of this salon" in listed
    assert "1. call the school (for @carl:example.org, by Thursday, 12 March 2026)" in listed
    assert "Action 1 is removed: call the school" in (await chat.say(BJORN, room,
                                                                      "!salon undo")).text
    assert "There are no items yet" in (await chat.say(BJORN, room, "!salon items")).text


# --- summary -------------------------------------------------------------------------------


async def test_summary_without_minutes_and_with_nothing_recorded(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    answer = (await chat.say(BJORN, room, "!salon resumé")).text
    assert "ikke taget referat i denne salon endnu" in answer
    await chat.say(ANNA, room, "!salon start")
    await talk(chat, [(BJORN, "Hej"), (BJORN, "Er der nogen?"), (ANNA, "Ja")], room)
    await chat.say(ANNA, room, "!salon slut")
    answer = (await chat.say(BJORN, room, "!salon resumé")).text
    assert "Intet blev gemt i dette referat" in answer
    assert "3 beskeder blev talt" in answer and "Borgere: 3" in answer
    assert summaries(chat) == [], "nothing to store"


async def test_summary_links_each_point_to_its_messages_and_is_stored_as_posted(
        chat: ChatSession) -> None:
    room = await open_salon(chat, '!salon open "New playground"', guests=(BJORN, CARL))
    await chat.say(ANNA, room, "!salon language en --room")
    for person in (ANNA, BJORN):
        await chat.say(person, room, "!salon consent yes")
    await chat.say(ANNA, room, "!salon start")
    ids = await talk(chat, ENGLISH_TALK, room)
    recorded = [ids[0], ids[1], ids[3], ids[4], ids[5]]
    await chat.say(BJORN, room, "!salon question Who pays for the benches?")
    question = chat.last_event
    turn = await chat.say(CARL, room, "!salon summary")
    [reply] = turn.replies
    html = reply.formatted_body
    assert "<strong>Summary of the discussion</strong>" in html
    assert "5 messages from 2 people; 1 more message was counted" in reply.body
    assert "<strong>Key points</strong>" in html and "<strong>Key phrases</strong>" in html
    assert "<strong>Open questions</strong>" in html and "Who pays for the benches?" in html
    assert "<strong>Who took part</strong>" in html
    assert "Citizens: 5 messages from 2 people; 1 message counted, not recorded" in reply.body
    linked = [event_id for event_id in ids
              if f'href="{permalink(room, event_id)}?via=chat"' in html]
    assert linked and set(linked) <= set(recorded), "links go to recorded messages only"
    assert ids[2] not in html, "Carl's message is not in the summary"
    assert "This is only counted" not in reply.body
    assert f'href="{permalink(room, question or "")}?via=chat"' in html, "the item's message"
    [row] = summaries(chat)
    assert (row.method, row.version, row.language) == (METHOD, VERSION, "en")
    assert row.source == reply.source, "staff read the same text"
    data = json.loads(row.data)
    assert data["event_ids"] == recorded and data["item_event_ids"] == [question]
    assert data["capture_id"] == row.capture_id and data["summary"]["key_points"]
    assert data["counted"] == {"citizen": 1}
    again = (await chat.say(BJORN, room, "!salon summary")).replies[0]
    assert again.source == reply.source and len(summaries(chat)) == 1, "nothing changed"
    await talk(chat, [(BJORN, "Benches should be made of wood.")], room)
    await chat.say(BJORN, room, "!salon summary")
    assert len(summaries(chat)) == 2 and "6 messages" in summaries(chat)[-1].source
    await chat.say(ANNA, room, "!salon end")
    ended = (await chat.say(BJORN, room, "!salon summary")).text
    assert "still being taken" not in ended and len(summaries(chat)) == 3


async def test_a_danish_summary_in_the_readers_language(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN, CARL))
    for person in (ANNA, BJORN):
        await chat.say(person, room, "!salon samtykke ja")
    await chat.say(ANNA, room, "!salon start")
    ids = await talk(chat, DANISH_TALK, room)
    await chat.say(BJORN, room, "!salon idé Bænke af træ")
    reply = (await chat.say(BJORN, room, "!salon resumé")).replies[0]
    assert reply.source.startswith("**Opsummering af samtalen**")
    for heading in ("Hovedpunkter", "Punkter fra referatet", "Hvem deltog"):
        assert heading in reply.body, heading
    assert "der tages stadig referat" in reply.body
    assert permalink(room, ids[0]) in reply.formatted_body
    await chat.say(CARL, room, "!salon sprog en")  # Carl reads English
    english = (await chat.say(CARL, room, "!salon summary")).replies[0]
    assert "Key points" in english.body and "Items from the minutes" in english.body
    assert [s.language for s in summaries(chat)] == ["da", "en"]


async def test_a_stored_summary_is_made_again_when_someone_stops_being_named(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(ANNA, room, "!salon samtykke navn")
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(ANNA, room, "!salon start")
    await talk(chat, DANISH_TALK[:2], room)
    await chat.say(BJORN, room, "!salon handling @anna:example.org ring til skolen")
    assert f"for {ANNA}" not in (await chat.say(BJORN, room, "!salon resumé")).text
    assert f"til {ANNA}" in summaries(chat)[-1].source
    await chat.say(ANNA, room, "!salon samtykke ja")
    again = (await chat.say(BJORN, room, "!salon resumé")).text
    assert ANNA not in again and "til Deltager 1" in again
    assert len(summaries(chat)) == 2


# --- minutes -------------------------------------------------------------------------------


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


async def minutes_salon(chat: ChatSession) -> str:
    """Anna (host, named), Bjørn (yes), Carl (no consent), Dorthe (a politician, named)."""
    room = await open_salon(chat, guests=(BJORN, CARL))
    await chat.say(ANNA, room, f"!salon inviter {DORTHE} som politiker")
    await chat.join(DORTHE, room)
    await chat.say(ANNA, room, "!salon samtykke navn")
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(DORTHE, room, "!salon samtykke navn")
    await chat.say(ANNA, room, '!salon planlæg i morgen kl. 19 : "Legepladsen"')
    await chat.say(ANNA, room, "!salon start 1")
    await talk(chat, DANISH_TALK + [(DORTHE, "Kommunen kan betale for bænkene.")], room)
    await chat.say(BJORN, room, "!salon forslag Legepladsen ved skolen")
    await chat.say(DORTHE, room, "!salon handling @bjorn:example.org tegn en skitse inden "
                                 "fredag")
    await chat.say(ANNA, room, "!salon slut")
    return room


async def test_minutes_count_by_role_and_name_only_those_who_chose_it(
        chat: ChatSession) -> None:
    room = await minutes_salon(chat)
    reply = (await chat.say(CARL, room, "!salon mødereferat 1")).replies[0]
    body = reply.body
    assert "Referat af møde 1 »Legepladsen«" in body
    assert "4 personer var i rummet, mens der blev taget referat: 3 borgere og 1 politiker" \
        in body
    assert "efter den rolle, værterne gav dem" in body
    assert f"Nævnt ved navn, som de selv har valgt: {ANNA} (borger), {DORTHE} (politiker)" \
        in body
    assert "2 personer er ikke nævnt ved navn" in body
    assert BJORN not in body and CARL not in body, "no Matrix id without consent named"
    assert "Legepladsen ved skolen (fra Deltager" in body
    assert f"tegn en skitse (fra {DORTHE}, til Deltager" in body
    assert body.index("Hvem var med") < body.index("Punkter fra referatet") \
        < body.index("Opsummering af samtalen") < body.index("Hovedpunkter")
    assert body.count("Punkter fra referatet") == 1, "the items are listed once"
    assert body.count("18.00–18.07") == 1, "the time is given once"
    assert "6 beskeder blev gemt fra dem, der har sagt ja; 1 besked fra de andre" in body
    assert "Politikere: 1 besked fra 1 person" in body
    assert len(summaries(chat)) == 1, "the minutes made and stored the summary"
    assert (await chat.say(BJORN, room, "!salon mødereferat")).replies[0].source == \
        reply.source, "the last minutes by default"
    assert len(summaries(chat)) == 1
    assert "intet møde 2" in (await chat.say(BJORN, room, "!salon mødereferat 2")).text
    await chat.say(ANNA, room, '!salon planlæg i morgen kl. 20 : "Cykler"')
    assert "ikke taget referat af møde 2 »Cykler«" in (await chat.say(
        BJORN, room, "!salon mødereferat 2")).text


async def test_minutes_as_html_and_markdown_files(chat: ChatSession) -> None:
    room = await minutes_salon(chat)
    turn = await chat.say(BJORN, room, "!salon mødereferat 1 --file")
    page_reply, markdown_reply = turn.replies
    assert isinstance(page_reply, Reply) and page_reply.attachment is not None
    assert markdown_reply.attachment is not None
    assert page_reply.attachment.filename == "minutes-salon-1-meeting-1.html"
    assert page_reply.attachment.mimetype == "text/html"
    assert markdown_reply.attachment.filename == "minutes-salon-1-meeting-1.md"
    assert markdown_reply.attachment.mimetype == "text/markdown"
    assert "HTML" in page_reply.body and "Markdown" in markdown_reply.body
    page = Page()
    page.feed(page_reply.attachment.data.decode("utf-8"))
    text = "".join(page.text)
    assert {"h1", "h2", "ul", "li", "a"} <= set(page.tags)
    assert "Legepladsen ved skolen" in text and "tegn en skitse" in text
    assert "Hovedpunkter" in text and DORTHE in text and BJORN not in text
    with chat.db.session() as session:
        recorded = set(session.scalars(select(RecordedMessage.event_id)))
    assert any(link.split("?")[0] == permalink(room, e) for link in page.links
               for e in recorded)
    markdown = markdown_reply.attachment.data.decode("utf-8")
    assert markdown.startswith("# Referat af møde 1 »Legepladsen«")
    assert "## Hvem var med" in markdown and "### Forslag" in markdown
    assert "Legepladsen ved skolen" in markdown and "tegn en skitse" in markdown
    assert f"]({permalink(room, '')}" in markdown and BJORN not in markdown


async def test_people_s_words_stay_words_in_every_format(chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon samtykke navn")
    await chat.say(ANNA, room, "!salon start")
    await chat.say(BJORN, room, '!salon idé "**fed** [klik](https://evil.example) <b>x</b> '
                                '# ikke en overskrift"')
    await chat.say(ANNA, room, "!salon slut")
    reply = (await chat.say(BJORN, room, "!salon mødereferat")).replies[0]
    assert 'href="https://evil.example"' not in reply.formatted_body
    assert "<strong>fed</strong>" not in reply.formatted_body
    turn = await chat.say(BJORN, room, "!salon mødereferat --file")
    page = turn.replies[0].attachment
    markdown = turn.replies[1].attachment
    assert page is not None and markdown is not None
    assert "<b>x</b>" not in page.data.decode() and "&lt;b&gt;x&lt;/b&gt;" in page.data.decode()
    assert 'href="https://evil.example"' not in page.data.decode()
    assert "\\[klik\\]" in markdown.data.decode() and "\\<b\\>" in markdown.data.decode()


async def test_long_lists_are_cut_in_the_room_and_whole_in_the_file(
        chat: ChatSession) -> None:
    room = await open_salon(chat, guests=(BJORN,))
    await chat.say(BJORN, room, "!salon samtykke ja")
    await chat.say(ANNA, room, "!salon start")
    for number in range(1, 56):
        await chat.say(BJORN, room, f"!salon note Punkt nummer {number} " + "langt " * 60)
    await chat.say(ANNA, room, "!salon slut")
    listed = (await chat.say(BJORN, room, "!salon punkter")).text
    assert "50. Punkt nummer 50" in listed and "51. Punkt" not in listed
    assert "… og 5 punkter mere." in listed
    assert len(listed) < 20_000
    minutes = (await chat.say(BJORN, room, "!salon mødereferat")).replies[0]
    assert "20. Punkt nummer 20" in minutes.body and "21. Punkt" not in minutes.body
    assert "… og 35 mere: !salon mødereferat --file har dem alle." in minutes.body
    assert len(minutes.body.encode()) + len(minutes.formatted_body.encode()) < 60_000
    page = (await chat.say(BJORN, room, "!salon mødereferat --file")).replies[0].attachment
    assert page is not None and "55. Punkt nummer 55 " + "langt " * 59 in page.data.decode()


# --- both databases ------------------------------------------------------------------------


async def test_items_summary_and_minutes_on_sqlite_and_postgresql(db_url: str) -> None:
    chat = ChatSession(db_url, chat_config(), clock=FixedClock(NOW),
                       registry=build_registry())
    try:
        room = await open_salon(chat, guests=(BJORN, CARL))
        await chat.say(BJORN, room, "!salon samtykke ja")
        await chat.say(ANNA, room, "!salon samtykke navn")
        await chat.say(ANNA, room, "!salon start")
        ids = await talk(chat, DANISH_TALK, room)
        await chat.say(CARL, room, "!salon idé Uden samtykke")
        await chat.say(BJORN, room, "!salon handling @anna:example.org ring inden fredag")
        command = chat.last_event
        await chat.say(BJORN, room, "!salon idé Bænke af træ")
        assert [i.text for i in items(chat)] == ["ring", "Bænke af træ"]
        await chat.redact(BJORN, room, command or "")
        assert [i.text for i in items(chat)] == ["Bænke af træ"]
        summary = (await chat.say(BJORN, room, "!salon resumé")).replies[0]
        assert permalink(room, ids[0]) in summary.formatted_body
        await chat.say(ANNA, room, "!salon slut")
        minutes = (await chat.say(BJORN, room, "!salon mødereferat")).text
        assert ANNA in minutes and BJORN not in minutes and CARL not in minutes
        assert "Bænke af træ" in minutes and "Uden samtykke" not in minutes
        with chat.db.session() as session:
            assert session.scalar(select(func.count()).select_from(StoredSummary)) == 2
            assert session.scalar(select(func.count()).select_from(MinuteItem)) == 1
    finally:
        chat.close()
