"""Minutes, summary, my-data and forget-me on a real Synapse, as a salon's people see them in
their (nio) clients.

An encrypted Danish salon: Anna says yes with ✅ on the bot's consent notice and then asks to
be named, Bent says yes with ✅, Carl says nothing. While the host takes minutes they talk (a
question, agreement), add items (an idea, an action for the host by a weekday, a question,
an agreement), and Carl tries to add one. Then the summary (HTML, each key point linking to
a message that was really recorded), the minutes in the room and as encrypted files, a
citizen's own data as a JSON file in their direct chat, forget-me, and one reply in English.

What the bot kept is read from its own SQLite database, every table and every column, and
from the raw bytes of the database file and its write-ahead log. Waits are on conditions
with deadlines, never fixed sleeps.

After forget-me the person's Matrix id is in no row and in no byte of the database files,
also not through the answer to ``forget-me yes``, which is staged without whom it answers.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, RunningBot, raw_event, room_state
from nio import DownloadResponse, RoomEncryptedFile, RoomMessage
from nio.crypto.attachments import decrypt_attachment
from privacy_helpers import (
    WAIT_S,
    everywhere,
    from_bot,
    in_file_bytes,
    query,
    react,
    recorded,
    the_bots_direct_chat,
    until_true,
)

ZONE = ZoneInfo("Europe/Copenhagen")
DA_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
DA_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
             "september", "oktober", "november", "december")
PERMALINK = re.compile(r'href="https://matrix\.to/#/([^/"]+)/([^?"]+)\?via=localhost"')
#: What the Danish bot says to someone who adds an item without having said yes.
CONSENT_NEEDED = (
    "Jeg gemmer kun punkter fra dem, der har sagt ja til at blive optaget i referatet, så jeg "
    "har ikke gemt noget af dette. Sig ja med !salon samtykke ja (eller !salon samtykke navn "
    "for at blive vist med dit navn), og skriv så punktet igen.")
HOMESERVER_COPY = ("Hjemmeserveren har sin egen kopi af dine beskeder i rummene; den kan jeg "
                   "ikke slette.")


# ------------------------------------------------------------------------ the database
















async def outbox_empty(bot: RunningBot) -> None:
    """Everything the bot decided to send has left (the outbox rows are gone)."""
    await until_true(lambda: query(bot, "SELECT count(*) FROM outbox") == [(0,)],
                     what="empty outbox")


# --------------------------------------------------------------------------- Matrix


def content(event: Any) -> dict[str, Any]:
    """The (decrypted) content of an event as the client has it."""
    return dict(event.source.get("content", {}))






def files_from_bot(citizen: Citizen, room: str, bot: RunningBot) -> list[RoomMessage]:
    return [m for m in citizen.messages(room, bot.user_id)
            if content(m).get("msgtype") == "m.file"]


async def bot_says(citizen: Citizen, room: str, bot: RunningBot, text: str) -> RoomMessage:
    await citizen.until(lambda: from_bot(citizen, room, bot, text), timeout=WAIT_S,
                        what=f"a message with {text!r}")
    return from_bot(citizen, room, bot, text)[0]


async def replies(citizen: Citizen, room: str, text: str, count: int) -> list[RoomMessage]:
    """Sends a command and waits for ``count`` replies to it."""
    command = await citizen.say(room, text)
    await citizen.until(lambda: len(citizen.replies_to(command)) >= count, timeout=WAIT_S,
                        what=f"{count} replies to {text!r}")
    return citizen.replies_to(command)




async def downloaded(citizen: Citizen, room: str, event: RoomMessage) -> bytes:
    """The file an ``m.file`` event carries, as the citizen's client gets it: encrypted in
    an encrypted room (only ciphertext on the server), decrypted with the event's key."""
    assert isinstance(event, RoomEncryptedFile), type(event)
    file = content(event)
    assert file["msgtype"] == "m.file" and "url" not in file, "an encrypted file, no clear url"
    raw = await raw_event(citizen.client, room, event.event_id)
    assert raw["type"] == "m.room.encrypted", raw["type"]
    encrypted = file["file"]
    response = await citizen.client.download(encrypted["url"])
    assert isinstance(response, DownloadResponse), response
    data = decrypt_attachment(response.body, encrypted["key"]["k"],
                              encrypted["hashes"]["sha256"], encrypted["iv"])
    assert data != response.body and len(data) == file["info"]["size"]
    return data


