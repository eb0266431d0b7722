"""`salonbot summarise FILE`: a summary of a JSON lines export, for testing and for staff.

Errors are one translated line on stderr and exit code 2, never a traceback: the people who
run this are fixing an export, not debugging Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Final

from bot.i18n import LANGUAGES, translator

EXIT_BAD_INPUT: Final = 2
MAX_POINTS: Final = 50


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "summarise",
        help="summarise a discussion from a JSON lines file",
        description=(
            "Summarise a salon discussion. FILE has one JSON object per line with the keys "
            "id, author, role, text, ts, reply_to, reactions and optionally item and lang; "
            "'-' reads standard input."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="JSON lines file, or - for standard input")
    parser.add_argument("--lang", choices=LANGUAGES, default="da",
                        help="reader's language, for headings and messages (default: da)")
    parser.add_argument("--format", dest="fmt", choices=("json", "md", "html", "text"),
                        default="text", help="output format (default: text)")
    parser.add_argument("--points", type=int, default=5,
                        help=f"number of key points, 1 to {MAX_POINTS} (default: 5)")
    parser.set_defaults(func=run)


def _error(t_line: str) -> int:
    print(t_line, file=sys.stderr)
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    # Imported here: `salonbot run` builds this parser too and must not pay for NumPy.
    from bot.summariser import SummaryInputError, load_jsonl, render, summarise

    t = translator(args.lang)
    if not 1 <= args.points <= MAX_POINTS:
        return _error(
            t._("Error: --points must be between 1 and {maximum}.").format(maximum=MAX_POINTS)
        )
    try:
        messages = load_jsonl(args.file)
    except SummaryInputError as error:
        problem = t._(error.template).format(**error.params)
        if error.line is None:
            return _error(t._("Error: {problem}").format(problem=problem))
        return _error(t._("Error on line {line}: {problem}").format(line=error.line,
                                                                   problem=problem))
    # --lang is the reader's language; the salon's own language is detected from the messages
    summary = summarise(messages, points=args.points)
    if args.fmt == "json":
        output = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        output = render(summary, args.fmt, args.lang)
    try:
        sys.stdout.write(output)
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return 0
