"""Which rooms are recording and which of the bot's events matter: the record path's filter.

Ordinary talk is most of what the bot sees, and none of its business. The sync loop asks
here, in memory, whether an event needs the database at all: talk only in a room that is
recording (minutes are being taken), and a reaction, edit, redaction or poll answer only when
it relates to an event being watched (an announcement, a poll, a consent notice, a command
whose record depends on it). The sets mirror the tables ``recording_rooms`` and
``watched_events``; they change after the transaction that changed the rows commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db import Database, RecordingRoom, WatchedEvent
from bot.db.session import after_commit

#: Kinds that are about another event: they matter only when that event is watched.
RELATED_KINDS = frozenset({"edit", "redaction", "reaction", "poll_response"})


class Watch:
    def __init__(self) -> None:
        self._events: dict[str, str] = {}
        self._recording: set[str] = set()
        self._recorded: set[str] = set()  # rooms that record or once did

    def load(self, db: Database) -> None:
        with db.session() as session:
            rows = session.execute(select(WatchedEvent.event_id, WatchedEvent.key)).all()
            self._events = {event_id: key for event_id, key in rows}
            rooms = session.execute(select(RecordingRoom.room_id, RecordingRoom.active)).all()
            self._recording = {room for room, active in rooms if active}
            self._recorded = {room for room, _ in rooms}

    def key_of(self, event_id: str | None) -> str | None:
        """The key the bot gave ``event_id`` when it started watching it, or None."""
        return self._events.get(event_id) if event_id else None

    def is_recording(self, room_id: str) -> bool:
        return room_id in self._recording

    def hook_kind(self, kind: str, room_id: str,
                  relates_to: str | None) -> tuple[str | None, str | None]:
        """Which hooks an event that is not a command goes to (None: it needs nothing), and
        the key of the watched event it is about. ``message`` is ordinary talk."""
        if kind == "message":
            return ("talk" if self.is_recording(room_id) else None), None
        if kind in RELATED_KINDS:
            key = self.key_of(relates_to)
            if key is None and not self.is_recording(room_id) and not (
                    kind in ("edit", "redaction") and room_id in self._recorded):
                return None, None
            return kind, key
        return kind, None

    def watch_event(self, session: Session, *, event_id: str, room_id: str, key: str,
                    at: datetime) -> None:
        if session.get(WatchedEvent, event_id) is None:
            session.add(WatchedEvent(event_id=event_id, room_id=room_id, key=key, created_at=at))
        after_commit(session, lambda: self._events.__setitem__(event_id, key))

    def event_ids(self, session: Session, key: str) -> list[str]:
        """The events watched under ``key`` (an announcement re-posted after a change)."""
        return list(session.scalars(select(WatchedEvent.event_id)
                                    .where(WatchedEvent.key == key)))

    def unwatch(self, session: Session, key: str) -> None:
        ids = self.event_ids(session, key)
        session.execute(delete(WatchedEvent).where(WatchedEvent.key == key))

        def forget() -> None:
            for event_id in ids:
                self._events.pop(event_id, None)

        after_commit(session, forget)

    def start_recording(self, session: Session, *, room_id: str, by: str | None,
                        at: datetime) -> None:
        row = session.get(RecordingRoom, room_id)
        if row is None:
            session.add(RecordingRoom(room_id=room_id, started_by=by, started_at=at,
                                      active=True))
        else:
            row.started_by, row.started_at, row.active = by, at, True

        def mirror() -> None:
            self._recording.add(room_id)
            self._recorded.add(room_id)

        after_commit(session, mirror)

    def stop_recording(self, session: Session, room_id: str) -> None:
        """Talk is no longer recorded; edits and removals of what was recorded still come."""
        session.execute(update(RecordingRoom).where(RecordingRoom.room_id == room_id)
                        .values(active=False))
        after_commit(session, lambda: self._recording.discard(room_id))
