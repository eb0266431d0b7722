"""Storage: typed models, sessions and schema migrations."""

from bot.db.models import (
    Base,
    HandledEvent,
    JobState,
    Member,
    MemberStatus,
    OutboxMessage,
    RecordingRoom,
    Role,
    RoomSetting,
    Salon,
    SalonStatus,
    ScheduledJob,
    Standing,
    SyncState,
    UserSetting,
    WatchedEvent,
)
from bot.db.session import TRANSIENT_DB_ERRORS, Database, is_transient

__all__ = [
    "Base",
    "Database",
    "HandledEvent",
    "JobState",
    "Member",
    "MemberStatus",
    "OutboxMessage",
    "RecordingRoom",
    "Role",
    "RoomSetting",
    "Salon",
    "ScheduledJob",
    "SalonStatus",
    "Standing",
    "SyncState",
    "TRANSIENT_DB_ERRORS",
    "UserSetting",
    "WatchedEvent",
    "is_transient",
]
