"""What an export or a report may show of people, one set of rules for every format (the
tables, the Markdown and HTML reports, the final report ``close`` posts):

- a person appears as ``People.shown``: their Matrix id only with ``consent named`` for that
  salon, else the installation's stable pseudonym; a Matrix id inside any text is replaced
  the same way (``masked``);
- a person's own words (a recorded message, a minute item) only while they consent (yes or
  named) now (``words``);
- a message's text also not once deleted by retention, nor when it is older than
  ``privacy.retention_days`` (the sweep may not have run yet), and never the quote of
  another person's message a reply carries (``message_text``);
- a summary of minutes with recorded words of someone who has since withdrawn is left out
  (``withdrawn_captures``, ``summary_text``): it may quote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Capture, RecordedMessage
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.privacy import USER_ID
from bot.replies import without_reply_fallback


@dataclass
class Scope:
    """What every table and report reads with: who may be shown how, the filters, the
    time."""

    people: People
    options: ExportOptions
    now: datetime
    #: Captures with recorded words of someone who no longer consents (read on first use).
    _withdrawn: set[int] | None = None
    #: How each (person, salon) is shown, worked out once: an export asks a million times.
    _shown: dict[tuple[str, int | None], str] = field(default_factory=dict)

    def shown(self, user_id: str | None, salon_id: int | None) -> str:
        """``People.shown``, cached."""
        if user_id is None:
            return ""
        key = (user_id, salon_id)
        found = self._shown.get(key)
        if found is None:
            found = self._shown[key] = self.people.shown(user_id, salon_id)
        return found

    def withdrawn_captures(self, session: Session) -> set[int]:
        """The captures whose recorded messages include someone who no longer consents: a
        summary of one may quote their words, so its text is not shown. Only the export's
        salon's captures when it is of one salon."""
        if self._withdrawn is None:
            query = (select(RecordedMessage.capture_id, RecordedMessage.user_id,
                            Capture.salon_id)
                     .join(Capture, Capture.id == RecordedMessage.capture_id)
                     .where(RecordedMessage.body.is_not(None)).distinct())
            if self.options.salon_id is not None:
                query = query.where(Capture.salon_id == self.options.salon_id)
            allows = self.people.allows_text
            self._withdrawn = {capture for capture, user, salon in session.execute(query)
                               if not allows(user, salon)}
        return self._withdrawn

    def summary_text(self, capture_id: int | None, salon_id: int | None,
                     text: str | None) -> str | None:
        """A stored summary's text as it may be shown (None: left out). Needs
        ``withdrawn_captures`` read first."""
        if self._withdrawn is None:
            raise RuntimeError("withdrawn_captures(session) must be read before summary_text")
        if capture_id is not None and capture_id in self._withdrawn:
            return None
        return self.masked(text, salon_id)

    #: Times may come as SQLite's stored text (``raw_times``): the cutoff as such text too.
    _cutoff_text: str = ""
    _allows: dict[tuple[str, int | None], bool] = field(default_factory=dict)

    @property
    def retention_cutoff(self) -> datetime:
        return self.now - timedelta(days=self.options.retention_days)

    def beyond_retention(self, sent_at: datetime | str) -> bool:
        if sent_at.__class__ is str:
            if not self._cutoff_text:
                self._cutoff_text = sqlite_text(self.retention_cutoff)
            return sent_at < self._cutoff_text  # type: ignore[operator]
        return sent_at < self.retention_cutoff  # type: ignore[operator]

    def allows_text(self, user_id: str, salon_id: int | None) -> bool:
        key = (user_id, salon_id)
        found = self._allows.get(key)
        if found is None:
            found = self._allows[key] = self.people.allows_text(user_id, salon_id)
        return found

    def masked(self, text: str | None, salon_id: int | None) -> str | None:
        """Text with every Matrix id in it shown as its person may be shown."""
        if not text or "@" not in text:
            return text
        shown = self.shown
        return USER_ID.sub(lambda m: shown(m.group(0), salon_id), text)

    def words(self, user_id: str | None, salon_id: int | None, text: str | None) -> str | None:
        """A person's own words, only while they consent."""
        if text is None or user_id is None or not self.allows_text(user_id, salon_id):
            return None
        return self.masked(text, salon_id)


def sqlite_text(moment: datetime) -> str:
    """A time as SQLAlchemy stores a ``UTCDateTime`` on SQLite (text that sorts by time)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def message_text(scope: Scope, user_id: str, salon_id: int | None, body: str | None,
                 sent_at: datetime | str, text_deleted_at: datetime | str | None) -> str | None:
    """What may be shown of a recorded message's text (None: nothing): consent now, within
    retention, without the quote of the message it answers."""
    if body is None or text_deleted_at is not None or scope.beyond_retention(sent_at):
        return None
    if body.startswith(">"):
        body = without_reply_fallback(body)
    return scope.words(user_id, salon_id, body)
