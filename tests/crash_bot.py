"""``salonbot run`` that kills itself with SIGKILL once, at a chosen point of the send path.

    python tests/crash_bot.py <config.yaml> <marker file> <where> [<trigger text>]

(with debug logging, so the log says which event each message was sent as)

``where`` is one of
- ``sent``: in ``ReplySender._sent``, right after the homeserver accepted a message and
  before its outbox row is deleted, for the first message whose source contains the
  trigger text;
- ``direct-open``: right after ``DirectRooms.open`` has created a direct chat, before the
  outbox row learns the room.

The kill happens only while the marker file does not exist (it is written just before), so
the run after the crash is an ordinary one. The registry is the real commands plus the test
ones of ``ports_registry``. Used by ``test_e2e_crash.py``.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any


def _die(marker: Path, where: str) -> None:
    marker.write_text(where, encoding="utf-8")
    print(f"crash_bot: SIGKILL at {where}", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def _arm(where: str, marker: Path, trigger: str) -> None:
    if where == "sent":
        from bot.matrix.sender import ReplySender

        sent = ReplySender._sent

        async def crashing_sent(self: ReplySender, item: Any, event_id: str) -> None:
            if not marker.exists() and trigger in item.source:
                _die(marker, where)
            await sent(self, item, event_id)

        ReplySender._sent = crashing_sent  # type: ignore[method-assign]
    elif where == "direct-open":
        from bot.matrix.direct import DirectRooms

        opened = DirectRooms.open

        async def crashing_open(self: DirectRooms, user_id: str) -> str | None:
            room_id = await opened(self, user_id)
            if room_id is not None and not marker.exists():
                _die(marker, where)
            return room_id

        DirectRooms.open = crashing_open  # type: ignore[method-assign]
    else:
        raise SystemExit(f"crash_bot: unknown crash point {where!r}")


def main(argv: list[str]) -> int:
    config, marker, where = argv[:3]
    trigger = argv[3] if len(argv) > 3 else ""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from ports_registry import ports_registry

    import handlers

    handlers.build_registry = ports_registry  # what `salonbot run` registers
    _arm(where, Path(marker), trigger)
    from bot.cli import main as cli_main

    return cli_main(["--verbose", "run", "-c", config])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
