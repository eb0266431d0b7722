"""The operator's YAML configuration, validated once at start.

Every key may also come from the environment as ``SALONBOT_<SECTION>__<KEY>`` (nested keys
joined by a double underscore), so secrets never need to sit in the file. A list key takes
YAML's ``[a, b]`` or a plain comma-separated ``a, b``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.durations import parse_duration

ENV_PREFIX = "SALONBOT_"
USER_ID_RE = re.compile(r"^@[a-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(:\d+)?$")
# Room ids from room version 12 on carry no server name (!opaque), older ones do (!x:server).
ROOM_RE = re.compile(r"^(![^\s:]+(:[A-Za-z0-9.\-]+(:\d+)?)?|#[^:\s]+:[A-Za-z0-9.\-]+(:\d+)?)$")


class ConfigError(Exception):
    """A configuration the bot cannot start with; the message is one line for the operator."""


def _user_id(value: str) -> str:
    if not USER_ID_RE.match(value):
        raise ValueError(f"expected a Matrix user id like @name:example.org, got {value!r}")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as err:
        raise ValueError(f"not a valid regular expression ({err}): {value!r}") from err
    return value


UserId = Annotated[str, AfterValidator(_user_id)]
Regex = Annotated[str, AfterValidator(_regex)]
Language = Literal["da", "nb", "sv", "en"]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatrixConfig(Section):
    homeserver: str
    user_id: UserId
    password: SecretStr | None = None
    access_token: SecretStr | None = None
    device_name: str = "salonbot"
    store_path: Path = Path("./store")
    encrypt_new_rooms: bool = True

    @field_validator("homeserver")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError(
                f"expected an http(s) URL like https://matrix.example.org, got {value!r}"
            )
        return value.rstrip("/")

    @model_validator(mode="after")
    def _credentials(self) -> MatrixConfig:
        if self.password is None and self.access_token is None:
            raise ValueError("set either password or access_token")
        return self


class BotConfig(Section):
    command_prefix: str = Field(default="!salon", min_length=1)
    default_language: Language = "da"
    timezone: str = "Europe/Copenhagen"
    staff_room: str | None = None
    staff: list[UserId] = Field(default_factory=list)
    #: Left out, it is the bot's own homeserver (``Config`` derives it from
    #: ``matrix.user_id``, see ``own_server_only``).
    allowed_users: list[Regex] = Field(default_factory=list)
    #: How many salons one person may open within ``open_limit_period``; 0 means no limit.
    open_limit: int = Field(default=5, ge=0)
    open_limit_period: str = "24h"

    @field_validator("open_limit_period")
    @classmethod
    def _period(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Copenhagen") from err
        return value

    @field_validator("staff_room")
    @classmethod
    def _room(cls, value: str | None) -> str | None:
        if value is not None and not ROOM_RE.match(value):
            raise ValueError(
                "expected a room id (!abc:example.org) or alias (#staff:example.org), "
                f"got {value!r}"
            )
        return value

    @field_validator("command_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if any(ch.isspace() for ch in value):
            raise ValueError("the command prefix may not contain spaces")
        return value


class DatabaseConfig(Section):
    url: str = "sqlite:///salonbot.db"

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", value):
            raise ValueError(
                "expected sqlite:///path.db or postgresql+psycopg://user:pw@host/db, "
                f"got {value.split('://')[0]!r}"
            )
        return value


class MeetingsConfig(Section):
    default_duration: str = "2h"

    @field_validator("default_duration")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value


class RemindersConfig(Section):
    before: list[str] = Field(default_factory=lambda: ["24h", "1h"])

    @field_validator("before")
    @classmethod
    def _durations(cls, values: list[str]) -> list[str]:
        for value in values:
            parse_duration(value)
        return values


class OutcomesConfig(Section):
    #: Days the municipality has to answer; an outcome still open after that is raised again
    #: in the staff room, once per such period.
    answer_within_days: int = Field(default=14, ge=1)


class PrivacyConfig(Section):
    retention_days: int = Field(default=180, ge=1)


class LLMConfig(Section):
    base_url: str
    model: str
    api_key: SecretStr | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)


class SummaryConfig(Section):
    llm: LLMConfig | None = None


def own_server_only(user_id: str) -> list[str]:
    """``allowed_users`` for people on the bot's own homeserver: ``@salonbot:example.org``
    gives ``@.*:example\\.org``, not everyone on the federation."""
    server = user_id.split(":", 1)[1]
    return ["@.*:" + re.escape(server)]


class Config(Section):
    matrix: MatrixConfig
    bot: BotConfig = Field(default_factory=BotConfig)
    database: DatabaseConfig = Field(default_factory=DatabaseConfig)
    meetings: MeetingsConfig = Field(default_factory=MeetingsConfig)
    reminders: RemindersConfig = Field(default_factory=RemindersConfig)
    outcomes: OutcomesConfig = Field(default_factory=OutcomesConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    summary: SummaryConfig = Field(default_factory=SummaryConfig)

    @model_validator(mode="before")
    @classmethod
    def _allowed_users_default(cls, data: Any) -> Any:
        """Without ``bot.allowed_users`` the bot serves its own homeserver's users; a value
        given in the file or the environment (even an empty list) is kept as it is."""
        if not isinstance(data, dict):
            return data
        matrix, bot = data.get("matrix"), data.get("bot")
        user_id = matrix.get("user_id") if isinstance(matrix, dict) else None
        if (not isinstance(user_id, str) or not USER_ID_RE.match(user_id)
                or not (bot is None or isinstance(bot, dict)) or "allowed_users" in (bot or {})):
            return data  # a bad user id is named by its own check
        return {**data, "bot": {**(bot or {}), "allowed_users": own_server_only(user_id)}}


def _is_list_key(path: list[str]) -> bool:
    """Whether ``path`` (``["bot", "staff"]``) names a list in the configuration model."""
    model: Any = Config
    annotation: Any = None
    for key in path:
        field = model.model_fields.get(key) if isinstance(model, type) else None
        if field is None:
            return False
        annotation = field.annotation
        # ``LLMConfig | None`` and the like: look through the optional.
        members = [a for a in get_args(annotation) if a is not type(None)]
        model = members[0] if get_origin(annotation) in (Union, UnionType) and members else (
            annotation)
    return get_origin(annotation) is list


def _env_value(path: list[str], value: str) -> Any:
    """YAML's ``[a, b]`` works for every key; a list key also takes plain ``a, b``."""
    if value.strip().startswith("["):
        return yaml.safe_load(value)
    if _is_list_key(path):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _overlay_environment(data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX):].split("__")]
        node = data
        for key in path[:-1]:
            child = node.get(key)
            if not isinstance(child, dict):
                child = node[key] = {}
            node = child
        node[path[-1]] = _env_value(path, value)
    return data


def _describe(err: ValidationError) -> str:
    parts = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown key (see config.example.yaml for the keys that exist)"
        elif problem["type"] == "missing":
            message = "required key is missing"
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def parse_config(data: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None,
                 source: str = "configuration") -> Config:
    # A section whose keys are all commented out reads as null: that means "the defaults".
    raw = {key: value for key, value in (data or {}).items() if value is not None}
    raw = _overlay_environment(raw, os.environ if environ is None else environ)
    try:
        return Config.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(f"{source}: {_describe(err)}") from None


def load_config(path: str | Path, environ: Mapping[str, str] | None = None) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read the configuration file ({err.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}") from None
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"{path}: expected sections like 'matrix:' and 'bot:' at the top level")
    return parse_config(data, environ, source=str(path))
