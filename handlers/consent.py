"""``consent yes|named|no`` and the consent notice a newcomer gets.

Nobody's words are recorded before they say yes. The notice explains, in plain words and the
person's language, what would be recorded and who reads it; a ✅ on it is ``consent yes``.
It comes once per person per salon, in a direct chat, and only while they have not decided.
"""

from __future__ import annotations

from typing import Any

from bot import consent
from bot.commands import CommandSpec, Registry, UsageError
from bot.context import Context
from bot.db import ConsentLevel, RsvpAnswer, Salon, UserSetting
from bot.i18n import N_, Translator, translator
from bot.parser import ParsedCommand, read_choice
from bot.replies import Reply
from handlers.describe import salon_label
from handlers.meeting_text import answer_of

LEVEL_WORDS = {
    ConsentLevel.YES: ("yes", "ja", "jo"),
    ConsentLevel.NAMED: ("named", "navn", "med-navn", "namn", "med-namn", "name"),
    ConsentLevel.NONE: ("no", "nej", "nei", "withdraw", "tilbage", "trekk"),
}


def read_level(word: str) -> ConsentLevel | None:
    return read_choice(word, LEVEL_WORDS)


def meaning(t: Translator, level: ConsentLevel) -> str:
    if level is ConsentLevel.NAMED:
        return t._("When minutes are taken, I record what you write and your items, and the "
                   "minutes and reports show your name.")
    if level is ConsentLevel.YES:
        return t._("When minutes are taken, I record what you write and your items; the "
                   "minutes and reports show you under a pseudonym, never your name or "
                   "Matrix id.")
    return t._("I record nothing you write; only how many messages people write is "
               "counted, without names.")


async def consent_command(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    level = read_level(command.args[0]) if command.args else None
    if level is None:
        current = consent.level_of(ctx.session, ctx.sender,
                                   ctx.salon.id if ctx.salon else None)
        raise UsageError(t._("Say yes, named or no. Now: {meaning}").format(
            meaning=meaning(t, current)))
    salon = ctx.salon if ctx.salon is not None and ctx.member is not None else None
    consent.record(ctx.session, user_id=ctx.sender, salon_id=salon.id if salon else None,
                   level=level, via="command", at=ctx.clock.now())
    if salon is not None:
        where = t._("This applies to {salon}.").format(salon=salon_label(t, salon))
    else:
        where = t._("This applies to all your salons where you have not chosen otherwise, "
                    "now and later.")
    return Reply(f"{meaning(t, level)} {where} " + t._(
        "You can change it at any time with {prefix} consent yes, named or no.").format(
        prefix=ctx.prefix))


def notice_key(salon: Salon, user_id: str) -> str:
    return f"consent:{salon.id}:{user_id}"


def notice(ctx: Context, salon: Salon, user_id: str) -> Reply | None:
    """The consent notice for a newcomer, unless they decided already or got it before."""
    if consent.decision(ctx.session, user_id, salon.id) is not None:
        return None
    if ctx.watch.event_ids(ctx.session, notice_key(salon, user_id)):
        return None
    setting = ctx.session.get(UserSetting, user_id)
    t = translator((setting.language if setting else None) or salon.language
                   or ctx.config.bot.default_language)
    text = "\n".join([
        t._("Welcome to {salon}!").format(salon=salon_label(t, salon)),
        t._("When the hosts take minutes, I can record what you write, so the minutes and "
            "the summary for the municipality include your words. I only do that if you say "
            "yes; otherwise only the number of messages is counted."),
        t._("Who reads it: the people in the salon and the municipality's staff. You appear "
            "under a pseudonym unless you choose to be named. You can see or erase what I "
            "keep at any time with {prefix} my-data and {prefix} forget-me.").format(
            prefix=ctx.prefix),
        t._("React ✅ to this message to say yes, or write {prefix} consent yes (or named, "
            "or no) in the salon.").format(prefix=ctx.prefix),
    ])
    return Reply(text, direct_to=user_id, watch=notice_key(salon, user_id))


async def on_member(ctx: Context, payload: dict[str, Any]) -> list[Reply]:
    if ctx.salon is None or payload.get("membership") != "join" or \
            payload.get("prev_membership") == "join":
        return []
    user_id = str(payload.get("user_id"))
    if user_id == ctx.bot_user_id:
        return []
    found = notice(ctx, ctx.salon, user_id)
    return [found] if found is not None else []


async def on_reaction(ctx: Context, payload: dict[str, Any]) -> list[Reply]:
    """✅ on the consent notice is ``consent yes`` for that salon, by that person only."""
    key = payload.get("relates_key") or ""
    if not key.startswith("consent:"):
        return []
    _, salon_id, user_id = key.split(":", 2)
    if ctx.sender != user_id or answer_of(str(payload.get("key", ""))) is not RsvpAnswer.YES:
        return []
    salon = ctx.session.get(Salon, int(salon_id)) if salon_id.isdecimal() else None
    if salon is None:
        return []
    consent.record(ctx.session, user_id=user_id, salon_id=salon.id, level=ConsentLevel.YES,
                   via="reaction", at=ctx.clock.now())
    t = ctx.t
    return [Reply(t._("Thank you! {meaning} This applies to {salon}.").format(
        meaning=meaning(t, ConsentLevel.YES), salon=salon_label(t, salon)),
        direct_to=user_id)]


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="consent", handler=consent_command,
        usage=N_("{prefix} consent yes|named|no"),
        summary=N_("Says whether I may record what you write in minutes (under a pseudonym, "
                   "or with your name)"),
        aliases={"da": ("samtykke",), "nb": ("samtykke",), "sv": ("samtycke",)},
    ))
    registry.on("member", on_member)
    registry.on("reaction", on_reaction)
