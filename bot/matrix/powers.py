"""Power levels as the room version defines them.

Since room version 12 (MSC4289) the creators of a room have unlimited power and must not
appear in ``m.room.power_levels`` ``users`` at all; Synapse rejects such an event. In older
versions the creator is an ordinary user at level 100, and Synapse requires the creator to
be listed when ``users`` is overridden at creation. So the room version decides what the bot
writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bot.rooms import ADMIN

#: Unstable identifiers that already have the MSC4289 rules.
_CREATOR_POWER_UNSTABLE = frozenset({"org.matrix.hydra.11"})


def creators_have_infinite_power(room_version: str) -> bool:
    if room_version in _CREATOR_POWER_UNSTABLE:
        return True
    return room_version.isdigit() and int(room_version) >= 12


def creation_users(room_version: str, bot_user_id: str,
                   moderators: Sequence[str], moderator_level: int) -> dict[str, int]:
    """The ``users`` of the power levels a new salon room starts with."""
    users = {user: moderator_level for user in moderators if user != bot_user_id}
    if not creators_have_infinite_power(room_version):
        users[bot_user_id] = ADMIN
    return users


def creators(state: Iterable[Mapping[str, Any]]) -> tuple[str, set[str]]:
    """The room version and the creators, read from the room's ``m.room.create`` event."""
    for event in state:
        if event.get("type") == "m.room.create" and event.get("state_key") == "":
            content = event.get("content", {})
            version = str(content.get("room_version", "1"))
            found = {str(event.get("sender"))}
            found.update(str(u) for u in content.get("additional_creators", []) or [])
            return version, found
    return "1", set()


def with_level(content: Mapping[str, Any], user_id: str, level: int | None) -> dict[str, Any]:
    """A copy of the power-levels content with ``user_id`` at ``level``; None (or the room's
    default) removes their entry, so they have the room's default level."""
    updated = dict(content)
    users = dict(updated.get("users", {}))
    default = int(updated.get("users_default", 0))
    if level is None or level == default:
        users.pop(user_id, None)
    else:
        users[user_id] = level
    updated["users"] = users
    return updated
