"""``help`` and ``language``: the two commands someone needs before anything else."""

from __future__ import annotations

from bot.commands import (
    CommandSpec,
    Permission,
    Refusal,
    Registry,
    Scope,
    UsageError,
    unknown_verb_text,
    usage_text,
)
from bot.context import Context
from bot.db import RoomSetting, UserSetting
from bot.i18n import LANGUAGE_NAMES, N_, Translator, normalise_language, translator
from bot.parser import ParsedCommand
from bot.permissions import may_act_as_host
from bot.replies import Reply, escape_markup

SCOPE_HEADINGS = {
    Scope.ANYWHERE: N_("Anywhere (also in a direct chat with me):"),
    Scope.SALON: N_("In a salon room:"),
    Scope.STAFF_ROOM: N_("In the staff room:"),
}
SCOPE_NAMES = {
    Scope.ANYWHERE: N_("anywhere"),
    Scope.SALON: N_("in a salon room"),
    Scope.STAFF_ROOM: N_("in the staff room"),
}
PERMISSION_NAMES = {
    Permission.ANYONE: N_("everyone"),
    Permission.MEMBER: N_("the salon's participants"),
    Permission.HOST: N_("the salon's hosts and co-hosts"),
    Permission.STAFF: N_("the municipality's staff"),
}

# What people call their language, besides the codes bot.i18n already understands.
LANGUAGE_WORDS = {
    "dansk": "da", "danish": "da", "danska": "da",
    "norsk": "nb", "bokmål": "nb", "norwegian": "nb", "norska": "nb",
    "svenska": "sv", "svensk": "sv", "swedish": "sv",
    "english": "en", "engelsk": "en", "engelska": "en",
}


def _language(word: str) -> str | None:
    return LANGUAGE_WORDS.get(word.casefold()) or normalise_language(word)


def _choices(t: Translator) -> str:
    return t._("Choose da (dansk), nb (norsk bokmål), sv (svenska) or en (English).")


def _other_words(spec: CommandSpec, lang: str) -> list[str]:
    shown = spec.name_in(lang)
    others: list[str] = []
    for word in spec.words():
        if word != shown and word not in others:
            others.append(word)
    return others


async def help_command(command: ParsedCommand, ctx: Context) -> Reply:
    if command.args:
        return _help_for(command.args[0], ctx)
    t = ctx.t
    lines = [t._("**What I can do** (write {prefix} and then the command):").format(
        prefix=ctx.prefix)]
    for scope, heading in SCOPE_HEADINGS.items():
        if scope is Scope.STAFF_ROOM and not (ctx.is_staff or ctx.in_staff_room):
            continue
        specs = [s for s in ctx.registry.specs if s.scope is scope]
        if not specs:
            continue
        lines += ["", t._(heading)]
        for spec in specs:
            word = spec.name_in(ctx.lang)
            english = f" ({spec.name})" if word != spec.name else ""
            lines.append(f"- **{word}**{english}: {t._(spec.summary)}")
    example = ctx.registry.resolve("open")
    lines += ["", t._("Write {prefix} help and a command to see how it is used, for example "
                      "{prefix} help {verb}.").format(
        prefix=ctx.prefix, verb=example.name_in(ctx.lang) if example else "help")]
    return Reply("\n".join(lines))


def _help_for(word: str, ctx: Context) -> Reply:
    t = ctx.t
    spec = ctx.registry.resolve(word)
    if spec is None:
        return Reply(unknown_verb_text(ctx.registry, word, t, ctx.prefix))
    others = _other_words(spec, ctx.lang)
    heading = f"**{spec.name_in(ctx.lang)}**" + (f" ({', '.join(others)})" if others else "")
    lines = [
        heading,
        t._(spec.summary),
        usage_text(spec, ctx.t, ctx.prefix),
        t._("Works {where}, for {who}.").format(
            where=t._(SCOPE_NAMES[spec.scope]), who=t._(PERMISSION_NAMES[spec.permission])),
    ]
    return Reply("\n".join(lines))


async def language_command(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    if not command.args:
        return Reply(t._("I write to you in {language}.").format(
            language=LANGUAGE_NAMES[ctx.lang]) + " " + _choices(t))
    lang = _language(command.args[0])
    if lang is None:
        raise UsageError(t._("I don't know the language “{code}”.").format(
            code=escape_markup(command.args[0])) + " " + _choices(t))
    new = translator(lang)
    if command.option("room"):
        return _set_room_language(ctx, lang, new)
    setting = ctx.session.get(UserSetting, ctx.sender)
    if setting is None:
        setting = UserSetting(user_id=ctx.sender)
        ctx.session.add(setting)
    setting.language = lang
    setting.updated_at = ctx.clock.now()
    return Reply(new._("From now on I write to you in {language}.").format(
        language=LANGUAGE_NAMES[lang]))


def _set_room_language(ctx: Context, lang: str, new: Translator) -> Reply:
    """A room's language is what everyone without a language of their own is answered in.

    A salon's hosts set it for their salon (on the salon); staff set it for a shared room
    that is no salon, a lobby or the staff room (``RoomSetting``). A direct chat has no room
    language: there the person's own language is the only one.
    """
    t = ctx.t
    if ctx.salon is not None:
        if not may_act_as_host(ctx):
            raise Refusal(t._("Only the salon's hosts may change the room's language. You can "
                              "choose your own with {prefix} language {code}.").format(
                prefix=ctx.prefix, code=lang))
        ctx.salon.language = lang
        return Reply(new._("This salon now speaks {language}. Everyone can still choose their "
                           "own language with {prefix} language.").format(
            language=LANGUAGE_NAMES[lang], prefix=ctx.prefix))
    if ctx.is_direct:
        raise Refusal(t._("--room works in a salon room or a room shared with others: there it "
                          "sets the language for everyone who has not chosen their own. Here, "
                          "{prefix} language {code} chooses your own.").format(
            prefix=ctx.prefix, code=lang))
    if not ctx.is_staff:
        raise Refusal(t._("Only the municipality's staff may change the language of a room "
                          "that is not a salon. You can choose your own with {prefix} language "
                          "{code}.").format(prefix=ctx.prefix, code=lang))
    setting = ctx.session.get(RoomSetting, ctx.room_id)
    if setting is None:
        setting = RoomSetting(room_id=ctx.room_id)
        ctx.session.add(setting)
    setting.language = lang
    return Reply(new._("This room now speaks {language}. Everyone can still choose their own "
                       "language with {prefix} language.").format(
        language=LANGUAGE_NAMES[lang], prefix=ctx.prefix))


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="help", handler=help_command,
        usage=N_("{prefix} help [command]"),
        summary=N_("Shows what I can do, or how one command is used"),
        aliases={"da": ("hjælp",), "nb": ("hjelp",), "sv": ("hjälp",)},
    ))
    registry.add(CommandSpec(
        name="language", handler=language_command,
        usage=N_("{prefix} language da|nb|sv|en [--room]"),
        summary=N_("Chooses the language I write to you in"),
        aliases={"da": ("sprog",), "nb": ("språk",), "sv": ("språk",)},
        flags=frozenset({"room"}),
    ))

