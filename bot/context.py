"""Everything a handler gets besides the command itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.commands import Registry
from bot.config import Config
from bot.db import Member, Salon, ScheduledJob
from bot.i18n import Translator
from bot.jobs import Jobs
from bot.rooms import RoomPort
from bot.watch import Watch


@dataclass
class Context:
    sender: str
    room_id: str
    event_id: str | None
    t: Translator
    session: Session
    rooms: RoomPort
    config: Config
    clock: Clock
    registry: Registry
    salon: Salon | None = None
    member: Member | None = None
    is_direct: bool = False
    staff_room_id: str | None = None
    #: Future work (reminders, sweeps): rows the runtime's scheduler fires.
    jobs: Jobs = None  # type: ignore[assignment]  # set in __post_init__
    #: Which rooms record their talk, and which of the bot's events are watched.
    watch: Watch = field(default_factory=Watch)
    #: The scheduled job being run, when the context is a job's.
    job: ScheduledJob | None = None

    def __post_init__(self) -> None:
        if self.jobs is None:
            self.jobs = Jobs(self.clock)

    @property
    def lang(self) -> str:
        return self.t.lang

    @property
    def prefix(self) -> str:
        return self.config.bot.command_prefix

    @property
    def bot_user_id(self) -> str:
        return self.config.matrix.user_id

    @property
    def is_staff(self) -> bool:
        return self.sender in self.config.bot.staff

    @property
    def in_staff_room(self) -> bool:
        return self.staff_room_id is not None and self.room_id == self.staff_room_id
