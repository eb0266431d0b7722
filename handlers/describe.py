"""How salons, people, counts and dates read in a reply, the same in every handler."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from bot import words
from bot.context import Context
from bot.db import Member, MemberStatus, Salon, Standing
from bot.i18n import Translator, translator
from bot.replies import escape_markup
from bot.rooms import RoomError

# Only these schemes become links in a reply (see bot.replies); others are shown as text.
_LINKABLE = re.compile(r"^(https?://|matrix:)")


def salon_translator(ctx: Context, salon: Salon) -> Translator:
    """Everyone in the salon's room reads what is posted there: the salon's language."""
    return translator(salon.language or ctx.config.bot.default_language)


def salon_label(t: Translator, salon: Salon) -> str:
    """``#12 “Ny legeplads”``: the number people type, and the title they recognise."""
    return t._("#{id} “{title}”").format(id=salon.id, title=escape_markup(salon.title))


def link(label: str, url: str) -> str:
    label = label.replace("[", "(").replace("]", ")")
    return f"[{label}]({url})" if _LINKABLE.match(url) else f"{label} ({url})"


def room_link(ctx: Context, salon: Salon) -> str:
    """The salon's room as a link labelled with its title."""
    return link(escape_markup(salon.title), ctx.rooms.room_link(salon.room_id))


def role_counts(t: Translator, members: Iterable[Member]) -> str:
    """``2 citizens, 1 politician and 1 staff member`` in the reader's language."""
    return words.role_counts(t, Counter(member.role for member in members))


def day(ctx: Context, when: datetime, salon: Salon | None = None) -> str:
    """A date as people write it, in the salon's time zone."""
    zone = ZoneInfo((salon.timezone if salon else None) or ctx.config.bot.timezone)
    return format_date(when.astimezone(zone), format="long", locale=ctx.t.locale)


def moment(ctx: Context, when: datetime, salon: Salon | None = None) -> str:
    """A date and time to the minute as people write it, in the salon's time zone."""
    zone = ZoneInfo((salon.timezone if salon else None) or ctx.config.bot.timezone)
    local = when.astimezone(zone)
    return ctx.t._("{date} at {time}").format(
        date=format_date(local, format="long", locale=ctx.t.locale),
        time=format_time(local, format="short", locale=ctx.t.locale))


def host_labels(t: Translator, salon: Salon) -> list[str]:
    """``@anna:example.org (host)``, one per host and co-host; a host who is out of the room
    (the last one keeps the standing, see ``Member.leave``) is marked as away."""
    labels = []
    for member in salon.hosts():
        away = member.status == MemberStatus.LEFT.value
        if member.standing == Standing.HOST.value:
            label = t._("{user} (host, not in the room)") if away else t._("{user} (host)")
        else:
            label = t._("{user} (co-host, not in the room)") if away else t._("{user} (co-host)")
        labels.append(label.format(user=member.user_id))
    return labels


def joined(salon: Salon) -> list[Member]:
    return [m for m in salon.members if m.status == MemberStatus.JOINED.value]


def ever_joined(salon: Salon) -> list[Member]:
    return [m for m in salon.members if m.joined_at is not None]


def room_problem(t: Translator, err: RoomError) -> str:
    """Why the homeserver refused, in words a participant can act on."""
    if err.code == "unknown-user":
        return t._("I can't find this person on Matrix. Check the spelling.")
    if err.code == "forbidden":
        return t._("The server did not allow it.")
    if err.code == "not-found":
        return t._("I can't reach the salon's room any more.")
    if err.code == "rate-limited":
        return t._("The server is busy right now. Try again in a minute.")
    return t._("Something went wrong on the server. Try again later.")
