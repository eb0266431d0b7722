"""Minutes with consent on a real Synapse, as a salon's people see them in their (nio)
clients: the consent notice in a direct chat the bot opens, ✅ on it, consent typed in a
direct chat (all salons) and in a salon (that salon only, withdrawn at once), a capture in
an encrypted salon where one person said yes and one did not, edits and redactions followed,
and a capture that goes on across a restart of the bot. In a Danish salon and an English one.

What the bot kept is read from its own SQLite database, every table and every column: the
words of someone who did not say yes are nowhere in it, not even in the file's bytes. Waits
are on conditions with deadlines, never fixed sleeps.

Two tests came from bugs found here: a reply's quoted fallback (someone else's words) is not
stored as the replier's words, and a recorded message removed after the minutes ended is
removed from them too.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from typing import Any

from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, RunningBot, in_reply_to, room_state
from nio import RoomMessage, RoomRedactResponse
from privacy_helpers import (
    WAIT_S,
    db_file,
    everywhere,
    from_bot,
    in_file_bytes,
    query,
    react,
    recorded,
    send,
    the_bots_direct_chat,
    until_true,
)
from sqlalchemy import event
from sqlalchemy.engine import Engine

# ------------------------------------------------------------------------ helpers


















async def edit(citizen: Citizen, room: str, original: str, body: str) -> str:
    """An edit as Element sends it: ``m.replace`` with the new text in ``m.new_content``."""
    return await send(citizen, room, {
        "msgtype": "m.text", "body": f"* {body}",
        "m.new_content": {"msgtype": "m.text", "body": body},
        "m.relates_to": {"rel_type": "m.replace", "event_id": original},
    })




async def redact(citizen: Citizen, room: str, target: str) -> str:
    response = await citizen.client.room_redact(room, target)
    assert isinstance(response, RoomRedactResponse), response
    return response.event_id




async def bot_says(citizen: Citizen, room: str, bot: RunningBot, text: str, *,
                   count: int = 1) -> RoomMessage:
    await citizen.until(lambda: len(from_bot(citizen, room, bot, text)) >= count,
                        timeout=WAIT_S, what=f"{count} message(s) with {text!r}")
    return from_bot(citizen, room, bot, text)[count - 1]


async def open_salon(bot: RunningBot, host: Citizen, *people: Citizen, title: str,
                     chat: str | None = None) -> tuple[str, str]:
    """The host opens a (Danish, encrypted) salon from a direct chat and invites people,
    who join. Returns (salon, the host's chat)."""
    chat = chat or await host.open_chat_with(bot.user_id)
    opened = await host.ask(chat, f'!salon åbn "{title}"', timeout=WAIT_S)
    assert title in opened.body, opened.body
    known = set(host.client.rooms)
    salon = await host.accept_invite(timeout=WAIT_S)
    assert salon not in known
    for person in people:
        await host.ask(salon, f"!salon inviter {person.user_id}", timeout=WAIT_S)
        await person.accept_invite(salon, timeout=WAIT_S)
    # The host's client knows everyone who joined before it sends (so they get its keys).
    await host.until(lambda: all(host.has_joined(salon, p.user_id) for p in people),
                     timeout=WAIT_S, what="everyone in the salon")
    return salon, chat




# -------------------------------------------------------------------------- tests


async def test_an_encrypted_salon_keeps_the_words_of_who_said_yes_and_nothing_of_the_others(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    anna: Citizen = await make_citizen("anna")
    bent: Citizen = await make_citizen("bent")
    salon, _ = await open_salon(bot, host, anna, bent, title="Skolevejen")
    state = await room_state(host.client, salon)
    assert state[("m.room.encryption", "")]["content"]["algorithm"] == "m.megolm.v1.aes-sha2"

    # Each newcomer gets the consent notice, in Danish, in a direct chat the bot opens.
    for person in (anna, bent):
        chat = await the_bots_direct_chat(person, bot)
        notice = await bot_says(person, chat, bot, "Velkommen til")
        assert notice.decrypted, "the notice is encrypted"
        assert notice.body.splitlines()[0] == "Velkommen til #1 »Skolevejen«!", notice.body
        assert "pseudonym" in notice.body and "Reagér med ✅" in notice.body, notice.body
        if person is anna:
            await react(anna, chat, notice.event_id, "✅")
            thanks = await bot_says(anna, chat, bot, "Tak!")
            assert thanks.body.startswith("Tak! Når der tages referat, gemmer jeg det, du "
                                          "skriver"), thanks.body
            assert thanks.body.endswith("Det gælder #1 »Skolevejen«."), thanks.body
    assert query(bot, "SELECT user_id, salon_id, level, via FROM consents") == [
        (anna.user_id, 1, "yes", "reaction")], "Bent did nothing: no decision of his"

    started = await host.ask(salon, "!salon start", timeout=WAIT_S)
    assert started.decrypted
    assert ("Jeg gemmer, hvad disse personer skriver, fordi de har sagt ja: "
            f"{anna.user_id}.") in started.body.splitlines(), started.body
    assert bent.user_id not in started.body and host.user_id not in started.body
    assert "!salon samtykke ja" in started.body and "!salon samtykke nej" in started.body
    await anna.until(lambda: from_bot(anna, salon, bot, "referat"), timeout=WAIT_S,
                     what="the start notice, for Anna")
    await bent.until(lambda: from_bot(bent, salon, bot, "referat"), timeout=WAIT_S,
                     what="the start notice, for Bent")

    secret = f"bentshemmelighed{uuid.uuid4().hex[:10]}"
    first_words = f"Fodgængerfeltet skal flyttes {uuid.uuid4().hex[:6]}"
    edited_words = f"Fodgængerfeltet skal flyttes hen til skolen {uuid.uuid4().hex[:6]}"
    removed_words = f"Det her sletter jeg igen {uuid.uuid4().hex[:6]}"
    said = await anna.say(salon, first_words)
    bents = await bent.say(salon, f"Jeg synes noget andet: {secret}")
    edited = await edit(anna, salon, said, edited_words)
    removed = await anna.say(salon, removed_words)
    await redact(anna, salon, removed)

    ended = await host.ask(salon, "!salon slut", timeout=WAIT_S)
    assert ended.body.startswith("**Referatet er slut.**") or \
        ended.body.startswith("Referatet er slut."), ended.body
    assert ("Jeg gemte 1 besked fra 1 person, der sagde ja. Af de andres beskeder blev 1 "
            "talt med, ikke gemt.") in ended.body, ended.body

    # The database: every table, every column.
    assert everywhere(bot, secret) == [], "Bent's words were stored"
    assert in_file_bytes(bot, secret) == [], "Bent's words reached the database file"
    rows = recorded(bot)
    assert rows == [(said, anna.user_id, edited_words)], rows
    assert everywhere(bot, edited_words) == [
        ("recorded_messages", "body", edited_words)], "Anna's edited words, exactly once"
    assert everywhere(bot, first_words) == [], "the edit replaced the words"
    assert everywhere(bot, removed_words) == [], "a redacted message is gone"
    assert {t for t, _, _ in everywhere(bot, removed)} <= {"handled_events"}
    assert [h for h in everywhere(bot, bent.user_id) if h[0] in (
        "recorded_messages", "capture_counts", "captures")] == [], "Bent is not in minutes"
    assert {t for t, _, _ in everywhere(bot, bents)} <= {"handled_events"}, \
        "Bent's message is known only as handled"
    assert query(bot, "SELECT capture_id, role, messages FROM capture_counts") == [
        (1, "citizen", 1)], "Bent's message is counted by his role, nothing else"
    edited_at = query(bot, "SELECT edited_at FROM recorded_messages")
    assert edited_at[0][0] is not None, "the edit is dated"
    assert query(bot, "SELECT count(*) FROM recording_rooms WHERE active") == [(0,)], \
        "the room no longer records"
    assert {t for t, _, _ in everywhere(bot, edited)} <= {"handled_events"}, \
        "the edit's own event is not a recorded message"
    print(f"\nencrypted capture test: {time.monotonic() - began:.1f} s; the redacted words "
          f"in the file's bytes: {in_file_bytes(bot, removed_words) or 'no'}")


async def test_consent_in_a_direct_chat_is_for_every_salon_and_withdrawal_is_at_once(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    carl: Citizen = await make_citizen("carl")
    harbour, chat = await open_salon(bot, host, carl, title="Havnen")
    park, _ = await open_salon(bot, host, carl, title="Parken", chat=chat)
    switched = await host.ask(park, "!salon language en --room", timeout=WAIT_S)
    assert switched.body.startswith("This salon now speaks English."), switched.body

    # Both notices come to the one direct chat; Carl answers there, for all his salons.
    direct = await the_bots_direct_chat(carl, bot)
    await bot_says(carl, direct, bot, "Velkommen til", count=2)
    assert [m.body.splitlines()[0] for m in from_bot(carl, direct, bot, "Velkommen til")] \
        == ["Velkommen til #1 »Havnen«!", "Velkommen til #2 »Parken«!"]
    general = await carl.ask(direct, "!salon samtykke ja", timeout=WAIT_S)
    assert general.body == (
        "Når der tages referat, gemmer jeg det, du skriver, og dine punkter; referatet og "
        "rapporterne viser dig under et pseudonym, aldrig dit navn eller Matrix-id. Det "
        "gælder alle dine saloner, hvor du ikke har valgt andet, nu og senere. Du kan altid "
        "ændre det med !salon samtykke ja, navn eller nej."), general.body
    assert query(bot, "SELECT user_id, salon_id, level, via FROM consents") == [
        (carl.user_id, None, "yes", "command")]

    started = await host.ask(harbour, "!salon start", timeout=WAIT_S)
    assert ("Jeg gemmer, hvad disse personer skriver, fordi de har sagt ja: "
            f"{carl.user_id}.") in started.body, started.body
    started = await host.ask(park, "!salon start", timeout=WAIT_S)
    assert ("I record what these people write, because they said yes: "
            f"{carl.user_id}.") in started.body, started.body
    assert started.body.startswith(("**Minutes are being taken now**",
                                    "Minutes are being taken now")), started.body
    await carl.until(lambda: from_bot(carl, park, bot, "Minutes are being taken"),
                     timeout=WAIT_S, what="the start notice in the park")

    # Withdrawn in the harbour: the very next message is not recorded (sent before the
    # answer came), while the park still records Carl.
    kept = await carl.say(harbour, "I havnen: flere bænke")
    withdrawal = await carl.say(harbour, "!salon samtykke nej")
    after_no_words = f"Efter nej {uuid.uuid4().hex}"
    await carl.say(harbour, after_no_words)
    await carl.until(lambda: carl.replies_to(withdrawal), timeout=WAIT_S,
                     what="the answer to the withdrawal")
    [answer] = carl.replies_to(withdrawal)
    assert answer.body == (
        "Jeg gemmer intet af det, du skriver; kun antallet af beskeder tælles, uden navne. "
        "Det gælder #1 »Havnen«. Du kan altid ændre det med !salon samtykke ja, navn eller "
        "nej."), answer.body
    in_park = await carl.say(park, "In the park: more trees")
    ended = await host.ask(harbour, "!salon slut", timeout=WAIT_S)
    assert ("Jeg gemte 1 besked fra 1 person, der sagde ja. Af de andres beskeder blev 1 "
            "talt med, ikke gemt.") in ended.body, ended.body
    await until_true(lambda: any(e == in_park for e, _, _ in recorded(bot)),
                     what="the park's message recorded")
    assert [(e, b) for e, _, b in recorded(bot)] == [(kept, "I havnen: flere bænke"),
                                                   (in_park, "In the park: more trees")]
    assert everywhere(bot, after_no_words) == [], "nothing after the withdrawal is stored"

    # The English salon, in Carl's own language: no, then yes again, in the salon.
    own = await carl.ask(park, "!salon language en", timeout=WAIT_S)
    assert own.body == "From now on I write to you in English.", own.body
    withdrawal = await carl.say(park, "!salon consent no")
    unheard = f"Not for the minutes {uuid.uuid4().hex}"
    await carl.say(park, unheard)
    await carl.until(lambda: carl.replies_to(withdrawal), timeout=WAIT_S,
                     what="the English answer to the withdrawal")
    assert carl.replies_to(withdrawal)[0].body == (
        "I record nothing you write; only how many messages people write is counted, "
        "without names. This applies to #2 “Parken”. You can change it at any time with "
        "!salon consent yes, named or no.")
    again = await carl.ask(park, "!salon consent yes", timeout=WAIT_S)
    assert again.body == (
        "When minutes are taken, I record what you write and your items; the minutes and "
        "reports show you under a pseudonym, never your name or Matrix id. This applies to "
        "#2 “Parken”. You can change it at any time with !salon consent yes, named or no."), \
        again.body
    back = await carl.say(park, "Back on the record")
    ended = await host.ask(park, "!salon end", timeout=WAIT_S)
    assert ended.body.startswith(("**The minutes have ended.**", "The minutes have ended.")), \
        ended.body
    assert ("I recorded 2 messages from 1 person who said yes. Of the others, 1 message was "
            "counted, not recorded. Write !salon summary for a summary.") in ended.body, \
        ended.body
    assert everywhere(bot, unheard) == []
    assert [(e, b) for e, _, b in recorded(bot)][1:] == [
        (in_park, "In the park: more trees"), (back, "Back on the record")]
    assert query(bot, "SELECT capture_id, role, messages FROM capture_counts ORDER BY "
                      "capture_id") == [(1, "citizen", 1), (2, "citizen", 1)]
    assert query(bot, "SELECT salon_id, level, via FROM consents ORDER BY id") == [
        (None, "yes", "command"), (1, "none", "command"), (2, "none", "command"),
        (2, "yes", "command")], "every decision is kept"
    print(f"\nconsent by command test: {time.monotonic() - began:.1f} s")


async def test_a_capture_goes_on_across_a_restart_and_records_each_message_once(
        make_bot, make_citizen) -> None:
    began = time.monotonic()
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    dora: Citizen = await make_citizen("dora")
    salon, _ = await open_salon(bot, host, dora, title="Biblioteket")
    await dora.ask(salon, "!salon samtykke ja", timeout=WAIT_S)
    await host.ask(salon, "!salon start", timeout=WAIT_S)

    before = await dora.say(salon, "Før genstarten")
    await until_true(lambda: [e for e, _, _ in recorded(bot)] == [before],
                     what="the first message recorded")
    assert await bot.stop() == 0
    position = query(bot, "SELECT value FROM sync_state WHERE key = 'next_batch'")

    while_down = await dora.say(salon, "Mens botten var væk")
    await edit(dora, salon, before, "Før genstarten, rettet")
    stopped_at = time.monotonic()
    await bot.start()
    print(f"\nrestart: ready in {bot.started_in:.2f} s")
    await until_true(lambda: recorded(bot) == [
        (before, dora.user_id, "Før genstarten, rettet"),
        (while_down, dora.user_id, "Mens botten var væk")],
        what="what was said while the bot was down, recorded after it caught up")
    print(f"caught up {time.monotonic() - stopped_at:.2f} s after the restart began")
    info = await host.ask(salon, "!salon info", timeout=WAIT_S)
    info_command = in_reply_to(info)
    assert any(line.startswith("Referat: tages siden ") for line in info.body.splitlines()), \
        info.body
    after = await dora.say(salon, "Efter genstarten")
    await until_true(lambda: len(recorded(bot)) == 3, what="talk after the restart recorded")

    # A second restart from the position before all that, as after a crash before the
    # position was stored: the bot sees the same events again and records none twice.
    assert await bot.stop() == 0
    with sqlite3.connect(db_file(bot)) as connection:
        connection.execute("UPDATE sync_state SET value = ? WHERE key = 'next_batch'",
                           (position[0][0],))
    connection.close()
    seen: list[str] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                 executemany: bool) -> None:
        if "handled_events" in statement:
            seen.append(repr(parameters))

    event.listen(Engine, "before_cursor_execute", remember)
    try:
        await bot.start()
        ended = await host.ask(salon, "!salon slut", timeout=WAIT_S)
    finally:
        event.remove(Engine, "before_cursor_execute", remember)
    assert any(while_down in p for p in seen) and any(after in p for p in seen), \
        "the restarted bot saw those events again (and found them handled)"
    assert "Jeg gemte 3 beskeder fra 1 person, der sagde ja. Af de andres beskeder blev 0 " \
        "talt med, ikke gemt." in ended.body, ended.body
    assert recorded(bot) == [
        (before, dora.user_id, "Før genstarten, rettet"),
        (while_down, dora.user_id, "Mens botten var væk"),
        (after, dora.user_id, "Efter genstarten")]
    assert len([m for m in host.messages(salon, bot.user_id)
                if in_reply_to(m) == info_command]) == 1, "a replayed command is not answered"
    for words in ("Før genstarten, rettet", "Mens botten var væk", "Efter genstarten"):
        assert len(everywhere(bot, words)) == 1, words
    assert query(bot, "SELECT count(*) FROM capture_counts") == [(0,)]
    assert query(bot, "SELECT count(*) FROM captures WHERE ended_at IS NULL") == [(0,)]
    print(f"restart test: {time.monotonic() - began:.1f} s")



async def test_a_reply_to_someone_without_consent_does_not_store_their_quoted_words(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    anna: Citizen = await make_citizen("anna")
    bent: Citizen = await make_citizen("bent")
    salon, _ = await open_salon(bot, host, anna, bent, title="Svar")
    await anna.ask(salon, "!salon samtykke ja", timeout=WAIT_S)
    await host.ask(salon, "!salon start", timeout=WAIT_S)
    secret = f"bentshemmelighed{uuid.uuid4().hex[:10]}"
    bents = await bent.say(salon, f"Min mening: {secret}")
    await anna.until(lambda: any(m.event_id == bents for m in anna.messages(salon)),
                     timeout=WAIT_S, what="Bent's message, for Anna")
    # A reply as most clients send it: the quoted message as a fallback in the body.
    answer = await send(anna, salon, {
        "msgtype": "m.text",
        "body": f"> <{bent.user_id}> Min mening: {secret}\n\nEnig!",
        "format": "org.matrix.custom.html",
        "formatted_body": (f"<mx-reply><blockquote><a href=\"https://matrix.to/#/{salon}/"
                           f"{bents}\">In reply to</a> {bent.user_id}<br>Min mening: "
                           f"{secret}</blockquote></mx-reply>Enig!"),
        "m.relates_to": {"m.in_reply_to": {"event_id": bents}}})
    await host.ask(salon, "!salon slut", timeout=WAIT_S)
    assert [(e, u) for e, u, _ in recorded(bot)] == [(answer, anna.user_id)]
    assert everywhere(bot, secret) == [], "Bent's words, quoted in Anna's reply, were stored"
    assert [h for h in everywhere(bot, bent.user_id) if h[0] == "recorded_messages"] == []
    assert recorded(bot)[0][2] == "Enig!"


async def test_a_recorded_message_redacted_after_the_minutes_ended_is_removed(
        make_bot, make_citizen) -> None:
    bot: RunningBot = await make_bot()
    host: Citizen = await make_citizen("host")
    anna: Citizen = await make_citizen("anna")
    salon, _ = await open_salon(bot, host, anna, title="Bagefter")
    await anna.ask(salon, "!salon samtykke ja", timeout=WAIT_S)
    await host.ask(salon, "!salon start", timeout=WAIT_S)
    words = f"Det fortryder jeg {uuid.uuid4().hex[:8]}"
    said = await anna.say(salon, words)
    await host.ask(salon, "!salon slut", timeout=WAIT_S)
    assert [e for e, _, _ in recorded(bot)] == [said]
    await redact(anna, salon, said)
    await host.ask(salon, "!salon info", timeout=WAIT_S)  # handled after the redaction
    assert recorded(bot) == [], "deleted in the chat app, still in the minutes"
    assert everywhere(bot, words) == []
