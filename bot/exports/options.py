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


def read_since(text: str, zone: str) -> datetime:
    """``2026-03-01`` (midnight in ``zone``) or ``2026-03-01T18:00`` / ``2026-03-01 18:00``
    (in ``zone`` unless it names its own offset), as an aware time; ValueError otherwise."""
    from datetime import date
    from zoneinfo import ZoneInfo

    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(text) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(zone))
