"""From an incoming message to replies: parse, pick the language, check, run, never crash.

The router is the only place that catches handler failures: the user gets a short apology
with a reference, the operator finds the same reference with the traceback in the log. A
database that is locked or away is not a failure of the handler: it is raised to the caller,
which tries the message again, so the command is answered properly once the database is
back.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.commands import (
    HandlerResult,
    Refusal,
    Registry,
    UsageError,
    unknown_verb_text,
    usage_text,
)
from bot.config import Config
from bot.context import Context
from bot.db import Database, RoomSetting, Salon, ScheduledJob, UserSetting, is_transient
from bot.i18n import Translator, translator
from bot.jobs import Jobs
from bot.parser import (
    ParsedCommand,
    ParseError,
    is_command,
    read_options,
    split,
    typed_verb,
)
from bot.permissions import refusal
from bot.replies import Reply, escape_markup
from bot.rooms import RoomPort
from bot.watch import Watch

log = logging.getLogger("salonbot.router")

#: The two language choices read for every command, as plain statements built once (see
#: ``Router.language_for``).
_USER_LANGUAGE = select(UserSetting.__table__.c.language).where(
    UserSetting.__table__.c.user_id == bindparam("key"))
_ROOM_LANGUAGE = select(RoomSetting.__table__.c.language).where(
    RoomSetting.__table__.c.room_id == bindparam("key"))


@dataclass(frozen=True, slots=True)
class Incoming:
    sender: str
    room_id: str
    body: str
    event_id: str | None = None
    is_direct: bool = False


#: Called once per handled message, inside the transaction that commits its outcome, so the
#: transport can record the event and stage the replies atomically with the handler's work.
OnCommit = Callable[[Session, list[Reply]], None]


def _nothing(_session: Session, _replies: list[Reply]) -> None:
    return None


def as_list(result: HandlerResult) -> list[Reply]:
    if result is None:
        return []
    return [result] if isinstance(result, Reply) else list(result)


class Router:
    def __init__(
        self,
        registry: Registry,
        db: Database,
        rooms: RoomPort,
        config: Config,
        clock: Clock,
        *,
        jobs: Jobs | None = None,
        watch: Watch | None = None,
    ) -> None:
        self.registry = registry
        self.db = db
        self.rooms = rooms
        self.config = config
        self.clock = clock
        self.staff_room_id: str | None = None
        self.jobs = jobs or Jobs(clock)
        self.watch = watch or Watch()
        self._allowed = [re.compile(p) for p in config.bot.allowed_users]

    @property
    def prefix(self) -> str:
        return self.config.bot.command_prefix

    def is_allowed(self, user_id: str) -> bool:
        return any(p.fullmatch(user_id) for p in self._allowed)

    def is_command(self, body: str) -> bool:
        """Addressed to the bot (also when unreadable): checked on every message in every
        room, so it looks at the prefix only, without splitting the words."""
        return is_command(body, self.prefix)

    def language_for(self, session: Session, user_id: str, room_id: str | None,
                     salon: Salon | None = None) -> str:
        """The person's choice, else the room's, else the salon's, else the default.
        ``salon`` is the room's salon when the caller has it already.

        A session that holds no settings objects (every command's, at its start) reads the
        two settings with plain statements; one that does may hold changes not yet written,
        so it asks the ORM, which sees them."""
        if not any(isinstance(held, (UserSetting, RoomSetting))
                   for held in (*session.identity_map.values(), *session.new)):
            connection = session.connection()
            language = connection.execute(_USER_LANGUAGE, {"key": user_id}).scalar()
            if language:
                return language
            if room_id:
                language = connection.execute(_ROOM_LANGUAGE, {"key": room_id}).scalar()
                if language:
                    return language
        else:
            setting = session.get(UserSetting, user_id)
            if setting and setting.language:
                return setting.language
            if room_id:
                room = session.get(RoomSetting, room_id)
                if room and room.language:
                    return room.language
        if room_id:
            if salon is None:
                salon = session.scalar(select(Salon).where(Salon.room_id == room_id))
            if salon and salon.language:
                return salon.language
        return self.config.bot.default_language

    def _context(self, session: Session, sender: str, room_id: str, event_id: str | None,
                 is_direct: bool, job: ScheduledJob | None = None) -> Context:
        salon = session.scalar(select(Salon).where(Salon.room_id == room_id))
        t = translator(self.language_for(session, sender, room_id, salon))
        member = salon.member(sender) if salon else None
        if member is not None and member.status == "left":
            member = None
        return Context(
            sender=sender, room_id=room_id, event_id=event_id, t=t, session=session,
            rooms=self.rooms, config=self.config, clock=self.clock, registry=self.registry,
            salon=salon, member=member, is_direct=is_direct, staff_room_id=self.staff_room_id,
            jobs=self.jobs, watch=self.watch, job=job,
        )

    async def handle(self, incoming: Incoming, on_commit: OnCommit = _nothing) -> list[Reply]:
        """Replies for one message; an empty list when the message is not a command.

        ``on_commit`` runs exactly once, in the same transaction as the handler's changes.
        A database that is locked or away raises (``bot.db.TRANSIENT_DB_ERRORS``): nothing
        was committed, and the caller tries the message again later.
        """
        async with self.db.work_lock:
            return await self._handle(incoming, on_commit)

    async def _handle(self, incoming: Incoming, on_commit: OnCommit) -> list[Reply]:
        try:
            command = split(incoming.body, self.prefix)
        except ParseError:
            with self.db.session(write=True) as session:
                t = translator(self.language_for(session, incoming.sender, incoming.room_id))
                replies = [Reply(self._unclosed_quote(typed_verb(incoming.body, self.prefix),
                                                      t))]
                on_commit(session, replies)
                return replies
        if command is None or not self.is_allowed(incoming.sender):
            t = translator(self.config.bot.default_language)
            replies = [] if command is None else [
                Reply(t._("Sorry, this bot only serves the people it was set up for."))]
            with self.db.session(write=True) as session:
                on_commit(session, replies)
            return replies
        ref = secrets.token_hex(4)
        try:
            with self.db.session(write=True) as session:
                ctx = self._context(session, incoming.sender, incoming.room_id,
                                    incoming.event_id, incoming.is_direct)
                replies = await self._run(command, ctx)
                on_commit(session, replies)
                return replies
        except Exception as err:
            if is_transient(err):
                raise
            log.exception("command failed ref=%s sender=%s room=%s verb=%s", ref,
                          incoming.sender, incoming.room_id, command.verb)
        return self._apologise(incoming, on_commit, ref)

    async def apologise(self, incoming: Incoming, on_commit: OnCommit, ref: str) -> list[Reply]:
        """The short apology with a reference, for a message that cannot be handled (the
        caller has logged why under ``ref``)."""
        async with self.db.work_lock:
            return self._apologise(incoming, on_commit, ref)

    def _apologise(self, incoming: Incoming, on_commit: OnCommit, ref: str) -> list[Reply]:
        with self.db.session(write=True) as session:
            t = translator(self.language_for(session, incoming.sender, incoming.room_id))
            replies = [Reply(t._("Sorry, something went wrong on my side. Please try again "
                                 "later. If it keeps happening, give the operator this "
                                 "reference: {ref}").format(ref=ref))]
            on_commit(session, replies)
            return replies

    async def _run(self, command: ParsedCommand, ctx: Context) -> list[Reply]:
        t = ctx.t
        if not command.verb:
            command = ParsedCommand(verb="help")
        spec = self.registry.resolve(command.verb)
        if spec is None:
            return [Reply(unknown_verb_text(self.registry, command.verb, t, self.prefix))]
        denied = refusal(spec, ctx)
        if denied:
            return [Reply(denied)]
        try:
            command = read_options(command, spec.flags, spec.value_options)
        except ParseError as err:
            return [Reply(f"{self._option_error(err, t)}\n{usage_text(spec, t, self.prefix)}")]
        try:
            return as_list(await spec.handler(command, ctx))
        except UsageError as err:
            ctx.session.rollback()
            return [Reply(f"{err.message}\n{usage_text(spec, t, self.prefix)}")]
        except Refusal as err:
            ctx.session.rollback()
            return [Reply(err.message)]

    async def handle_event(self, kind: str, sender: str, room_id: str, payload: dict[str, Any],
                           on_commit: OnCommit = _nothing) -> list[Reply]:
        """Non-command events (membership changes, reactions, recorded talk) go to the hooks
        registered for ``kind``, all in one transaction with ``on_commit``, so their effects
        and the event's handled mark are committed together, exactly once.

        Each hook runs in a savepoint: one that fails with a bug is rolled back alone,
        logged with a reference, and the others' work stands. A database that is locked or
        away raises, and nothing is committed: the caller tries the event again later.
        """
        replies: list[Reply] = []
        async with self.db.work_lock:
            with self.db.session(write=True) as session:
                ctx = self._context(session, sender, room_id, payload.get("event_id"), False)
                for hook in self.registry.hooks(kind):
                    try:
                        with session.begin_nested():
                            replies.extend(as_list(await hook(ctx, payload)))
                    except Exception as err:
                        if is_transient(err):
                            raise
                        log.exception("%s hook %s failed ref=%s room=%s", kind,
                                      getattr(hook, "__name__", hook), secrets.token_hex(4),
                                      room_id)
                on_commit(session, replies)
        return replies

    async def run_start_hooks(self) -> None:
        """The areas' ``on_start`` hooks, as the bot itself, in one transaction; one that
        fails with a bug is logged and the others still run."""
        async with self.db.unit() as session:
            ctx = self._context(session, self.config.matrix.user_id, "", None, False)
            for hook in self.registry.start_hooks:
                try:
                    with session.begin_nested():
                        await hook(ctx)
                except Exception as err:
                    if is_transient(err):
                        raise
                    log.exception("start hook %s failed ref=%s",
                                  getattr(hook, "__name__", hook), secrets.token_hex(4))

    def job_context(self, session: Session, job: ScheduledJob) -> Context:
        """The context a scheduled job runs in: the bot itself in the job's room, written in
        the room's (the salon's) language."""
        room_id = job.room_id or ""
        return self._context(session, self.config.matrix.user_id, room_id, None, False,
                             job=job)

    def _unclosed_quote(self, verb: str, t: Translator) -> str:
        spec = self.registry.resolve(verb)
        shown = spec.name_in(t.lang) if spec else escape_markup(verb)
        example = f'{self.prefix} {shown} "{t._("text with spaces")}"'
        return (t._("A quotation mark is not closed. Put text with spaces in quotes, like "
                    "this: {example}").format(example=example) + " "
                + t._("Write {prefix} help to see all commands.").format(prefix=self.prefix))

    @staticmethod
    def _option_error(err: ParseError, t: Translator) -> str:
        reason, _, option = err.reason.partition(":")
        if reason == "option-needs-value":
            return t._("The option --{option} needs a value after it.").format(
                option=escape_markup(option))
        return t._("I don't know the option --{option}.").format(option=escape_markup(option))
