"""`python -m bot.summariser summarise FILE ...`, until the main `salonbot` command has it."""

from __future__ import annotations

import argparse
import sys

from bot.summariser.cli import add_parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="salonbot")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_parser(subparsers)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