def da_day(day: date) -> str:
    """Babel's full Danish date: ``fredag den 4. december 2026``."""
    return f"{DA_WEEKDAYS[day.weekday()]} den {day.day}. {DA_MONTHS[day.month - 1]} {day.year}"


def links(html: str) -> list[tuple[str, str]]:
    """(room id, event id) of every matrix.to permalink in an HTML text."""
    return [(unquote(room), unquote(event)) for room, event in PERMALINK.findall(html)]


def section(html: str, heading: str) -> str:
    """The HTML under ``<strong>heading</strong>`` up to the next heading."""
    start = html.index(f"<strong>{heading}</strong>") + len(f"<strong>{heading}</strong>")
    end = html.find("<strong>", start)
    return html[start:] if end < 0 else html[start:end]


# ------------------------------------------------------------------------ the salon


@dataclass
class Salon:
    bot: RunningBot
    host: Citizen
    anna: Citizen
    bent: Citizen
    carl: Citizen
    room: str
    #: The direct chat the bot opened with each citizen, by user id.
    direct: dict[str, str]
    #: (event id, text) of what each person said during the minutes, by user id.
    said: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    #: The text of each item a person added, by user id.
    items: dict[str, list[str]] = field(default_factory=dict)
    #: Replies to the item commands, in the order sent (Carl's refusal last).
    item_replies: list[RoomMessage] = field(default_factory=list)
    start_notice: RoomMessage | None = None
    end_notice: RoomMessage | None = None
    due: date | None = None
    carl_item: str = ""

    @property
    def people(self) -> tuple[Citizen, ...]:
        return (self.host, self.anna, self.bent, self.carl)

    def texts(self, person: Citizen) -> list[str]:
        return [words for _, words in self.said[person.user_id]] + self.items[person.user_id]

    def others(self, person: Citizen) -> list[Citizen]:
        return [p for p in self.people if p is not person]


