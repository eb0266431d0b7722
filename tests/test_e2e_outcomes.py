"""Outcomes on a real Synapse, as a host, a neighbour and a case worker see them in their (nio)
clients: an outcome sent in a salon arrives in the (encrypted) staff room at once; the case
worker's status change and answer arrive in the salon as replies to the outcome's
announcement; a citizen who wandered into the staff room and a staff member outside it are
refused; and an unanswered outcome is raised again in the staff room once per period, also
across restarts of the bot.

Days cannot pass in a test, so the overdue reminder's due time is moved into the past in the
bot's database while the bot is stopped, as if the fourteen days had gone by; everything else
is the bot as it runs. Waits are on conditions with deadlines, never fixed sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot_fixtures import *  # noqa: F403
from bot_fixtures import (
    Citizen,
    RunningBot,
    bot_with_staff_room,
    in_reply_to,
    open_salon,
    raw_event,
)
from nio import RoomMessage
from sqlalchemy import select

from bot.db import Database, ScheduledJob


def from_bot(citizen: Citizen, room: str, bot: RunningBot, start: str) -> list[RoomMessage]:
    return [m for m in citizen.messages(room, bot.user_id) if m.body.startswith(start)]


async def first_from_bot(citizen: Citizen, room: str, bot: RunningBot, start: str
                         ) -> RoomMessage:
    await citizen.until(lambda: from_bot(citizen, room, bot, start), what=f"{start!r}")
    return from_bot(citizen, room, bot, start)[0]


def move_job(bot: RunningBot, key: str, due_at: datetime) -> str:
    """Sets the overdue job's due time (the bot is stopped); returns its state."""
    db = Database(bot.config.database.url)
    try:
        with db.session() as session:
            job = session.scalar(select(ScheduledJob).where(
                ScheduledJob.kind == "outcome.overdue", ScheduledJob.key == key))
            assert job is not None, f"no overdue job {key}"
            job.due_at = due_at
            state = job.state
            session.commit()
            return state
    finally:
        db.dispose()


def jobs(bot: RunningBot) -> dict[str, tuple[str, datetime]]:
    db = Database(bot.config.database.url)
    try:
        with db.session() as session:
            return {job.key: (job.state, job.due_at) for job in session.scalars(
                select(ScheduledJob).where(ScheduledJob.kind == "outcome.overdue"))}
    finally:
        db.dispose()


async def test_an_outcome_goes_to_the_staff_room_and_the_answer_comes_back_as_a_reply(
        make_bot, make_citizen) -> None:
    bot, staff, wanderer, staff_room = await bot_with_staff_room(make_bot, make_citizen)
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    salon = await open_salon(bot, host, neighbour, staff, title="Bænke ved søen")

    # The host sends an outcome: its announcement is the reply, the staff room gets it.
    announcement = await host.ask(salon, '!salon resultat "To bænke ved søen, så ældre kan '
                                         'hvile sig på turen" --kind anbefaling')
    assert announcement.body.startswith("Resultat U-1 (anbefaling) til kommunen:\nTo bænke "
                                        "ved søen"), announcement.body
    assert "Deres svar kommer her, som svar på denne besked." in announcement.body
    posted = await first_from_bot(staff, staff_room, bot, "Nyt resultat U-1")
    lines = posted.body.splitlines()
    assert lines[0] == "Nyt resultat U-1 fra #1 »Bænke ved søen«", posted.body
    assert lines[1].startswith("Salonens rum: Bænke ved søen (https://matrix.to/#/"), lines[1]
    assert "Slags: anbefaling" in lines and "Status: sendt, venter på kommunen." in lines
    assert '!salon besvar U-1 "jeres svar"' in posted.body
    assert in_reply_to(posted) is None, "a message of its own in the staff room"
    assert (await raw_event(staff.client, staff_room, posted.event_id))["type"] == \
        "m.room.encrypted", "the staff room is encrypted, and so is the outcome in it"

    # Who may answer, and where.
    refused = await wanderer.ask(staff_room, '!salon besvar U-1 "Jeg svarer bare"')
    assert refused.body == "Kun kommunens medarbejdere kan bruge »besvar«."
    refused = await staff.ask(salon, '!salon besvar U-1 "Her i salonen"')
    assert refused.body == "»besvar« virker kun i kommunens medarbejderrum."
    refused = await wanderer.ask(staff_room, "!salon status U-1 modtaget")
    assert refused.body == "Kun kommunens medarbejdere kan bruge »status«."

    # A status change, then the answer: each a reply to the announcement in the salon.
    confirm = await staff.ask(staff_room, '!salon status U-1 i-gang "Vi måler stien op"')
    assert confirm.body == "U-1 er nu »under behandling«; jeg har fortalt det i #1 »Bænke " \
                           "ved søen«."
    notice = await first_from_bot(neighbour, salon, bot, "Nyt fra kommunen om U-1")
    assert in_reply_to(notice) == announcement.event_id
    assert notice.body.splitlines()[1:] == ["Begrundelse: Vi måler stien op",
                                            "Sat af en medarbejder i kommunen."]
    confirm = await staff.ask(staff_room, '!salon besvar U-1 "Bænkene kommer op i maj."')
    assert confirm.body == "Dit svar på U-1 er gemt og sendt i #1 »Bænke ved søen«."
    answer = await first_from_bot(neighbour, salon, bot, "Kommunen har svaret på U-1")
    assert in_reply_to(answer) == announcement.event_id
    assert answer.body.splitlines()[1:] == ["Bænkene kommer op i maj.",
                                            "Svaret er givet af en medarbejder i kommunen."]
    assert staff.user_id not in answer.body, "by role: the case worker did not choose a name"
    assert (await raw_event(neighbour.client, salon, answer.event_id))["type"] == \
        "m.room.encrypted"

    info = await neighbour.ask(salon, "!salon info")
    assert "Resultater til kommunen:\n• U-1 (anbefaling): besvaret den " in info.body
    still = await wanderer.ask(staff_room, '!salon status U-1 afvist "nej"')
    assert still.body.startswith("Kun kommunens medarbejdere"), "nothing changed by them"
    listing = await staff.ask(staff_room, "!salon resultater")
    assert listing.body.startswith("Intet resultat venter på svar."), listing.body


