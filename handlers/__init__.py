"""Command handlers, one module per area of commands; none of them knows Matrix.

Each area module has ``register(registry)``; ``build_registry`` is the list of areas.
"""

from __future__ import annotations

from bot.commands import Registry


def build_registry() -> Registry:
    from handlers import (
        calendar,
        capture,
        consent,
        exports,
        findtime,
        general,
        items,
        meetings,
        membership,
        minutes,
        outcomes,
        privacy,
        rsvp,
        salons,
        staff,
        summary,
    )

    registry = Registry()
    for area in (general, salons, membership, meetings, rsvp, findtime, calendar, consent,
                 capture, items, summary, minutes, privacy, outcomes, staff,
                 exports):
        area.register(registry)
    return registry
