"""The operator's configuration: what a good file gives and what a bad one says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = {
    "matrix": {
        "homeserver": "https://m.example.org",
        "user_id": "@bot:example.org",
        "password": "pw",
    }
}


def test_example_config_is_valid_and_documents_the_product_keys() -> None:
    config = load_config(ROOT / "config.example.yaml", environ={})
    assert config.bot.command_prefix == "!salon"
    assert config.bot.default_language == "da"
    assert config.bot.timezone == "Europe/Copenhagen"
    assert config.reminders.before == ["24h", "1h"]
    assert config.privacy.retention_days == 180
    assert config.matrix.encrypt_new_rooms is True
    assert (config.bot.open_limit, config.bot.open_limit_period) == (5, "24h")
    text = (ROOT / "config.example.yaml").read_text()
    for key in (
        "homeserver",
        "user_id",
        "password",
        "access_token",
        "device_name",
        "store_path",
        "encrypt_new_rooms",
        "command_prefix",
        "default_language",
        "timezone",
        "staff_room",
        "staff",
        "allowed_users",
        "open_limit",
        "open_limit_period",
        "url",
        "before",
        "retention_days",
    ):
        assert f"{key}:" in text, key


def test_defaults_fill_everything_but_the_matrix_account() -> None:
    config = parse_config(MINIMAL, environ={})
    assert config.database.url == "sqlite:///salonbot.db"
    assert config.bot.allowed_users == [r"@.*:example\.org"]
    assert (config.bot.open_limit, config.bot.open_limit_period) == (5, "24h")
    assert config.summary.llm is None


@pytest.mark.parametrize(("user_id", "expected"), [
    ("@salonbot:example.org", r"@.*:example\.org"),
    ("@bot:borger.kommune.dk", r"@.*:borger\.kommune\.dk"),
    ("@bot:my-server.example.org:8448", r"@.*:my\-server\.example\.org:8448"),
])
def test_allowed_users_defaults_to_the_bots_own_homeserver(user_id: str, expected: str) -> None:
    data = {"matrix": {**MINIMAL["matrix"], "user_id": user_id}}
    config = parse_config(data, environ={})
    assert config.bot.allowed_users == [expected]
    server = user_id.split(":", 1)[1]
    [pattern] = (re.compile(p) for p in config.bot.allowed_users)
    assert pattern.fullmatch(f"@anna:{server}")
    for other in ("@anna:other.org", f"@anna:{server}.evil.net", f"@anna:x{server}",
                  "@anna:" + server.replace(".", "x", 1)):
        assert not pattern.fullmatch(other), other


@pytest.mark.parametrize(("bot", "environ", "expected"), [
    ({"allowed_users": [".*"]}, {}, [".*"]),
    ({"allowed_users": []}, {}, []),
    ({"staff": ["@a:example.org"]}, {"SALONBOT_BOT__ALLOWED_USERS": "@.*:other.net"},
     ["@.*:other.net"]),
    (None, {"SALONBOT_BOT__ALLOWED_USERS": "[]"}, []),
])
def test_an_explicit_allowed_users_wins(bot: dict | None, environ: dict, expected: list) -> None:
    config = parse_config({**MINIMAL, "bot": bot}, environ=environ)
    assert config.bot.allowed_users == expected


def test_secrets_come_from_the_environment() -> None:
    data = {"matrix": {"homeserver": "https://m.example.org", "user_id": "@bot:example.org"}}
    env = {
        "SALONBOT_MATRIX__PASSWORD": "from-env",
        "SALONBOT_DATABASE__URL": "postgresql+psycopg://u:p@db/salon",
        "SALONBOT_BOT__STAFF": '["@a:example.org", "@b:example.org"]',
        "SALONBOT_SUMMARY__LLM__BASE_URL": "http://127.0.0.1:9/v1",
        "SALONBOT_SUMMARY__LLM__MODEL": "m",
        "SALONBOT_SUMMARY__LLM__API_KEY": "k",
    }
    config = parse_config(data, environ=env)
    assert config.matrix.password is not None
    assert config.matrix.password.get_secret_value() == "from-env"
    assert config.database.url.startswith("postgresql+psycopg://")
    assert config.bot.staff == ["@a:example.org", "@b:example.org"]
    assert config.summary.llm is not None and config.summary.llm.model == "m"
    assert "from-env" not in repr(config)


@pytest.mark.parametrize("form", ["yaml", "commas"])
def test_list_keys_from_the_environment_take_brackets_or_commas(form: str) -> None:
    values = {
        "SALONBOT_BOT__STAFF": ["@a:example.org", "@b:example.org"],
        "SALONBOT_BOT__ALLOWED_USERS": ["@.*:example.org", "@guest:other.net"],
        "SALONBOT_REMINDERS__BEFORE": ["48h", "2h", "15m"],
    }
    if form == "yaml":
        env = {name: "[" + ", ".join(f'"{v}"' for v in items) + "]"
               for name, items in values.items()}
    else:
        env = {name: " , ".join(items) for name, items in values.items()}
    config = parse_config(MINIMAL, environ=env)
    assert config.bot.staff == values["SALONBOT_BOT__STAFF"]
    assert config.bot.allowed_users == values["SALONBOT_BOT__ALLOWED_USERS"]
    assert config.reminders.before == values["SALONBOT_REMINDERS__BEFORE"]


def test_a_single_value_for_a_list_key_is_a_list_of_one_and_other_keys_keep_commas() -> None:
    config = parse_config(MINIMAL, environ={
        "SALONBOT_BOT__STAFF": "@a:example.org",
        "SALONBOT_MATRIX__PASSWORD": "pass,word",
    })
    assert config.bot.staff == ["@a:example.org"]
    assert config.matrix.password is not None
    assert config.matrix.password.get_secret_value() == "pass,word"


def test_the_open_limit_comes_from_the_environment_too() -> None:
    config = parse_config(MINIMAL, environ={"SALONBOT_BOT__OPEN_LIMIT": "3",
                                            "SALONBOT_BOT__OPEN_LIMIT_PERIOD": "12h"})
    assert (config.bot.open_limit, config.bot.open_limit_period) == (3, "12h")


def test_a_bad_entry_in_a_comma_separated_list_is_named() -> None:
    with pytest.raises(ConfigError, match=r"bot\.staff\.1: expected a Matrix user id"):
        parse_config(MINIMAL, environ={"SALONBOT_BOT__STAFF": "@a:example.org, bob"})


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"matrix": {"user_id": "salonbot"}}, "matrix.user_id: expected a Matrix user id"),
        ({"matrix": {"homeserver": "matrix.example.org"}}, "matrix.homeserver: expected an http"),
        ({"matrix": {"pasword": "x"}}, "matrix.pasword: unknown key"),
        ({"bot": {"default_language": "de"}}, "bot.default_language"),
        ({"bot": {"timezone": "Europe/Hørning"}}, "bot.timezone: unknown time zone"),
        (
            {"bot": {"allowed_users": ["@(.*"]}},
            "bot.allowed_users.0: not a valid regular expression",
        ),
        ({"bot": {"staff_room": "staff"}}, "bot.staff_room: expected a room id"),
        ({"bot": {"open_limit": -1}}, "bot.open_limit: Input should be greater than or equal"),
        ({"bot": {"open_limit": "many"}}, "bot.open_limit: Input should be a valid integer"),
        ({"bot": {"open_limit_period": "daily"}},
         "bot.open_limit_period: expected a duration like 24h"),
        ({"reminders": {"before": ["soon"]}}, "reminders.before: expected a duration like 24h"),
        ({"privacy": {"retention_days": 0}}, "privacy.retention_days"),
        ({"database": {"url": "mysql://x"}}, "database.url: expected sqlite"),
    ],
)
def test_a_bad_key_is_named_with_what_is_expected(patch: dict, expected: str) -> None:
    data = {section: dict(values) for section, values in MINIMAL.items()}
    for section, values in patch.items():
        data.setdefault(section, {}).update(values)
    with pytest.raises(ConfigError) as err:
        parse_config(data, environ={})
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("room", ["#staff:example.org", "!abc:example.org",
                                  "!7xXb3Kd9_Qw-opaqueRoomIdOfVersion12"])
def test_staff_room_takes_aliases_and_room_ids_of_every_room_version(room: str) -> None:
    config = parse_config({**MINIMAL, "bot": {"staff_room": room}}, environ={})
    assert config.bot.staff_room == room


def test_missing_credentials_are_explained() -> None:
    data = {"matrix": {"homeserver": "https://m.example.org", "user_id": "@bot:example.org"}}
    with pytest.raises(ConfigError, match="set either password or access_token"):
        parse_config(data, environ={})


def test_check_config_command_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("matrix:\n  homeserver: [unclosed\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check-config", "-c", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "not valid YAML at line" in result.stderr
    assert "Traceback" not in result.stderr
    good = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check-config", "-c", str(ROOT / "config.example.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin"},
    )
    assert good.returncode == 0, good.stderr
    assert "config.example.yaml" in good.stdout
