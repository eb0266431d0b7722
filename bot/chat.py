"""`salonbot chat`: the bot's real handlers in the terminal, with rooms that live in memory.

Plain lines go through ``Router.handle`` exactly as a Matrix message would; membership
changes (invitations, kicks) go to the ``member`` hooks as the Matrix runtime delivers them
after a sync. Scheduled jobs run through the same ``JobRunner`` as on Matrix, when the clock
says they are due: ``/wait 1h`` moves the clock forward and shows what the bot then posts
(a reminder, say), as do replies held back until a time. Lines starting with ``/`` play the
person's client: switch room, switch user, accept an invitation, leave. The handler tests
drive the same ``ChatSession``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys
import tempfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from bot.clock import Clock, MovableClock
from bot.commands import Registry
from bot.config import USER_ID_RE, Config, parse_config
from bot.db import Database, JobState, Salon, ScheduledJob
from bot.db.migrate import upgrade
from bot.durations import parse_duration
from bot.i18n import Translator, normalise_language, translator
from bot.jobs import JobRunner
from bot.localrooms import LocalRooms, MembershipChange
from bot.replies import Attachment, Reply
from bot.rooms import RoomError
from bot.router import Incoming, Router

CHAT_BOT = "@salonbot:chat"


def chat_config(lang: str | None = None) -> Config:
    """A configuration for a session with no homeserver; nothing is read from the environment."""
    # The terminal has no federation: whoever types is served, whatever their user id.
    bot: dict[str, object] = {"allowed_users": [".*"]}
    if normalise_language(lang):
        bot["default_language"] = normalise_language(lang)
    return parse_config({
        "matrix": {"homeserver": "http://localhost", "user_id": CHAT_BOT,
                   "access_token": "unused", "encrypt_new_rooms": True},
        "bot": bot,
    }, environ={}, source="chat")


@dataclass
class Turn:
    """What one action produced: the bot's replies and the membership changes it caused."""

    replies: list[Reply] = field(default_factory=list)
    changes: list[MembershipChange] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(reply.body for reply in self.replies)


