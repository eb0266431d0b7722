"""Percentiles of round trips and ratios against the baseline, with a bootstrap interval.

The machines are shared and noisy, so a ratio of two percentiles is quoted with a 95 %
bootstrap interval: if the interval straddles a goal, one run cannot say whether it is met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BOOTSTRAP_RESAMPLES = 2000


@dataclass(frozen=True)
class Summary:
    n: int
    p50: float
    p95: float
    mean: float
    max: float


def summarise(samples: Sequence[float]) -> Summary:
    data = np.asarray(samples, dtype=float)
    if data.size == 0:
        return Summary(0, float("nan"), float("nan"), float("nan"), float("nan"))
    p50, p95 = np.percentile(data, [50, 95])
    return Summary(int(data.size), float(p50), float(p95), float(data.mean()),
                   float(data.max()))


@dataclass(frozen=True)
class Ratio:
    value: float
    low: float
    high: float


def ratio(samples: Sequence[float], baseline: Sequence[float], q: float,
          seed: int = 2) -> Ratio:
    """``percentile_q(samples) / percentile_q(baseline)`` with a 95 % bootstrap interval."""
    a = np.asarray(samples, dtype=float)
    b = np.asarray(baseline, dtype=float)
    if a.size == 0 or b.size == 0:
        nan = float("nan")
        return Ratio(nan, nan, nan)
    value = float(np.percentile(a, q) / np.percentile(b, q))
    rng = np.random.default_rng(seed)
    ra = np.percentile(rng.choice(a, (BOOTSTRAP_RESAMPLES, a.size)), q, axis=1)
    rb = np.percentile(rng.choice(b, (BOOTSTRAP_RESAMPLES, b.size)), q, axis=1)
    low, high = np.percentile(ra / rb, [2.5, 97.5])
    return Ratio(value, float(low), float(high))


def median(values: Sequence[float]) -> float:
    return float(np.median(np.asarray(values, dtype=float))) if values else float("nan")
