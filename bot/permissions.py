"""The one permission check: where a command works and who may use it."""

from __future__ import annotations

from bot.commands import CommandSpec, Permission, Scope
from bot.context import Context


def may_act_as_host(ctx: Context) -> bool:
    """Whether the sender may do what the salon's hosts may: host-only commands and
    host-only options (``language --room``) both ask here."""
    return ctx.member is not None and ctx.member.is_host


def refusal(spec: CommandSpec, ctx: Context) -> str | None:
    """None when allowed; otherwise a message in the user's language saying who may."""
    t = ctx.t
    verb = spec.name_in(ctx.lang)
    if spec.scope is Scope.SALON and ctx.salon is None:
        return t._(
            "“{verb}” works inside a salon room. Write it there, or write {prefix} help to see "
            "what works here."
        ).format(verb=verb, prefix=ctx.prefix)
    if spec.scope is Scope.STAFF_ROOM and not ctx.in_staff_room:
        return t._("“{verb}” works only in the municipality's staff room.").format(verb=verb)
    if spec.permission is Permission.MEMBER:
        if ctx.salon is None:
            return t._(
                "Only a salon's participants may use “{verb}”, and only in the salon's room. "
                "Write it there, or write {prefix} help to see what works here."
            ).format(verb=verb, prefix=ctx.prefix)
        if ctx.member is None:
            return t._("Only the salon's participants may use “{verb}”.").format(verb=verb)
    if spec.permission is Permission.HOST:
        if ctx.salon is None:
            return t._(
                "Only a salon's hosts may use “{verb}”, and only in the salon's room. "
                "Write it there, or write {prefix} help to see what works here."
            ).format(verb=verb, prefix=ctx.prefix)
        if not may_act_as_host(ctx):
            hosts = ", ".join(m.user_id for m in ctx.salon.hosts())
            return t._("Only the salon's hosts may use “{verb}”: {hosts}.").format(
                verb=verb, hosts=hosts or "-"
            )
    if spec.permission is Permission.STAFF and not ctx.is_staff:
        return t._("Only the municipality's staff may use “{verb}”.").format(verb=verb)
    return None
