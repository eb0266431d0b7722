"""The outbox forgets nothing: replies staged, left behind by a crash, or staged after an
empty look are all handed to the sender."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.db import Database, migrate
from bot.matrix.outbox import Outbox, outgoing
from bot.replies import Reply

ROOM = "!salon:example.org"
NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def _stage(db: Database, outbox: Outbox, event_id: str, text: str) -> None:
    with db.session() as session:
        outbox.stage(session, outgoing([Reply(text)], room_id=ROOM, event_id=event_id, now=NOW))


def test_replies_are_pending_until_removed_and_found_again_after_a_restart(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    migrate.upgrade(url)
    db = Database(url)
    outbox = Outbox(db)
    assert outbox.pending(NOW) == []

    _stage(db, outbox, "$first", "Velkommen")
    [first] = outbox.pending(NOW)
    assert (first.source, first.reply_to) == ("Velkommen", "$first")
    outbox.remove(first)
    assert outbox.pending(NOW) == []

    _stage(db, outbox, "$second", "Salonen er lukket")  # staged after an empty look
    [second] = outbox.pending(NOW)
    assert second.reply_to == "$second"

    restarted = Outbox(db)  # a crash before delivery: the next start finds the reply
    assert [r.txn_id for r in restarted.pending(NOW)] == [second.txn_id]
    db.dispose()