class ChatSession:
    """The bot wired to ``LocalRooms`` and a migrated database, driven one action at a time."""

    def __init__(self, db_url: str, config: Config | None = None, *, registry: Registry,
                 clock: Clock | None = None, rooms: LocalRooms | None = None) -> None:
        self.config = config or chat_config()
        upgrade(db_url)
        self.db = Database(db_url)
        self.rooms = rooms or LocalRooms(self.config.matrix.user_id)
        self.clock = clock or MovableClock()
        self.router = Router(registry, self.db, self.rooms, self.config,
                             self.clock)
        self.router.watch.load(self.db)
        self._event_numbers = itertools.count(1)
        self._direct: dict[str, str] = {}
        self._held: list[tuple[str, Reply]] = []
        self._job_replies: list[Reply] = []
        #: Every message the bot "posted", with its event id, oldest first.
        self.posted: list[tuple[str, str, Reply]] = []
        self._bot_events = itertools.count(1)
        self.last_event: str | None = None
        self._started = False
        self.job_runner = JobRunner(db=self.db, clock=self.clock,
                              handlers=self.router.registry.job_handler,
                              context_for=self.router.job_context, stage=self._stage_job)

    def _stage_job(self, _session: object, _what: str, room: str | None,
                   replies: list[Reply]) -> None:
        self._job_replies += [r if r.room_id or r.direct_to or room is None
                              else replace(r, room_id=room) for r in replies]

    def _hold(self, replies: list[Reply], room_id: str) -> list[Reply]:
        """Replies to show now (posted: given an event id); those with a ``not_before``
        still ahead wait for the clock."""
        now = self.clock.now()
        later = [r for r in replies if r.not_before is not None and r.not_before > now]
        self._held += [(room_id, r) for r in later]
        shown = [r for r in replies if r not in later]
        self._post(shown, room_id)
        return shown

    def _post(self, replies: list[Reply], room_id: str) -> None:
        """Gives each message an event id, as the homeserver would, and watches those that
        ask for it (an announcement), as the Matrix sender does once they are sent."""
        for reply in replies:
            event_id = f"$bot-{next(self._bot_events)}"
            target = reply.room_id or room_id
            self.posted.append((event_id, target, reply))
            if reply.watch:
                with self.db.session() as session:
                    self.router.watch.watch_event(session, event_id=event_id, room_id=target,
                                                  key=reply.watch, at=self.clock.now())

    def event_of(self, reply: Reply) -> str:
        """The event id a shown reply was posted as."""
        return next(event_id for event_id, _, posted in self.posted if posted is reply)

    async def start(self) -> None:
        """Once, before the first thing happens: the areas' start hooks, as on Matrix."""
        if not self._started:
            self._started = True
            await self.router.run_start_hooks()

    async def run_due(self) -> Turn:
        """What falls due by the clock now: held-back replies and scheduled jobs."""
        await self.start()
        now = self.clock.now()
        due = [(room, r) for room, r in self._held if r.not_before is None
               or r.not_before <= now]
        self._held = [held for held in self._held if held not in due]
        for room, reply in due:
            self._post([reply], room)
        await self.job_runner.run_due()
        jobs, self._job_replies = self._job_replies, []
        for reply in jobs:
            self._post([reply], reply.room_id or "")
        turn = await self.sync()
        return Turn(replies=[r for _, r in due] + jobs + turn.replies, changes=turn.changes)

    async def relate(self, kind: str, user_id: str, room_id: str,
                     payload: dict[str, object], relates_to: str | None) -> Turn:
        """An event about another one (a reaction, a redaction, a poll answer), routed as the
        Matrix runtime routes it: only when it relates to a watched event, or the room
        records."""
        hook, key = self.router.watch.hook_kind(kind, room_id, relates_to)
        if hook is None:
            return Turn()
        payload = {"event_id": f"$chat-{next(self._event_numbers)}", **payload,
                   "relates_key": key}
        replies = self._hold(await self.router.handle_event(hook, user_id, room_id, payload),
                             room_id)
        return Turn(replies=replies)

    async def react(self, user_id: str, room_id: str, event_id: str, key: str) -> str:
        """The person reacts to a message; returns the reaction's event id."""
        reaction = f"$chat-{next(self._event_numbers)}"
        await self.relate("reaction", user_id, room_id,
                          {"event_id": reaction, "reacts_to": event_id, "key": key}, event_id)
        return reaction

    async def redact(self, user_id: str, room_id: str, event_id: str) -> Turn:
        """The person removes one of their events (a reaction, a message)."""
        return await self.relate("redaction", user_id, room_id, {"redacts": event_id},
                                 event_id)

    async def edit(self, user_id: str, room_id: str, event_id: str, body: str) -> Turn:
        """The person edits one of their messages (``m.replace``)."""
        return await self.relate("edit", user_id, room_id, {"replaces": event_id, "body": body},
                                 event_id)

    async def answer_poll(self, user_id: str, room_id: str, poll_event_id: str,
                          answers: list[str]) -> Turn:
        return await self.relate("poll_response", user_id, room_id,
                                 {"poll_event_id": poll_event_id, "answers": answers},
                                 poll_event_id)

    async def wait(self, text: str) -> Turn:
        """``/wait 2h``: the clock moves forward (if it can) and what falls due is shown."""
        delta = parse_duration(text)
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise ValueError("this clock cannot be moved")
        target = self.clock.now() + delta
        turn = Turn()
        # Time passes step by step: each job runs at its own time, as it would for real
        # (a reminder before the meeting, not after it).
        while (due := self._next_due(target)) is not None:
            if due > self.clock.now():
                advance(seconds=(due - self.clock.now()).total_seconds())
            step = await self.run_due()
            turn.replies += step.replies
            turn.changes += step.changes
        advance(seconds=max(0.0, (target - self.clock.now()).total_seconds()))
        step = await self.run_due()
        return Turn(replies=turn.replies + step.replies, changes=turn.changes + step.changes)

    def _next_due(self, until: datetime) -> datetime | None:
        """The earliest job or held-back reply due by ``until``."""
        with self.db.session() as session:
            job = session.scalar(select(func.min(ScheduledJob.due_at)).where(
                ScheduledJob.state == JobState.PENDING.value, ScheduledJob.due_at <= until))
        held = [r.not_before for _, r in self._held
                if r.not_before is not None and r.not_before <= until]
        times = [t for t in (job, *held) if t is not None]
        return min(times) if times else None

    def direct_room(self, user_id: str) -> str:
        """The user's direct chat with the bot, opened on first use."""
        if user_id not in self._direct:
            self._direct[user_id] = self.rooms.create_direct(user_id).room_id
        return self._direct[user_id]

    async def say(self, user_id: str, room_id: str, body: str,
                  reply_to: str | None = None) -> Turn:
        """A message: a command goes to the router, other talk to the ``talk`` hooks when
        the room records, as on Matrix. ``last_event`` is its event id."""
        room = self.rooms.room(room_id)
        event_id = f"$chat-{next(self._event_numbers)}"
        self.last_event = event_id
        if not self.router.is_command(body):
            hook, _ = self.router.watch.hook_kind("message", room_id, None)
            if hook is None:
                return Turn()
            payload = {"event_id": event_id, "body": body, "reply_to": reply_to,
                       "ts": int(self.clock.now().timestamp() * 1000)}
            return Turn(replies=self._hold(await self.router.handle_event(
                hook, user_id, room_id, payload), room_id))
        incoming = Incoming(sender=user_id, room_id=room_id, body=body, event_id=event_id,
                            is_direct=bool(room and room.is_direct))
        replies = self._hold(await self.router.handle(incoming), room_id)
        turn = await self.sync()
        due = await self.run_due()
        return Turn(replies=replies + turn.replies + due.replies,
                    changes=turn.changes + due.changes)

    async def join(self, user_id: str, room_id: str) -> Turn:
        """The person accepts an invitation in their client."""
        self.rooms.join(room_id, user_id)
        return await self.sync()

    async def leave(self, user_id: str, room_id: str) -> Turn:
        """The person leaves (or declines) through their client, not with a command."""
        self.rooms.leave_as(room_id, user_id)
        return await self.sync()

    async def sync(self) -> Turn:
        """Hands pending membership events to the hooks, as the runtime does after a sync."""
        turn = Turn()
        for change in self.rooms.drain_changes():
            turn.changes.append(change)
            turn.replies += self._hold(await self.router.handle_event(
                "member", change.user_id, change.room_id, change.payload()), change.room_id)
        return turn

    def salon_of_room(self, room_id: str) -> Salon | None:
        with self.db.session() as session:
            return session.scalar(select(Salon).where(Salon.room_id == room_id))

    def salon_room(self, number: int) -> str | None:
        with self.db.session() as session:
            salon = session.get(Salon, number)
            return salon.room_id if salon else None

    def translator_for(self, user_id: str, room_id: str | None) -> Translator:
        with self.db.session() as session:
            return translator(self.router.language_for(session, user_id, room_id))

    def close(self) -> None:
        self.db.dispose()


