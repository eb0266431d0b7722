"""The `salonbot` command: one entry for the operator, the demo and the tools.

Operator-facing failures (a bad config, a database from a newer salonbot) end in one line
on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from bot.config import Config, ConfigError, load_config
from bot.exports.cli import add_parser as add_export
from bot.i18n import Translator, normalise_language, translator
from bot.summariser.cli import add_parser as add_summarise

DEFAULT_CONFIG = "config.yaml"


def operator_translator() -> Translator:
    """The operator's language comes from SALONBOT_LANG or the locale (LANG), else Danish."""
    for name in ("SALONBOT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        lang = normalise_language(os.environ.get(name))
        if lang:
            return translator(lang)
    return translator(None)


def fail(message: str, code: int = 2) -> int:
    """One line on stderr and a non-zero exit: how every operator-facing failure ends."""
    print(f"salonbot: {message}", file=sys.stderr)
    return code


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def cmd_check_config(args: argparse.Namespace) -> int:
    config = _config(args)
    t = operator_translator()
    print(t._("{path} is valid: homeserver {homeserver}, bot {user}, database {db}.").format(
        path=args.config, homeserver=config.matrix.homeserver, user=config.matrix.user_id,
        db=config.database.url.split("://", 1)[0]))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.matrix.runner import main as run_main
    from handlers import build_registry

    return run_main(_config(args), build_registry)


def cmd_db(args: argparse.Namespace) -> int:
    from bot.db import migrate

    url = args.url or (_config(args).database.url)
    t = operator_translator()
    if args.db_command == "upgrade":
        migrate.upgrade(url, args.revision)
        print(t._("The database is at schema revision {revision}.").format(
            revision=migrate.current_revision(url)))
    elif args.db_command == "downgrade":
        migrate.downgrade(url, args.revision)
        print(t._("The database is at schema revision {revision}.").format(
            revision=migrate.current_revision(url) or "base"))
    else:
        print(migrate.current_revision(url) or "base")
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.chat import run_chat

    if not args.verbose:  # the terminal is the conversation: only warnings interrupt it
        logging.getLogger().setLevel(logging.WARNING)

    config = load_config(args.config) if args.config else None
    from handlers import build_registry

    return run_chat(build_registry(), db_url=args.db, user=args.user, lang=args.lang,
                    config=config)


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo
    from handlers import build_registry

    return run_demo(build_registry(), data_dir=args.data_dir, port=args.port,
                    scripted_only=args.once)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="salonbot", description="A Matrix bot for citizen salons.")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_config(p: argparse.ArgumentParser, required: bool = False) -> None:
        p.add_argument("-c", "--config", default=None if not required else DEFAULT_CONFIG,
                       help=f"YAML configuration (default {DEFAULT_CONFIG})")

    run = sub.add_parser("run", help="run the bot")
    with_config(run, required=True)
    run.set_defaults(func=cmd_run)

    check = sub.add_parser("check-config", help="validate a configuration file")
    with_config(check, required=True)
    check.set_defaults(func=cmd_check_config)

    db = sub.add_parser("db", help="database schema migrations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    for name, help_text in (("upgrade", "migrate up (default: to the newest)"),
                            ("downgrade", "migrate down to a revision"),
                            ("current", "print the schema revision")):
        p = db_sub.add_parser(name, help=help_text)
        with_config(p, required=True)
        p.add_argument("--url", help="database URL instead of the one in the config")
        if name == "upgrade":
            p.add_argument("revision", nargs="?", default="head")
        elif name == "downgrade":
            p.add_argument("revision", help="target revision, e.g. base or 0001")
    db.set_defaults(func=cmd_db)

    chat = sub.add_parser("chat", help="talk to the bot in the terminal, no homeserver")
    chat.add_argument("-c", "--config", default=None, help="optional YAML configuration")
    chat.add_argument("--db", default=None, help="database URL (default: a temporary SQLite)")
    chat.add_argument("--user", default="@me:local", help="who you are (default @me:local)")
    chat.add_argument("--lang", default=None, choices=["da", "nb", "sv", "en"])
    chat.set_defaults(func=cmd_chat)

    demo = sub.add_parser("demo", help="a private homeserver with the bot and demo accounts")
    demo.add_argument("--data-dir", default=None, help="where the demo keeps its data")
    demo.add_argument("--port", type=int, default=None, help="homeserver port (default: free)")
    demo.add_argument("--once", action="store_true",
                      help="play the scripted salon and exit instead of running until Ctrl-C")
    demo.set_defaults(func=cmd_demo)

    add_summarise(sub)
    add_export(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("alembic", "nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except ConfigError as err:
        return fail(str(err))
    except KeyboardInterrupt:
        return 0
    except Exception as err:
        # Imported only here: `salonbot run` syncs before SQLAlchemy has loaded.
        from bot.db.migrate import SchemaError

        if isinstance(err, SchemaError):
            return fail(str(err), code=1)
        raise


if __name__ == "__main__":
    sys.exit(main())
