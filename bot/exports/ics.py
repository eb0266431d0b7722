"""ICS: every meeting of the export (all salons, or one) in one calendar file, built as the
``calendar`` command builds it (``bot.calendar``: the same UIDs, SEQUENCE, STATUS:CANCELLED
and VTIMEZONE), so importing an export and a salon's own calendar file gives one event per
meeting. Cancelled meetings are included, so a calendar that has them learns they are off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.calendar import calendar_bytes, meeting_event, meeting_uid
from bot.db import Meeting, Salon
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.i18n import Translator
from bot.privacy import USER_ID
from bot.rooms import matrix_to


def server_of(room_id: str, options: ExportOptions) -> str:
    if options.server:
        return options.server
    _, _, server = room_id.partition(":")
    return server or "localhost"


def _meetings(session: Session, options: ExportOptions) -> Iterator[tuple[Meeting, Any]]:
    query = select(Meeting, Salon.title, Salon.room_id).join(Salon, Salon.id == Meeting.salon_id)
    if options.salon_id is not None:
        query = query.where(Meeting.salon_id == options.salon_id)
    if options.since is not None:
        query = query.where(or_(Meeting.updated_at >= options.since,
                                Meeting.created_at >= options.since))
    query = query.order_by(Meeting.starts_at, Meeting.id).execution_options(yield_per=500)
    for meeting, title, room_id in session.execute(query):
        yield meeting, (title, room_id)


def write_ics(session: Session, path: Path, options: ExportOptions, people: People,
              t: Translator, name: str) -> int:
    """Writes the calendar; returns the number of meetings in it."""
    count = 0

    def events() -> Iterator[Any]:
        nonlocal count
        for meeting, (title, room_id) in _meetings(session, options):
            salon_id = meeting.salon_id

            def shown(match: Any, salon_id: int = salon_id) -> str:
                return people.shown(match.group(0), salon_id)

            server = server_of(room_id, options)
            masked = _Masked(meeting, shown)
            count += 1
            yield meeting_event(t, USER_ID.sub(shown, title), masked,  # type: ignore[arg-type]
                                uid=meeting_uid(meeting.id, server),
                                link=matrix_to(room_id, server))

    path.write_bytes(calendar_bytes(name, events()))
    return count


class _Masked:
    """A meeting whose texts show people as the export may (title, place, link)."""

    def __init__(self, meeting: Meeting, shown: Any) -> None:
        self._meeting = meeting
        self.title = USER_ID.sub(shown, meeting.title) if meeting.title else meeting.title
        self.place = USER_ID.sub(shown, meeting.place) if meeting.place else meeting.place
        self.url = USER_ID.sub(shown, meeting.url) if meeting.url else meeting.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meeting, name)

