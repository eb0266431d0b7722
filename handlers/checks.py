"""Checks several handlers share; each raises the exception the router turns into a reply."""

from __future__ import annotations

from bot.commands import Refusal
from bot.context import Context
from bot.db import Salon
from handlers.describe import day


def verb_in(ctx: Context, name: str, lang: str | None = None) -> str:
    """A verb as the reader (or a reader of ``lang``: the staff room, the salon) would
    type it."""
    spec = ctx.registry.resolve(name)
    return spec.name_in(lang or ctx.lang) if spec else name


def still_open(ctx: Context, salon: Salon, verb: str) -> None:
    if salon.is_open:
        return
    closed = day(ctx, salon.closed_at, salon) if salon.closed_at else "-"
    raise Refusal(ctx.t._(
        "This salon was closed on {date}, so “{verb}” no longer works here. You can open a "
        "new salon with {prefix} open \"title\".").format(
        date=closed, verb=verb_in(ctx, verb), prefix=ctx.prefix))


def salon_of(ctx: Context) -> Salon:
    """The salon of a salon-scoped command; the router has already refused it elsewhere."""
    if ctx.salon is None:
        raise RuntimeError("a salon command reached its handler outside a salon room")
    return ctx.salon
