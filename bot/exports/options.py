"""What one export is asked for: shared by the command line and the staff room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FORMATS = ("csv", "xlsx", "json", "md", "html", "ics")


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
