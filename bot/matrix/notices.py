"""What the bot tells people when it could not do what they asked: nobody is left waiting
in silence. Each notice goes through the outbox like any reply, with a transaction id
derived from what it is about, so it is sent once, also across a crash. Each is written under
the database's work lock, like every unit of work (``Database.work_lock``)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.db import Database
from bot.i18n import Translator, translator
from bot.matrix.outbox import Outbox, OutgoingReply, outgoing
from bot.replies import Reply, escape_markup

log = logging.getLogger("salonbot.matrix.notices")

#: (session, user id, room id or None) -> language code: the router's choice.
LanguageFor = Callable[[Session, str, str | None], str]

#: A person is told about unreadable messages in one room at most this often.
UNREADABLE_EVERY_S = 3600.0


class Notices:
    def __init__(self, *, db: Database, outbox: Outbox, clock: Clock, timezone: str,
                 language_for: LanguageFor, room_name: Callable[[str], str]) -> None:
        self.db = db
        self.outbox = outbox
        self.clock = clock
        self.zone = ZoneInfo(timezone)
        self.language_for = language_for
        self.room_name = room_name
        self._told_unreadable: dict[tuple[str, str], float] = {}

    def _when(self, t: Translator, at: datetime) -> str:
        return format_datetime(at.astimezone(self.zone), "short", locale=t.lang)

    def _stage(self, session: Session, reply: Reply, *, room_id: str, key: str) -> None:
        self.outbox.stage(session, outgoing([reply], room_id=room_id, event_id=None,
                                            now=self.clock.now(), txn_key=key))

    def undeliverable(self, item: OutgoingReply, why: str) -> None:
        """The answer to someone's command was given up: tell them in a direct chat (unless
        it was that direct chat that failed, or nobody asked)."""
        person = item.requested_by
        if person is None or item.direct_to == person:
            return
        with self.db.session() as session:
            t = translator(self.language_for(session, person, item.origin_room))
            text = t._("I could not deliver my answer to your command in {room}. Please write "
                       "the command again. If it keeps happening, give the operator this "
                       "reference: {ref}").format(room=escape_markup(
                           self.room_name(item.origin_room)), ref=item.txn_id)
            self._stage(session, Reply(text, direct_to=person), room_id=item.origin_room,
                        key=f"undeliverable\x00{item.txn_id}")

    async def unreadable(self, sender: str, room_id: str, event_id: str,
                         sent_at: datetime) -> None:
        """An encrypted message whose key never came: the sender may have written a command."""
        now = time.monotonic()
        last = self._told_unreadable.get((sender, room_id))
        if last is not None and now - last < UNREADABLE_EVERY_S:
            log.info("not telling %s again about an unreadable message in %s", sender, room_id)
            return
        async with self.db.unit() as session:
            t = translator(self.language_for(session, sender, room_id))
            text = t._("I could not read the message you wrote in {room} at {time}: it is "
                       "encrypted, and your app did not give me the key to read it. If it "
                       "was a command for me, please write it again. If this keeps happening, "
                       "check that your app sends encrypted messages to unverified sessions "
                       "too.").format(room=escape_markup(self.room_name(room_id)),
                                      time=self._when(t, sent_at))
            self._stage(session, Reply(text, direct_to=sender), room_id=room_id,
                        key=f"unreadable\x00{event_id}")
        self._told_unreadable[(sender, room_id)] = now

    async def missed(self, room_id: str, since: datetime | None, until: datetime) -> None:
        """A gap in a room that could not be filled: the senders are unknown, so the room is
        told."""
        async with self.db.unit() as session:
            t = translator(self.language_for(session, "", room_id))
            if since is not None:
                text = t._("I was away and could not read everything written here between "
                           "{start} and {end}. If you wrote a command for me then, please "
                           "write it again.").format(start=self._when(t, since),
                                                     end=self._when(t, until))
            else:
                text = t._("I was away and could not read everything written here until "
                           "{end}. If you wrote a command for me then, please write it again."
                           ).format(end=self._when(t, until))
            self._stage(session, Reply(text), room_id=room_id,
                        key=f"missed\x00{room_id}\x00{until.isoformat()}")

    async def invite_failed(self, inviter: str, room_id: str) -> None:
        async with self.db.unit() as session:
            t = translator(self.language_for(session, inviter, None))
            text = t._("You invited me to a room ({room}), but I could not join it after "
                       "several tries, so I have declined the invitation. Please invite me "
                       "again later.").format(room=escape_markup(room_id))
            self._stage(session, Reply(text, direct_to=inviter), room_id=room_id,
                        key=f"invite-failed\x00{room_id}\x00{inviter}")
