"""How a command is declared: its verb, aliases, where it works and who may use it.

Handlers register ``CommandSpec``s in a ``Registry``; the router reads nothing but specs,
so it holds no command-specific logic.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.parser import ParsedCommand, fold_verb
from bot.replies import Reply, escape_markup

if TYPE_CHECKING:
    from bot.context import Context
    from bot.i18n import Translator


class Scope(enum.StrEnum):
    ANYWHERE = "anywhere"
    SALON = "salon"
    STAFF_ROOM = "staff-room"


class Permission(enum.StrEnum):
    ANYONE = "anyone"
    MEMBER = "member"
    HOST = "host"
    STAFF = "staff"


HandlerResult = Reply | list[Reply] | None
Handler = Callable[[ParsedCommand, "Context"], Awaitable[HandlerResult]]
EventHook = Callable[["Context", dict[str, Any]], Awaitable[HandlerResult]]
#: Runs a scheduled job (``ctx.job`` is its row); returns the messages it posts.
JobHandler = Callable[["Context"], Awaitable[HandlerResult]]


class UsageError(Exception):
    """The command was used wrongly; the router adds the verb's usage to ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Refusal(Exception):
    """The command is understood but not allowed or not possible now; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CommandSpec:
    """One verb. ``flags`` are the ``--options`` that stand alone, ``value_options`` those
    that take the next word; the parser refuses any other option, so none is ignored."""

    name: str
    handler: Handler
    usage: str
    summary: str
    scope: Scope = Scope.ANYWHERE
    permission: Permission = Permission.ANYONE
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()
    value_options: frozenset[str] = frozenset()

    def words(self) -> Iterable[str]:
        yield self.name
        for words in self.aliases.values():
            yield from words

    def name_in(self, lang: str) -> str:
        localised = self.aliases.get(lang)
        return localised[0] if localised else self.name


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, CommandSpec] = {}
        self._words: dict[str, CommandSpec] = {}
        self._hooks: dict[str, list[EventHook]] = {}
        self._jobs: dict[str, JobHandler] = {}
        self._start: list[JobHandler] = []

    def add(self, spec: CommandSpec) -> None:
        for word in spec.words():
            key = fold_verb(word)
            if key in self._words and self._words[key].name != spec.name:
                raise ValueError(f"{word!r} names both {self._words[key].name} and {spec.name}")
            self._words[key] = spec
        self._specs[spec.name] = spec

    def command(
        self, name: str, *, usage: str, summary: str, **options: Any
    ) -> Callable[[Handler], Handler]:
        """Decorator form of ``add`` for handler modules."""

        def register(handler: Handler) -> Handler:
            self.add(
                CommandSpec(name=name, handler=handler, usage=usage, summary=summary, **options)
            )
            return handler

        return register

    def on(self, kind: str, hook: EventHook) -> None:
        """Hooks for things that are not commands: ``member`` changes, ``reaction``s,
        ``poll_response``s, and in a recording room or about a watched event ``talk``,
        ``edit`` and ``redaction`` (see docs/handlers.md)."""
        self._hooks.setdefault(kind, []).append(hook)

    def hooks(self, kind: str) -> list[EventHook]:
        return self._hooks.get(kind, [])

    def job(self, kind: str, handler: JobHandler) -> None:
        """What runs when a scheduled job of ``kind`` falls due (``bot.jobs``)."""
        if kind in self._jobs:
            raise ValueError(f"two handlers for the job kind {kind!r}")
        self._jobs[kind] = handler

    def job_handler(self, kind: str) -> JobHandler | None:
        return self._jobs.get(kind)

    def on_start(self, hook: JobHandler) -> None:
        """Runs once when the bot has started (after the first sync, with the scheduler
        running): an area makes sure its standing jobs exist (a daily sweep, say)."""
        self._start.append(hook)

    @property
    def start_hooks(self) -> list[JobHandler]:
        return list(self._start)

    def resolve(self, word: str) -> CommandSpec | None:
        """The spec a verb or alias names, however it is accented, cased or spelled."""
        return self._words.get(fold_verb(word))

    def suggest(self, word: str, lang: str) -> CommandSpec | None:
        preferred = {s.name_in(lang): s for s in self._specs.values()}
        everything = dict(self._words)
        for pool, key in ((preferred, word.casefold()), (everything, fold_verb(word))):
            match = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.6)
            if match:
                return pool[match[0]]
        return None

    @property
    def specs(self) -> list[CommandSpec]:
        return list(self._specs.values())


def usage_text(spec: CommandSpec, t: Translator, prefix: str) -> str:
    """"Usage: …" for a verb, as the router and ``help`` both show it."""
    return t._("Usage: {usage}").format(usage=t._(spec.usage).format(prefix=prefix))


def unknown_verb_text(registry: Registry, verb: str, t: Translator, prefix: str) -> str:
    """What to say about a verb nobody registered, with the closest one as a suggestion."""
    text = t._("I don't know the command “{verb}”.").format(verb=escape_markup(verb))
    suggestion = registry.suggest(verb, t.lang)
    if suggestion is not None:
        text += " " + t._("Did you mean “{prefix} {verb}”?").format(
            prefix=prefix, verb=suggestion.name_in(t.lang))
    return text + " " + t._("Write {prefix} help to see all commands.").format(prefix=prefix)
