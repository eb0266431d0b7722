"""Waiting politely: back-off while the homeserver is away, and counted rate limits.

nio itself waits out ``M_LIMIT_EXCEEDED`` for as long as the server asks
(``retry_after_ms``) and then sends the same request again, so nothing is dropped; we only
count and log those waits. Network failures are not retried inside nio (``max_timeouts=0``)
so that the runtime decides: the sync loop backs off and reconnects, reply delivery keeps
the reply for later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import aiohttp
from nio import AsyncClient, ErrorResponse

log = logging.getLogger("salonbot.matrix.retry")

T = TypeVar("T")

#: What an unreachable or restarting homeserver looks like from aiohttp.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    aiohttp.ClientError,
    asyncio.TimeoutError,
    TimeoutError,
    ConnectionError,
)

RATE_LIMITED = "M_LIMIT_EXCEEDED"


@dataclass
class RuntimeStats:
    """Counters an operator (or a test) can read to see what the runtime went through."""

    rate_limited: int = 0
    reconnects: int = 0
    replies_sent: int = 0
    replies_failed: int = 0
    commands_handled: int = 0


class Backoff:
    """Exponential back-off: 1 s, 2 s, 4 s … up to ``cap``; ``reset`` after a success."""

    def __init__(self, first: float = 1.0, cap: float = 60.0) -> None:
        self.first = first
        self.cap = cap
        self._next = first

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self.cap, self._next * 2)
        return delay

    def reset(self) -> None:
        self._next = self.first


async def sleep_unless_stopped(delay: float, stop: asyncio.Event | None) -> bool:
    """Sleep ``delay`` seconds; return True at once if ``stop`` is set meanwhile."""
    if stop is None:
        await asyncio.sleep(delay)
        return False
    try:
        await asyncio.wait_for(stop.wait(), delay)
    except TimeoutError:
        return False
    return True


def http_status(response: object) -> int:
    """The HTTP status of a nio response; 0 when there was none (no answer, or not nio's)."""
    transport = getattr(response, "transport_response", None)
    return int(transport.status) if transport is not None else 0


def is_rate_limited(response: object) -> bool:
    if not isinstance(response, ErrorResponse):
        return False
    return response.status_code == RATE_LIMITED or http_status(response) == 429


def watch_rate_limits(client: AsyncClient, stats: RuntimeStats) -> None:
    """Log and count each ``M_LIMIT_EXCEEDED`` that nio is about to wait out."""

    async def on_error(response: ErrorResponse) -> None:
        if not is_rate_limited(response):
            return
        stats.rate_limited += 1
        log.warning(
            "homeserver said M_LIMIT_EXCEEDED; waiting %d ms as asked, then sending again "
            "(%d rate-limit waits so far)",
            response.retry_after_ms or 5000,
            stats.rate_limited,
        )

    client.add_response_callback(on_error, ErrorResponse)  # type: ignore[arg-type]


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    what: str,
    attempts: int = 6,
    backoff: Backoff | None = None,
) -> T:
    """Repeat ``call`` across network failures (a homeserver restart takes seconds)."""
    backoff = backoff or Backoff(first=0.5, cap=8.0)
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except TRANSIENT_ERRORS as err:
            if attempt == attempts:
                raise
            delay = backoff.next_delay()
            log.warning("%s failed (%s); trying again in %.1f s", what,
                        type(err).__name__, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")