async def salon_with_minutes(make_bot: Any, make_citizen: Any) -> Salon:
    """The encrypted Danish salon, its consents, a capture with talk and items, ended."""
    bot: RunningBot = await make_bot()
    host, anna, bent, carl = [await make_citizen(p) for p in ("host", "anna", "bent", "carl")]
    chat = await host.open_chat_with(bot.user_id)
    opened = await host.ask(chat, '!salon åbn "Skolevejen"', timeout=WAIT_S)
    assert "Skolevejen" in opened.body, opened.body
    room = await host.accept_invite(timeout=WAIT_S)
    for person in (anna, bent, carl):
        await host.ask(room, f"!salon inviter {person.user_id}", timeout=WAIT_S)
        await person.accept_invite(room, timeout=WAIT_S)
    await host.until(lambda: all(host.has_joined(room, p.user_id) for p in (anna, bent, carl)),
                     timeout=WAIT_S, what="everyone in the salon")
    state = await room_state(host.client, room)
    assert state[("m.room.encryption", "")]["content"]["algorithm"] == "m.megolm.v1.aes-sha2"

    # The consent notice in a direct chat the bot opens; ✅ on it is yes. Carl does nothing.
    direct = {}
    for person in (anna, bent, carl):
        direct[person.user_id] = await the_bots_direct_chat(person, bot)
        notice = await bot_says(person, direct[person.user_id], bot, "Velkommen til")
        if person is not carl:
            await react(person, direct[person.user_id], notice.event_id)
            await bot_says(person, direct[person.user_id], bot, "Tak!")
    named = await anna.ask(room, "!salon samtykke navn", timeout=WAIT_S)
    assert "referatet og rapporterne viser dit navn" in named.body, named.body
    salon = Salon(bot, host, anna, bent, carl, room, direct)

    salon.start_notice = await host.ask(room, "!salon start", timeout=WAIT_S)
    for person in (anna, bent, carl):  # everyone has the room's key before anyone talks
        await person.until(lambda p=person: from_bot(p, room, bot, "Nu tages der referat"),
                           timeout=WAIT_S, what="the start notice")
    secret = f"carlshemmelighed{uuid.uuid4().hex[:8]}"
    talk = [
        (anna, "Fodgængerfeltet ved skolen er farligt om morgenen, bilerne kører for stærkt."),
        (bent, "Enig, fodgængerfeltet ved skolen skal flyttes tættere på indgangen."),
        (carl, f"Jeg mener noget helt andet: {secret}"),
        (anna, "Kan kommunen sætte et vejbump op lige før fodgængerfeltet?"),
        (bent, "Ja, et vejbump ved skolen ville hjælpe børnene om morgenen."),
        (anna, "Vi kunne også få en skolepatrulje ved fodgængerfeltet om morgenen."),
    ]
    salon.said = {p.user_id: [] for p in salon.people}
    for person, words in talk:
        salon.said[person.user_id].append((await person.say(room, words), words))

    # A weekday two days ahead: never today, so never "today or next week?".
    salon.due = datetime.now(ZONE).date() + timedelta(days=2)
    weekday = DA_WEEKDAYS[salon.due.weekday()]
    salon.carl_item = f"Carls idé {uuid.uuid4().hex[:8]}"
    commands = [
        (anna, "idé", "Skolepatrulje ved fodgængerfeltet om morgenen"),
        (anna, "handling", f"{host.user_id} tale med vejafdelingen om et vejbump inden {weekday}"),
        (bent, "spørgsmål", "Hvornår kan kommunen svare os?"),
        (bent, "enig", "Fodgængerfeltet skal flyttes tættere på indgangen"),
        (carl, "idé", salon.carl_item),
    ]
    salon.items = {p.user_id: [] for p in salon.people}
    for person, verb, words in commands:
        salon.item_replies.append(await person.ask(room, f"!salon {verb} {words}",
                                                   timeout=WAIT_S))
        if person is not carl:
            text = words.removeprefix(f"{host.user_id} ").removesuffix(f" inden {weekday}")
            salon.items[person.user_id].append(text)
    salon.end_notice = await host.ask(room, "!salon slut", timeout=WAIT_S)
    return salon


# -------------------------------------------------------------------------- tests