class ChatRepl:
    """One person at a keyboard; ``/as`` lets them play everyone in the salon."""

    def __init__(self, session: ChatSession, user: str, stdin: TextIO, stdout: TextIO) -> None:
        self.session = session
        self.user = user
        self.room_id = session.direct_room(user)
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = stdin.isatty()
        if self.interactive:
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401 - arrow keys and history for input()

    @property
    def t(self) -> Translator:
        return self.session.translator_for(self.user, self.room_id)

    def say(self, text: str) -> None:
        print(text, file=self.stdout, flush=True)

    def room_label(self, room_id: str) -> str:
        salon = self.session.salon_of_room(room_id)
        if salon is not None:
            return f"#{salon.id} {salon.title}"
        room = self.session.rooms.room(room_id)
        if room is not None and room.is_direct:
            return self.t._("direct chat with the bot")
        return room.name if room is not None else room_id

    def read(self) -> str | None:
        prompt = f"{self.user} · {self.room_label(self.room_id)} › "
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                print(file=self.stdout)
                return None
        line = self.stdin.readline()
        if not line:
            return None
        self.say(prompt + line.rstrip("\n"))
        return line.rstrip("\n")

    async def run(self, banner: str) -> int:
        self.say(banner)
        while True:
            line = self.read()
            if line is None:
                return 0
            line = line.strip()
            if not line:
                continue
            if line.startswith("/"):
                if await self.client_command(line) == "quit":
                    return 0
                continue
            self.show(await self.session.say(self.user, self.room_id, line))

    def show(self, turn: Turn) -> None:
        t = self.t
        for reply in turn.replies:
            where = ""
            if reply.direct_to:
                where = t._("[direct to {user}] ").format(user=reply.direct_to)
            elif reply.room_id and reply.room_id != self.room_id:
                where = f"[{self.room_label(reply.room_id)}] "
            self.say("salonbot › " + where + reply.body.replace("\n", "\n            "))
            if reply.attachment is not None:
                saved = self.save(reply.attachment)
                self.say("            " + t._("[file {name}, {size} bytes, saved as {path}]")
                         .format(name=reply.attachment.filename,
                                 size=len(reply.attachment.data), path=saved))
        for change in turn.changes:
            self.show_change(change, t)

    def save(self, attachment: Attachment) -> Path:
        """Files the bot sends (a calendar) land in a folder of the session's own."""
        folder = Path(tempfile.gettempdir()) / "salonbot-chat-files"
        folder.mkdir(exist_ok=True)
        path = folder / Path(attachment.filename).name
        path.write_bytes(attachment.data)
        return path

    def show_change(self, change: MembershipChange, t: Translator) -> None:
        room = self.room_label(change.room_id)
        salon = self.session.salon_of_room(change.room_id)
        ref = f"#{salon.id}" if salon else change.room_id
        if change.membership == "invite" and change.user_id == self.user:
            self.say("· " + t._("You are invited to {room}. Write /room {ref} to go there.")
                     .format(room=room, ref=ref))
        elif change.membership == "invite":
            self.say("· " + t._("{user} is invited to {room}. To play them: /as {user}, then "
                                "/room {ref}.").format(user=change.user_id, room=room, ref=ref))
        elif change.membership in ("leave", "ban") and change.prev_membership in ("join",
                                                                                   "invite"):
            self.say("· " + t._("{user} is no longer in {room}.").format(
                user=change.user_id, room=room))
            if change.user_id == self.user and change.room_id == self.room_id:
                self.room_id = self.session.direct_room(self.user)
                self.say("· " + self.t._("You are back in your direct chat with the bot."))

    async def client_command(self, line: str) -> str | None:
        t = self.t
        name, _, argument = line[1:].partition(" ")
        argument = argument.strip()
        if name in ("quit", "exit", "q"):
            return "quit"
        if name == "help":
            self.say(t._("Chat commands: /rooms lists your rooms; /room <#number or room id> "
                         "goes to a room and accepts an invitation to it; /as <@user:server> "
                         "makes you someone else; /leave leaves the room as your Matrix app "
                         "would; /react <emoji> answers my latest announcement or poll here; "
                         "/wait <time> moves the clock forward (like /wait 1h) and shows what I "
                         "post meanwhile; /quit ends the chat. Everything else goes to the "
                         "bot."))
        elif name == "rooms":
            self.list_rooms(t)
        elif name == "room":
            await self.go_to(argument, t)
        elif name == "as":
            self.become(argument, t)
        elif name == "leave":
            await self.leave_room(t)
        elif name == "wait":
            await self.wait_for(argument, t)
        elif name == "react":
            await self.react(argument, t)
        else:
            self.say(t._("I don't know the chat command /{name}. /help shows them.").format(
                name=name))
        return None

    def list_rooms(self, t: Translator) -> None:
        for room in self.session.rooms.rooms.values():
            state = room.state_of(self.user)
            if state == "join":
                self.say(f"- {room.room_id}  {self.room_label(room.room_id)}")
            elif state == "invite":
                self.say(f"- {room.room_id}  {self.room_label(room.room_id)}  "
                         + t._("(invited)"))

    async def go_to(self, ref: str, t: Translator) -> None:
        number = ref.removeprefix("#")
        room_id = self.session.salon_room(int(number)) if number.isdigit() else ref
        room = self.session.rooms.room(room_id) if room_id else None
        if room is None:
            self.say(t._("There is no room {ref}. /rooms lists yours.").format(ref=ref or "-"))
            return
        state = room.state_of(self.user)
        if state == "invite":
            self.show(await self.session.join(self.user, room.room_id))
            self.say("· " + t._("You accept the invitation and join {room}.").format(
                room=self.room_label(room.room_id)))
        elif state != "join":
            self.say(t._("You are not in that room. A host can invite you, or you can write "
                         "{prefix} join {ref} if the salon is public.").format(
                prefix=self.session.config.bot.command_prefix, ref=ref))
            return
        self.room_id = room.room_id

    def become(self, user: str, t: Translator) -> None:
        if not USER_ID_RE.match(user):
            self.say(t._("“{user}” is not a Matrix user id. Write it like @name:local.").format(
                user=user))
            return
        self.user = user
        room = self.session.rooms.room(self.room_id)
        if room is None or room.state_of(user) != "join":
            self.room_id = self.session.direct_room(user)
        self.say("· " + self.t._("You are now {user}, in {room}.").format(
            user=user, room=self.room_label(self.room_id)))

    async def react(self, key: str, t: Translator) -> None:
        """``/react ✅``: a reaction to the bot's latest message here that takes answers (an
        announcement, a poll), as a Matrix app would send it."""
        target = next((event_id for event_id, room, reply in reversed(self.session.posted)
                       if room == self.room_id and reply.watch), None)
        if not key or target is None:
            self.say(t._("Write /react and an emoji, like /react ✅; it answers my latest "
                         "announcement or poll in this room."))
            return
        self.say("· " + t._("You reacted {key}.").format(key=key))
        self.show(await self.session.relate("reaction", self.user, self.room_id,
                                            {"reacts_to": target, "key": key}, target))

    async def wait_for(self, argument: str, t: Translator) -> None:
        try:
            turn = await self.session.wait(argument)
        except ValueError:
            self.say(t._("Write how long to wait, like /wait 1h, /wait 30m or /wait 2d."))
            return
        self.say("· " + t._("The clock is now {time}.").format(
            time=self.session.clock.now().astimezone().strftime("%Y-%m-%d %H:%M")))
        self.show(turn)

    async def leave_room(self, t: Translator) -> None:
        if self.room_id == self.session.direct_room(self.user):
            self.say(t._("This is your direct chat with the bot; there is nothing to leave."))
            return
        try:
            turn = await self.session.leave(self.user, self.room_id)
        except RoomError:
            self.say(t._("You are not in this room."))
            return
        self.show(turn)


