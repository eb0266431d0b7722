"""salonbot as ``salonbot run`` runs it, plus one test-only job kind for benchmarks/scheduled.py.

``bench.ping`` posts one message into the job's room, naming the job, so the benchmark can
tell each message's job (and so lost and doubled ones) and its lateness from the message's
server timestamp.

    python benchmarks/scheduled_bot.py CONFIG
"""

from __future__ import annotations

import logging
import sys

from bot.config import load_config
from bot.context import Context
from bot.matrix.runner import main
from bot.replies import Reply
from handlers import build_registry

KIND = "bench.ping"


async def ping(ctx: Context) -> Reply:
    assert ctx.job is not None
    return Reply(f"{KIND} {ctx.job.key}")


def run(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("nio", "peewee"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    registry = build_registry()
    registry.job(KIND, ping)
    return main(load_config(argv[0]), registry)


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