async def test_an_unanswered_outcome_is_raised_once_per_period_across_restarts(
        make_bot, make_citizen) -> None:
    bot, staff, wanderer, staff_room = await bot_with_staff_room(make_bot, make_citizen)
    host: Citizen = await make_citizen("host")
    salon = await open_salon(bot, host, title="Hundeskov")
    await host.ask(salon, '!salon resultat "En hundeskov i parken"')
    await first_from_bot(staff, staff_room, bot, "Nyt resultat U-1")
    state, due = jobs(bot)["outcome:1:1"]
    assert state == "pending"
    assert timedelta(days=13, hours=23) < due - datetime.now(UTC) <= timedelta(days=14)

    def raised(days: int) -> list[RoomMessage]:
        return from_bot(staff, staff_room, bot,
                        f"⏰ U-1 fra #1 »Hundeskov« er stadig ikke besvaret efter {days} dage.")

    # Fourteen days go by while the bot is stopped: at its start the reminder is sent.
    assert await bot.stop() == 0
    assert move_job(bot, "outcome:1:1", datetime.now(UTC) - timedelta(seconds=1)) == "pending"
    await bot.start()
    await staff.until(lambda: raised(14), what="the overdue reminder")
    [first] = raised(14)
    assert "Status: sendt, venter på kommunen." in first.body
    assert '!salon besvar U-1 "jeres svar"' in first.body
    assert in_reply_to(first) is None
    after = jobs(bot)
    assert after["outcome:1:1"][0] == "done"
    assert after["outcome:1:2"][0] == "pending"
    assert after["outcome:1:2"][1] - due == timedelta(days=14), "the next period, not sooner"

    # Restart again, with the next period fallen due too: that one is sent, this one not again.
    assert await bot.stop() == 0
    assert move_job(bot, "outcome:1:2", datetime.now(UTC) - timedelta(seconds=1)) == "pending"
    await bot.start()
    await staff.until(lambda: raised(28), what="the reminder of the second period")
    listing = await staff.ask(staff_room, "!salon resultater")
    assert listing.body.startswith("1 resultat venter på svar:\n• U-1 · #1 »Hundeskov«")
    assert len(raised(14)) == 1 and len(raised(28)) == 1, "each period once"
    assert jobs(bot)["outcome:1:3"][0] == "pending"

    # Declined: the next reminder is taken back, and a restart sends nothing more.
    await staff.ask(staff_room, '!salon status U-1 afvist "Parken er fredet"')
    assert jobs(bot)["outcome:1:3"][0] == "cancelled"
    assert await bot.stop() == 0
    await bot.start()
    await staff.ask(staff_room, "!salon resultater")
    assert len(raised(14)) == 1 and len(raised(28)) == 1
    assert not from_bot(staff, staff_room, bot, "⏰ U-1 fra #1 »Hundeskov« er stadig ikke "
                                                "besvaret efter 42")