def run_chat(registry: Registry, *, db_url: str | None, user: str, lang: str | None,
             config: Config | None, stdin: TextIO | None = None,
             stdout: TextIO | None = None) -> int:
    """The REPL; returns the exit code. Without ``db_url`` the data lives in a temporary file."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    lang = normalise_language(lang)
    if config is None:
        config = chat_config(lang)
    elif lang:
        config = config.model_copy(update={
            "bot": config.bot.model_copy(update={"default_language": lang})})
    t = translator(lang or config.bot.default_language)
    if not USER_ID_RE.match(user):
        print(t._("“{user}” is not a Matrix user id. Write it like @name:local.").format(
            user=user), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="salonbot-chat-") as scratch:
        url = db_url or f"sqlite:///{Path(scratch) / 'chat.db'}"
        session = ChatSession(url, config, registry=registry)
        try:
            where = (t._("The data is kept in {url}.").format(url=db_url) if db_url else
                     t._("The data is kept in a temporary database that is deleted when you "
                         "quit."))
            banner = "\n".join([
                t._("salonbot chat: the salon bot in your terminal, without a homeserver."),
                t._("You are {user}, in a direct chat with the bot. Write {prefix} help to "
                    "begin; /help shows the chat commands.").format(
                    user=user, prefix=config.bot.command_prefix),
                where,
            ])
            return asyncio.run(ChatRepl(session, user, stdin, stdout).run(banner))
        finally:
            session.close()
