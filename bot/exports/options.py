"""What one export is asked for: shared by the command line and the staff room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FORMATS = ("csv", "xlsx", "json", "md", "html", "ics")
#: The readable reports: a file or page per salon and an index, not tables of rows.
REPORT_FORMATS = ("md", "html")


@dataclass(frozen=True)
class ExportOptions:
    format: str
    #: Only what happened from then on (rows created or changed since); None: everything.
    since: datetime | None = None
    #: Only this salon (its id); None: all salons.
    salon_id: int | None = None
    #: The municipality's default language (``bot.default_language``): headings, labels.
    language: str = "da"
    #: The zone times are shown in where a reader sees them (``bot.timezone``).
    timezone: str = "Europe/Copenhagen"
    #: ``privacy.retention_days``: a message's text older than this is never shown, even
    #: before the daily sweep has deleted it.
    retention_days: int = 180
    #: The bot's homeserver name (from ``matrix.user_id``): meeting UIDs
    #: (``salonbot-meeting-<id>@<server>``) and links to the salons' rooms; None: the server
    #: of each salon's room id, else ``localhost``.
    server: str | None = None