async def test_summary_and_minutes_link_to_recorded_messages_and_name_only_who_chose_to(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    salon = await salon_with_minutes(make_bot, make_citizen)
    bot, host, anna, bent, carl = salon.bot, salon.host, salon.anna, salon.bent, salon.carl
    set_up = time.monotonic() - began
    assert query(bot, "SELECT user_id, salon_id, level, via FROM consents ORDER BY id") == [
        (anna.user_id, 1, "yes", "reaction"), (bent.user_id, 1, "yes", "reaction"),
        (anna.user_id, 1, "named", "command")], "Carl decided nothing"
    assert salon.start_notice is not None and salon.start_notice.decrypted
    assert ("Jeg gemmer, hvad disse personer skriver, fordi de har sagt ja: "
            f"{anna.user_id}, {bent.user_id}.") in salon.start_notice.body.splitlines(), \
        salon.start_notice.body
    assert salon.end_notice is not None
    assert ("Jeg gemte 5 beskeder fra 2 personer, der sagde ja. Af de andres beskeder blev 1 "
            "talt med, ikke gemt.") in salon.end_notice.body, salon.end_notice.body

    # Items: numbered, the action for the host by the weekday, read as that date.
    idea, action, question, agreement, refused = salon.item_replies
    assert idea.body.startswith("Idé 1 er noteret: Skolepatrulje ved fodgængerfeltet"), idea.body
    assert action.body.splitlines()[:3] == [
        "Handling 2 er noteret: tale med vejafdelingen om et vejbump",
        f"Hvem gør det: {host.user_id}.", f"Senest: {da_day(salon.due)}."], action.body
    assert question.body.startswith("Spørgsmål 3 er noteret: Hvornår kan kommunen svare os?")
    assert agreement.body.startswith("Enighed 4 er noteret: Fodgængerfeltet skal flyttes")
    assert query(bot, "SELECT number, kind, user_id, assignee, due FROM minute_items "
                      "ORDER BY number") == [
        (1, "idea", anna.user_id, None, None),
        (2, "action", anna.user_id, host.user_id, salon.due.isoformat()),
        (3, "question", bent.user_id, None, None),
        (4, "agree", bent.user_id, None, None)]
    # Carl, who did not say yes, is told how to, and nothing of his item is kept.
    assert refused.body == CONSENT_NEEDED, refused.body
    assert everywhere(bot, salon.carl_item) == [] and in_file_bytes(bot, salon.carl_item) == []
    [(carls_event, secret)] = salon.said[carl.user_id]
    assert everywhere(bot, secret) == [] and in_file_bytes(bot, secret) == []
    stored = recorded(bot)
    assert sorted(stored) == sorted((e, p.user_id, w) for p in (anna, bent)
                                    for e, w in salon.said[p.user_id]), stored
    recorded_ids = {e for e, _, _ in stored}
    assert carls_event not in recorded_ids

    # The summary: HTML, each key point linking to a message that was really recorded.
    summary = await bent.ask(salon.room, "!salon opsummering", timeout=WAIT_S)
    body = content(summary)
    assert body["msgtype"] == "m.notice" and body["format"] == "org.matrix.custom.html"
    html = body["formatted_body"]
    assert html.startswith("<strong>Opsummering af samtalen</strong>"), html[:200]
    points = section(html, "Hovedpunkter")
    assert points.count("<li>") >= 3, points
    point_links = links(points)
    assert len(point_links) >= 3 and {r for r, _ in point_links} == {salon.room}, point_links
    assert {e for _, e in point_links} <= recorded_ids, "a key point links to no recorded message"
    for _, event_id in point_links:  # a real message of someone who said yes, on the server
        raw = await raw_event(bent.client, salon.room, event_id)
        assert raw["sender"] in (anna.user_id, bent.user_id), raw
        assert raw["type"] == "m.room.encrypted"
    item_events = {e for (e,) in query(bot, "SELECT event_id FROM minute_items")}
    assert {e for _, e in links(html)} <= recorded_ids | item_events
    assert secret not in summary.body and carls_event not in html
    assert "Borgere: 5 beskeder fra 2 personer; 1 besked talt, ikke gemt" in summary.body
    assert "Åbne spørgsmål" in summary.body and "Hvornår kan kommunen svare os?" in summary.body
    for person in salon.people:
        assert person.user_id not in summary.body, "the summary names nobody by Matrix id"
    [(method, language, source, data)] = query(
        bot, "SELECT method, language, source, data FROM summaries")
    assert (method, language) == ("extractive", "da")
    assert set(json.loads(data)["event_ids"]) == recorded_ids, "stored with what it covers"
    assert "Hovedpunkter" in source

    # The minutes in the room: attendance by role, Anna by name, Bent only by pseudonym.
    minutes = await bent.ask(salon.room, "!salon mødereferat", timeout=WAIT_S)
    lines = minutes.body.splitlines()
    assert lines[0] == "Referat af denne samtale" and "Salon: #1 »Skolevejen«" in lines
    assert "4 personer var i rummet, mens der blev taget referat: 4 borgere." in lines, lines
    assert f"Nævnt ved navn, som de selv har valgt: {anna.user_id} (borger)." in lines
    assert "3 personer er ikke nævnt ved navn, fordi de ikke har valgt det." in lines
    for person in (host, bent, carl):
        assert person.user.localpart not in minutes.body, f"{person.user_id} in the minutes"
        assert person.user.localpart not in content(minutes)["formatted_body"]
    [(bent_member,)] = query(bot, "SELECT id FROM members WHERE user_id = ?", bent.user_id)
    [(host_member,)] = query(bot, "SELECT id FROM members WHERE user_id = ?", host.user_id)
    assert (f"• 3. Hvornår kan kommunen svare os? (fra Deltager {bent_member}) · besked"
            in minutes.body), minutes.body
    assert (f"• 2. tale med vejafdelingen om et vejbump (fra {anna.user_id}, til Deltager "
            f"{host_member}, inden {da_day(salon.due)}) · besked") in minutes.body, minutes.body

    # The minutes as files: HTML and Markdown, encrypted in the encrypted room.
    html_file, md_file = await replies(bent, salon.room, "!salon mødereferat --fil", 2)
    assert content(html_file)["filename"].endswith(".html")
    assert content(html_file)["info"]["mimetype"] == "text/html"
    assert content(md_file)["filename"].endswith(".md")
    assert content(md_file)["info"]["mimetype"] == "text/markdown"
    page = (await downloaded(bent, salon.room, html_file)).decode()
    markdown = (await downloaded(bent, salon.room, md_file)).decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="da">' in page
    assert "<h1>Referat af denne samtale</h1>" in page and "<h2>Hvem var med</h2>" in page
    assert markdown.startswith("# Referat af denne samtale\n"), markdown[:100]
    for text in (*salon.items[anna.user_id], *salon.items[bent.user_id]):
        assert text in page and text in markdown, text
    for document in (page, markdown):
        assert f"Nævnt ved navn, som de selv har valgt: {anna.user_id} (borger)." in \
            document.replace("\\", "")
        assert not any(p.user.localpart in document for p in (host, bent, carl))
        assert secret not in document and salon.carl_item not in document
    assert {e for _, e in links(page)} <= recorded_ids | item_events
    print(f"\nsummary and minutes test: {time.monotonic() - began:.1f} s "
          f"(the salon and its minutes: {set_up:.1f} s)")


async def test_my_data_is_a_file_in_the_direct_chat_with_only_the_callers_data(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    salon = await salon_with_minutes(make_bot, make_citizen)
    bot, anna, bent = salon.bot, salon.anna, salon.bent

    async def check(person: Citizen, event: RoomMessage) -> dict[str, Any]:
        """The file as the person downloads it: only their rows, their words."""
        file = content(event)
        assert file["filename"] == "my-data.json", file
        assert file["info"]["mimetype"] == "application/json"
        assert event.body.startswith("Dine data: filen my-data.json indeholder alt"), event.body
        data = await downloaded(person, salon.direct[person.user_id], event)
        document = json.loads(data)
        assert document["user_id"] == person.user_id
        tables = document["tables"]
        rows = {name: table["rows"] for name, table in tables.items()}
        assert document["records"] == sum(len(r) for r in rows.values())
        consents = [(r["user_id"], r["salon_id"], r["level"], r["via"])
                    for r in rows["consents"]]
        expected = [(person.user_id, 1, "yes", "reaction")]
        if person is anna:
            expected.append((anna.user_id, 1, "named", "command"))
        assert consents == expected, consents
        assert [(r["user_id"], r["salon_id"], r["status"], r["invited_by"])
                for r in rows["members"]] == [(person.user_id, 1, "joined", "(en anden)")]
        assert [(r["event_id"], r["user_id"], r["body"]) for r in rows["recorded_messages"]] \
            == [(e, person.user_id, w) for e, w in salon.said[person.user_id]]
        assert [r["text"] for r in rows["minute_items"]] == salon.items[person.user_id]
        assert {r["user_id"] for r in rows["minute_items"]} == {person.user_id}
        assert [r["key"] for r in rows["watched_events"]] == [f"consent:1:{person.user_id}"]
        assert [r["capture_id"] for r in rows["summaries"]] in ([], [1])
        raw = data.decode()
        for other in salon.others(person):
            assert other.user.localpart not in raw, f"{other.user_id} in {person.user_id}'s file"
            for text in salon.texts(other):
                assert text not in raw, f"{other.user_id}'s words in {person.user_id}'s file"
        return document

    # In the direct chat: the file is the reply.
    mine = await anna.ask(salon.direct[anna.user_id], "!salon mine-data", timeout=WAIT_S)
    document = await check(anna, mine)
    assert [r["assignee"] for r in document["tables"]["minute_items"]["rows"]] == [
        None, "(en anden)"], "the host, who the action is for, is masked"

    # Asked in the salon: the salon is told it went to the direct chat, and only there.
    asked = await bent.ask(salon.room, "!salon mine-data", timeout=WAIT_S)
    assert asked.body == ("Det, jeg gemmer om dig, er kun for dine øjne, så jeg viser det "
                          "ikke her: jeg har sendt det til vores direkte chat."), asked.body
    assert content(asked)["msgtype"] == "m.notice" and "file" not in content(asked)
    direct = salon.direct[bent.user_id]
    await bent.until(lambda: files_from_bot(bent, direct, bot), timeout=WAIT_S,
                     what="my-data.json in the direct chat")
    [sent] = files_from_bot(bent, direct, bot)
    await check(bent, sent)
    await outbox_empty(bot)
    await bent.sync(0)
    assert files_from_bot(bent, salon.room, bot) == [], "no file in the salon"
    print(f"\nmy-data test: {time.monotonic() - began:.1f} s")


async def test_forget_me_erases_the_person_everywhere_and_the_others_minutes_remain(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    salon = await salon_with_minutes(make_bot, make_citizen)
    bot, anna, bent = salon.bot, salon.anna, salon.bent
    await bent.ask(salon.room, "!salon opsummering", timeout=WAIT_S)
    [(data,)] = query(bot, "SELECT data FROM summaries")
    assert {e for e, _ in salon.said[anna.user_id]} <= set(json.loads(data)["event_ids"]), \
        "the stored summary drew on Anna's words"
    for words in salon.texts(anna):
        assert everywhere(bot, words), f"{words!r} was never stored"
    direct = salon.direct[anna.user_id]

    # First it asks, and nothing changes.
    before = query(bot, "SELECT count(*) FROM recorded_messages")
    asked = await anna.ask(direct, "!salon glem-mig", timeout=WAIT_S)
    lines = asked.body.splitlines()
    assert lines[0].startswith("Glem mig sletter alt, hvad jeg gemmer om dig, overalt"), lines
    assert "Det kan ikke fortrydes. Skriv !salon mine-data for at se det først." in lines
    assert lines[-1] == "Skriv for at fortsætte: !salon glem-mig ja", lines
    assert query(bot, "SELECT count(*) FROM recorded_messages") == before
    assert everywhere(bot, anna.user_id), "nothing erased yet"

    done = await anna.ask(direct, "!salon glem-mig ja", timeout=WAIT_S)
    lines = done.body.splitlines()
    assert lines[:6] == [
        "Færdig: jeg har glemt dig. Jeg har slettet:",
        "• 3 beskeder optaget under referater",
        "• 1 medlemskab af en salon",
        "• 2 samtykkebeslutninger",
        "• 2 referatpunkter",
        "• 1 opsummering lavet igen uden dig"], lines
    assert lines[6].startswith(HOMESERVER_COPY), lines
    await outbox_empty(bot)

    def nowhere(when: str) -> None:
        """Not in any row; her words not in the files' bytes either (her id in the bytes:
        the next test)."""
        for needle in (anna.user.localpart, *salon.texts(anna)):
            assert everywhere(bot, needle) == [], f"{needle!r} still in the database {when}"
        for needle in salon.texts(anna):
            assert in_file_bytes(bot, needle) == [], f"{needle!r} in the file's bytes {when}"

    nowhere("after forget-me")

    # Bent's words and the minutes remain, without Anna.
    assert recorded(bot) == [(e, bent.user_id, w) for e, w in salon.said[bent.user_id]]
    assert query(bot, "SELECT number, user_id FROM minute_items ORDER BY number") == [
        (3, bent.user_id), (4, bent.user_id)]
    [(language, data)] = query(bot, "SELECT language, data FROM summaries")
    assert language == "da"
    assert json.loads(data)["event_ids"] == [e for e, _ in salon.said[bent.user_id]]
    minutes = await bent.ask(salon.room, "!salon mødereferat", timeout=WAIT_S)
    assert minutes.body.startswith("Referat af denne samtale"), minutes.body
    assert "Nævnt ved navn" not in minutes.body and "Hvornår kan kommunen svare os?" in \
        minutes.body
    assert "2 beskeder blev gemt fra dem, der har sagt ja" in minutes.body, minutes.body
    html = content(minutes)["formatted_body"]
    assert {e for _, e in links(section(html, "Hovedpunkter"))} <= {
        e for e, _ in salon.said[bent.user_id]}
    for words in salon.texts(anna):
        assert words not in minutes.body
    summary = await bent.ask(salon.room, "!salon opsummering", timeout=WAIT_S)
    assert "2 beskeder fra 1 person" in summary.body, summary.body
    await outbox_empty(bot)
    nowhere("after the minutes were read again")
    print(f"\nforget-me test: {time.monotonic() - began:.1f} s")


async def test_forget_me_leaves_the_id_in_no_byte_of_the_database_files(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    dora: Citizen = await make_citizen("dora")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, '!salon åbn "Havnen"', timeout=WAIT_S)
    room = await host.accept_invite(timeout=WAIT_S)
    await host.ask(room, f"!salon inviter {dora.user_id}", timeout=WAIT_S)
    await dora.accept_invite(room, timeout=WAIT_S)
    await host.until(lambda: host.has_joined(room, dora.user_id), timeout=WAIT_S,
                     what="Dora in the salon")
    await dora.ask(room, "!salon samtykke ja", timeout=WAIT_S)
    await host.ask(room, "!salon start", timeout=WAIT_S)
    words = f"Flere bænke ved havnen {uuid.uuid4().hex[:8]}"
    said = await dora.say(room, words)
    await until_true(lambda: [e for e, _, _ in recorded(bot)] == [said], what="Dora recorded")
    await host.ask(room, "!salon slut", timeout=WAIT_S)
    done = await dora.ask(room, "!salon glem-mig ja", timeout=WAIT_S)
    assert done.body.startswith("Færdig: jeg har glemt dig."), done.body
    await outbox_empty(bot)
    assert everywhere(bot, dora.user.localpart) == [] and everywhere(bot, words) == []
    assert in_file_bytes(bot, words) == []
    assert in_file_bytes(bot, dora.user.localpart) == [], "her id in the database file's bytes"


async def test_the_summary_in_english_for_someone_who_reads_english(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    salon = await salon_with_minutes(make_bot, make_citizen)
    bot, anna, bent = salon.bot, salon.anna, salon.bent
    danish = await anna.ask(salon.room, "!salon opsummering", timeout=WAIT_S)
    own = await bent.ask(salon.room, "!salon language en", timeout=WAIT_S)
    assert own.body == "From now on I write to you in English.", own.body
    english = await bent.ask(salon.room, "!salon summary", timeout=WAIT_S)
    lines = english.body.splitlines()
    assert lines[0] == "Summary of the discussion", lines
    assert lines[1].startswith("Minutes of this conversation, "), lines
    assert lines[2] == ("5 messages from 2 people; 1 more message was counted but not "
                        "recorded, because its writer did not say yes to being recorded."), lines
    for heading in ("Key points", "Key phrases", "Items from the minutes", "Open questions",
                    "Who took part"):
        assert heading in lines, heading
    assert "• Citizens: 5 messages from 2 people; 1 message counted, not recorded" in lines
    html = content(english)["formatted_body"]
    assert html.startswith("<strong>Summary of the discussion</strong>")
    assert links(section(html, "Key points")) == links(
        section(content(danish)["formatted_body"], "Hovedpunkter")), "the same points"
    assert sorted(language for (language,) in query(bot, "SELECT language FROM summaries")) \
        == ["da", "en"], "each stored as posted"
    print(f"\nEnglish summary test: {time.monotonic() - began:.1f} s")
