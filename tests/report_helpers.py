"""A database with two salons for the report tests (final report, Markdown, HTML site),
built through the real handlers (``bot.chat.ChatSession``) as people would use the bot.

Salon 1 "Ny legeplads" (Anna hosts, named): Bjørn said yes (a pseudonym), Carl said nothing
(only counted), Dorthe is a politician who chose to be named. One meeting was held with
minutes, items and a summary; one outcome was answered by staff, one waits. Salon 2
"Cykelsti på Havnevej" (Bjørn hosts) has a meeting ahead and nothing else. The outcome rows
are written directly: their commands are another area's.
"""

from __future__ import annotations

from datetime import timedelta

from chat_helpers import ANNA, BJORN, CARL, DORTHE, NOW, chat_config_with, open_salon, say
from sqlalchemy import select

from bot.chat import ChatSession
from bot.clock import FixedClock
from bot.db import MinuteItem, Salon
from bot.db.models import Outcome, OutcomeEvent
from handlers import build_registry

STAFF = "@case.worker:example.org"
TITLE_1 = "Ny legeplads"
TITLE_2 = "Cykelsti på Havnevej"
ANSWER = "Kommunen bygger legepladsen ved skolen i 2027."


def report_chat(db_url: str, *, lang: str = "da", **bot: object) -> ChatSession:
    config = chat_config_with(bot={"staff": [STAFF], "default_language": lang, **bot})
    return ChatSession(db_url, config, clock=FixedClock(NOW), registry=build_registry())


async def fill(chat: ChatSession) -> tuple[str, str]:
    """The two salons; returns their room ids."""
    clock = chat.clock
    room = await open_salon(chat, f'!salon open "{TITLE_1}" --topic "Hvor skal den ligge?"',
                            guests=(BJORN, CARL))
    await say(chat, ANNA, f"!salon invite {DORTHE} as politician", room)
    await chat.join(DORTHE, room)
    await say(chat, ANNA, "!salon consent named", room)
    await say(chat, BJORN, "!salon consent yes", room)
    await say(chat, DORTHE, "!salon consent named", room)
    await say(chat, ANNA, '!salon schedule 2026-03-06 19:00 at "Skolens aula"', room)
    await say(chat, BJORN, "!salon rsvp yes 1", room)
    await say(chat, DORTHE, "!salon rsvp maybe 1", room)
    clock.advance(hours=26)  # type: ignore[attr-defined]  # 19:00 local on the 6th
    await say(chat, ANNA, "!salon start 1", room)
    await chat.say(BJORN, room, "Legepladsen skal ligge ved skolen, så børnene kan gå derhen.")
    await chat.say(CARL, room, "Jeg bor lige ved siden af skolen.")
    await chat.say(DORTHE, room, "Skolen har plads på den gamle boldbane.")
    await say(chat, BJORN, "!salon idea Bænke ved søen til bedsteforældrene", room)
    await say(chat, ANNA, f"!salon action {BJORN} tal med skolens bestyrelse", room)
    await say(chat, DORTHE, "!salon question Hvad koster en ny legeplads?", room)
    clock.advance(hours=1)  # type: ignore[attr-defined]
    await say(chat, ANNA, "!salon end", room)
    await say(chat, ANNA, "!salon summary", room)

    other = await open_salon(chat, f'!salon open "{TITLE_2}" --public', host=BJORN)
    await say(chat, BJORN, '!salon schedule 2026-04-02 18:30 at "Biblioteket"', other)

    with chat.db.session() as session:
        salon = session.scalar(select(Salon).where(Salon.title == TITLE_1))
        assert salon is not None
        item = session.scalar(select(MinuteItem).where(MinuteItem.salon_id == salon.id,
                                                       MinuteItem.kind == "idea"))
        at = clock.now()
        answered = Outcome(salon_id=salon.id, kind="proposal", status="answered",
                           text="Legepladsen skal ligge ved skolen.", answer=ANSWER,
                           created_by=ANNA, created_at=at, answered_at=at + timedelta(days=2),
                           updated_at=at + timedelta(days=2))
        answered.events += [
            OutcomeEvent(action="submitted", status="submitted", by_user=ANNA, by_role="host",
                         at=at),
            OutcomeEvent(action="status", status="received", by_user=STAFF, by_role="staff",
                         at=at + timedelta(days=1)),
            OutcomeEvent(action="answer", status="answered", text=ANSWER, by_user=STAFF,
                         by_role="staff", at=at + timedelta(days=2)),
        ]
        waiting = Outcome(salon_id=salon.id, kind="question", status="received",
                          text="Kan der komme lys på stien?", item_id=item.id if item else None,
                          created_by=ANNA, created_at=at, updated_at=at + timedelta(days=1))
        waiting.events += [
            OutcomeEvent(action="submitted", status="submitted", by_user=ANNA, by_role="host",
                         at=at),
            OutcomeEvent(action="status", status="received", by_user=STAFF, by_role="staff",
                         at=at + timedelta(days=1)),
        ]
        session.add_all([answered, waiting])
        session.commit()
    clock.advance(days=3)  # type: ignore[attr-defined]
    return room, other
