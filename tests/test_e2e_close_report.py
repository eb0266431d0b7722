"""``close`` with its final report on a real Synapse, in an encrypted salon: the host reads
the report in the salon (after the closing reply), the staff read the announcement in the
staff room, and the report is stored; only who chose ``consent named`` is named."""

from __future__ import annotations

from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen
from nio import RoomCreateResponse, RoomMessageNotice, RoomPreset
from sqlalchemy import select

from bot.db import Database
from bot.db.models import FinalReport


async def test_close_posts_the_report_in_the_salon_and_tells_the_staff(
        make_bot, make_citizen) -> None:
    staff: Citizen = await make_citizen("staff")
    alias = f"staff-{staff.user.localpart}"
    created = await staff.client.room_create(alias=alias, name="Staff",
                                             preset=RoomPreset.public_chat)
    assert isinstance(created, RoomCreateResponse), created
    staff_room = created.room_id
    bot = await make_bot(staff_room=f"#{alias}:localhost", staff=[staff.user_id])
    await staff.until(lambda: staff.has_joined(staff_room, bot.user_id),
                      what="the bot in the staff room")

    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    quiet: Citizen = await make_citizen("quiet")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, "!salon language en")
    await host.ask(chat, '!salon open "Ny legeplads"')
    salon = await host.accept_invite()
    await host.ask(salon, f"!salon invite {neighbour.user_id} {quiet.user_id}")
    await neighbour.accept_invite(salon)
    await quiet.accept_invite(salon)
    await host.ask(salon, "!salon consent named")
    await neighbour.ask(salon, "!salon consent yes")
    added = await neighbour.ask(salon, "!salon idea Benches by the lake")
    assert "Benches by the lake" in added.body

    command = await host.say(salon, '!salon close "We found a place"')
    await host.until(lambda: len(host.replies_to(command)) >= 2, what="the final report")
    closing, report = host.replies_to(command)[:2]
    assert "is now closed" in closing.body
    assert isinstance(report, RoomMessageNotice) and report.decrypted, "encrypted, readable"
    lines = report.body.splitlines()
    assert lines[0] == "Report of the salon #1 “Ny legeplads”"
    assert "Closing statement: We found a place" in lines
    assert any("Benches by the lake" in line for line in lines)
    assert host.user_id in report.body, "the host chose consent named"
    assert neighbour.user_id not in report.body and quiet.user_id not in report.body
    assert "P-" in report.body, "the neighbour under a pseudonym"

    await staff.until(lambda: staff.messages(staff_room, bot.user_id),
                      what="the announcement in the staff room")
    [told] = staff.messages(staff_room, bot.user_id)
    assert "#1" in told.body and "Ny legeplads" in told.body
    assert "!salon eksport html --salon #1" in told.body, "the verb as the staff room reads it"
    assert neighbour.user_id not in told.body and quiet.user_id not in told.body

    database = Database(bot.config.database.url)
    try:
        with database.session() as session:
            [row] = session.scalars(select(FinalReport)).all()
            assert (row.salon_id, row.language) == (1, "en")
            assert "Benches by the lake" in row.source and quiet.user_id not in row.source
    finally:
        database.dispose()
