"""Storage: typed models, sessions and schema migrations."""

from bot.db.models import (
    Base,
    HandledEvent,
    Member,
    MemberStatus,
    OutboxMessage,
    Role,
    RoomSetting,
    Salon,
    SalonStatus,
    Standing,
    SyncState,
    UserSetting,
)
from bot.db.session import Database

__all__ = [
    "Base",
    "Database",
    "HandledEvent",
    "Member",
    "MemberStatus",
    "OutboxMessage",
    "Role",
    "RoomSetting",
    "Salon",
    "SalonStatus",
    "Standing",
    "SyncState",
    "UserSetting",
]
