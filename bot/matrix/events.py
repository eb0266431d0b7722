"""Which events the router sees, and in what shape.

The bot acts on plain text messages (``m.text``; never notices, which is what bots post, nor
its own messages), their edits (``m.replace``) and redactions, on membership changes of
others, on reactions and on poll answers. Everything else in a room is ignored. Which of
these reach the database at all is decided in the sync loop (``bot.watch``). Content is
checked, not assumed: a field of the wrong type (a list where an object belongs, say) reads
as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nio import (
    Event,
    ReactionEvent,
    RedactionEvent,
    RoomMemberEvent,
    RoomMessageText,
    UnknownEvent,
)

from bot.replies import without_reply_fallback

POLL_RESPONSE_TYPES = frozenset({"m.poll.response", "org.matrix.msc3381.poll.response"})


@dataclass(frozen=True)
class Routed:
    """``kind`` is ``message`` (a command goes to ``Router.handle``, other talk to the
    ``talk`` hooks of a recording room) or a hook kind for ``Router.handle_event``:
    ``member``, ``edit``, ``redaction``, ``reaction`` or ``poll_response``. ``relates_to``
    is the event an edit, redaction, reaction or poll answer is about."""

    kind: str
    sender: str
    event_id: str
    body: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    relates_to: str | None = None


def _object(value: object) -> dict[str, Any]:
    """Event content is whatever the sender sent: anything but a JSON object counts as {}."""
    return value if isinstance(value, dict) else {}


def _content(event: Event) -> dict[str, Any]:
    return _object(_object(event.source).get("content"))


def _relation(event: Event) -> dict[str, Any]:
    return _object(_content(event).get("m.relates_to"))


def _poll_answers(content: dict[str, Any]) -> list[str]:
    answers = content.get("m.selections")
    if answers is None:
        answers = _object(content.get("org.matrix.msc3381.poll.response")).get("answers")
    return [a for a in answers if isinstance(a, str)] if isinstance(answers, list) else []


def classify(event: Event, bot_user_id: str) -> Routed | None:
    if isinstance(event, RoomMemberEvent):
        if event.state_key == bot_user_id:
            return None
        previous = event.prev_membership or "leave"
        if event.membership == previous:
            return None  # a new display name or avatar, not a membership change
        return Routed("member", event.state_key, event.event_id, payload={
            "user_id": event.state_key,
            "membership": event.membership,
            "prev_membership": previous,
            "event_id": event.event_id,
            "by": event.sender,
        })
    if event.sender == bot_user_id:
        return None
    sent_at = event.server_timestamp
    if isinstance(event, RoomMessageText):
        relation = _relation(event)
        if relation.get("rel_type") == "m.replace":
            original = _string(relation.get("event_id"))
            new = _object(_content(event).get("m.new_content"))
            body = new.get("body")
            return Routed("edit", event.sender, event.event_id, relates_to=original, payload={
                "event_id": event.event_id, "replaces": original, "ts": sent_at,
                "body": body if isinstance(body, str) else event.body,
            })
        reply_to = _string(_object(relation.get("m.in_reply_to")).get("event_id"))
        body = without_reply_fallback(event.body) if reply_to else event.body
        return Routed("message", event.sender, event.event_id, body=body, payload={
            "event_id": event.event_id, "body": body, "reply_to": reply_to,
            "ts": sent_at,
        })
    if isinstance(event, RedactionEvent):
        return Routed("redaction", event.sender, event.event_id, relates_to=event.redacts,
                      payload={"event_id": event.event_id, "redacts": event.redacts,
                               "ts": sent_at})
    if isinstance(event, ReactionEvent):
        return Routed("reaction", event.sender, event.event_id, relates_to=event.reacts_to,
                      payload={"event_id": event.event_id, "reacts_to": event.reacts_to,
                               "key": event.key, "ts": sent_at})
    if isinstance(event, UnknownEvent) and event.type in POLL_RESPONSE_TYPES:
        poll = _string(_relation(event).get("event_id"))
        return Routed("poll_response", event.sender, event.event_id, relates_to=poll, payload={
            "event_id": event.event_id,
            "poll_event_id": poll,
            "answers": _poll_answers(_content(event)),
            "ts": sent_at,
        })
    return None


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def is_own_join(event: Event, bot_user_id: str) -> bool:
    return (isinstance(event, RoomMemberEvent) and event.state_key == bot_user_id
            and event.membership == "join" and event.prev_membership != "join")


def is_own_invite(event: Event, bot_user_id: str) -> bool:
    return (isinstance(event, RoomMemberEvent) and event.state_key == bot_user_id
            and event.membership == "invite")


def fresh_part(events: list[Event], bot_user_id: str) -> list[Event]:
    """The events of a timeline the bot should act on.

    When the bot has just joined (its join is in this timeline) the events before the join
    are history, except those sent while it was invited: a citizen who opens a chat with
    the bot and types a command before the bot has joined still gets an answer.
    """
    join_at = next((i for i in range(len(events) - 1, -1, -1)
                    if is_own_join(events[i], bot_user_id)), None)
    if join_at is None:
        return events
    invite_at = next((i for i in range(join_at - 1, -1, -1)
                      if is_own_invite(events[i], bot_user_id)), None)
    start = invite_at + 1 if invite_at is not None else join_at + 1
    return events[start:]
