"""Conversations for the summariser tests, written like real salon chat (greetings, "+1", jokes).

Each one has known points, so tests can check that a summary finds them and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.summariser import Message

START = datetime(2025, 3, 13, 18, 0, tzinfo=UTC)


def msg(
    id: str,
    author: str,
    text: str,
    minute: int,
    *,
    role: str = "citizen",
    reply_to: str | None = None,
    reactions: dict[str, int] | None = None,
    item: str | None = None,
    lang: str | None = None,
) -> Message:
    return Message(
        id=id, author=author, role=role, text=text, ts=START + timedelta(minutes=minute),
        reply_to=reply_to, reactions=reactions or {}, item=item, lang=lang,
    )


def danish_salon() -> list[Message]:
    """Traffic around a school. Points: bike path (said three times), speed bumps, parents
    parking in the crossing, lighting on the path (idea), closing the road (contested).
    Open: the bus, snow clearing (asked twice). Answered: the road budget."""
    return [
        msg("d1", "host1", "Hej alle sammen! Velkommen til salonen 😊", 0, role="host"),
        msg("d2", "anna", "Hej hej", 1),
        msg("d3", "bent", "Godaften!", 1),
        msg("d4", "host1", "Kan I høre mig?", 2, role="host"),
        msg("d5", "carla", "ja", 2),
        msg("d6", "anna",
            "Der mangler en sikker cykelsti langs Skolevej, børnene cykler mellem bilerne "
            "hver morgen.", 4, reactions={"👍": 5, "❤️": 1}),
        msg("d7", "bent", "+1", 5, reply_to="d6"),
        msg("d8", "dorte", "Helt enig, cykelstien langs Skolevej burde komme først.", 6,
            reply_to="d6"),
        msg("d9", "erik", "haha min cykel er så gammel at den selv kender vejen 😂", 7),
        msg("d10", "carla", "😂😂", 7),
        msg("d11", "frida",
            "Bilerne kører alt for stærkt forbi skolen, vi har brug for vejbump og 30 km/t.",
            9, reactions={"👍": 3}),
        msg("d12", "politiker1",
            "Vejbump ved skolen kan vi godt tage med i trafikplanen til efteråret.", 10,
            role="politician", reply_to="d11"),
        msg("d13", "gustav",
            "Forældrene parkerer i krydset ved hallen om morgenen, så man ikke kan se "
            "børnene.", 12, reactions={"😡": 1, "👍": 2}),
        msg("d14", "gustav",
            "Lav et kys og kør område ved hallen, så forældre ikke holder i krydset.", 13,
            item="proposal"),
        msg("d15", "hanne", "Hvornår bliver budgettet for vejene vedtaget?", 15),
        msg("d16", "kommune1",
            "Budgettet for vejene vedtages i byrådet i oktober, og høringen er i september.",
            16, role="staff", reply_to="d15"),
        msg("d17", "ida",
            "Kan bus 12 ikke køre helt op til skolen om morgenen i stedet for at vende ved "
            "torvet?", 18),
        msg("d18", "anna", "Enig!", 19),
        msg("d19", "jens",
            "Stien bag skolen er helt mørk om vinteren, der skal lamper op langs stien.", 21,
            item="idea", reactions={"💡": 2, "👍": 2}),
        msg("d20", "karen", "Hvem har ansvaret for at rydde sne på stien bag skolen?", 22),
        msg("d21", "bent",
            "Vi burde lukke Skolevej for biler om morgenen mellem 7.30 og 8.15.", 24,
            reactions={"👎": 2, "👍": 1}),
        msg("d22", "frida", "Det er jeg uenig i, så kører alle bare rundt om blokken.", 25,
            reply_to="d21"),
        msg("d23", "dorte", "Nej, det flytter bare problemet til Parkvej.", 26,
            reply_to="d21"),
        msg("d24", "lars",
            "Børnene på Skolevej har virkelig brug for en rigtig cykelsti, det er farligt "
            "nu.", 28),
        msg("d25", "mona", "Hvem rydder egentlig sne på stien bag skolen om vinteren?", 30),
        msg("d26", "host1", "Tak for i dag alle sammen, god aften!", 40, role="host"),
        msg("d27", "anna", "Tak!", 41),
        msg("d28", "erik", "Tak for snakken 👍", 41),
    ]


def swedish_salon() -> list[Message]:
    return [
        msg("s1", "värd", "Hej allihop och välkomna!", 0, role="host"),
        msg("s2", "alva", "Biblioteket i Norrby borde ha öppet på söndagar för barnfamiljer.",
            2, reactions={"👍": 4}),
        msg("s3", "bo", "Håller med, söndagsöppet på biblioteket vore toppen.", 3,
            reply_to="s2"),
        msg("s4", "cecilia",
            "Parken vid skolan behöver fler bänkar och en ordentlig belysning på kvällen.", 5),
        msg("s5", "david", "Varför stängdes fritidsgården förra året egentligen?", 7),
        msg("s6", "bo", "haha ja 😂", 8),
        msg("s7", "eva", "Kommunen borde bygga en säker gångväg till badplatsen vid sjön.", 9,
            item="proposal"),
        msg("s8", "värd", "Tack för i kväll!", 20, role="host"),
    ]


def norwegian_salon() -> list[Message]:
    return [
        msg("n1", "vert", "Hei alle sammen, velkommen!", 0, role="host"),
        msg("n2", "aslak",
            "Vi trenger flere benker og toaletter i parken ved fjorden om sommeren.", 2,
            reactions={"👍": 3}),
        msg("n3", "berit", "Enig, det mangler toaletter i hele parken.", 3, reply_to="n2"),
        msg("n4", "cato",
            "Bussen til sentrum går altfor sjelden på kveldstid, bare én gang i timen.", 5),
        msg("n5", "dagny", "Hvorfor ble svømmehallen stengt i høst egentlig?", 7),
        msg("n6", "cato", "hahaha 😂", 8),
        msg("n7", "eirik", "Kommunen burde lage en trygg gangvei langs fylkesveien til skolen.",
            9, item="idea"),
        msg("n8", "vert", "Takk for i kveld!", 20, role="host"),
    ]


def english_salon() -> list[Message]:
    return [
        msg("e1", "host", "Hi everyone, welcome!", 0, role="host"),
        msg("e2", "amy", "The playground by the harbour needs shade and water fountains for "
            "hot summer days.", 2, reactions={"👍": 3}),
        msg("e3", "ben", "Agreed, the playground gets far too hot in July.", 3, reply_to="e2"),
        msg("e4", "cat", "Evening buses to the station run only once an hour, which is far "
            "too rarely.", 5),
        msg("e5", "dan", "Why was the swimming pool closed last autumn?", 7),
        msg("e6", "ben", "lol 😂", 8),
        msg("e7", "eve", "The council should build a safe footpath along the main road to the "
            "school.", 9, item="proposal"),
        msg("e8", "host", "Thanks everyone!", 20, role="host"),
    ]


def write_jsonl(path: Path, records: Iterable[dict[str, Any] | str]) -> Path:
    """Records as JSON lines; a str is written as it is, to make broken lines."""
    lines = [record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
             for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def as_record(message: Message) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": message.id, "author": message.author, "role": message.role, "text": message.text,
        "ts": message.ts.isoformat(), "reply_to": message.reply_to,
        "reactions": dict(message.reactions),
    }
    if message.item:
        record["item"] = message.item
    return record
