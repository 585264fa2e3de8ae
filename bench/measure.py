"""Timing and memory: repetitions, medians and spreads, tracemalloc peaks."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Stat:
    """Repeated measurements of one thing, in seconds (or bytes, or requests/s: see ``unit``)."""

    samples: list[float]
    unit: str = "s"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "n": len(self.samples),
            "samples": self.samples,
            **self.extra,
        }


def timed(
    fn: Callable[[], Any],
    *,
    reps: int = 5,
    min_reps: int = 3,
    budget: float = 20.0,
    before: Callable[[], Any] | None = None,
    warmup: int = 0,
) -> Stat:
    """Return the wall times of ``fn`` over ``reps`` runs (fewer, not under ``min_reps``, when
    the runs so far took more than ``budget`` seconds). ``before`` runs untimed before each run."""
    for _ in range(warmup):
        if before:
            before()
        fn()
    samples: list[float] = []
    spent = 0.0
    while len(samples) < reps and (len(samples) < min_reps or spent < budget):
        if before:
            before()
        # Objects alive before the run (the harness's workload, the app) are not scanned by the
        # garbage collector during it, as in a server process whose heap is only the app.
        gc.collect()
        gc.freeze()
        try:
            t0 = time.perf_counter()
            fn()
            dt = time.perf_counter() - t0
        finally:
            gc.unfreeze()
        samples.append(dt)
        spent += dt
    return Stat(samples)


def peak_memory(fn: Callable[[], Any], *, reps: int = 1, before: Callable[[], Any] | None = None) -> Stat:
    """Return the peak of memory allocated by Python while ``fn`` runs, in bytes (tracemalloc)."""
    samples: list[float] = []
    for _ in range(reps):
        if before:
            before()
        gc.collect()
        tracemalloc.start()
        try:
            tracemalloc.reset_peak()
            base = tracemalloc.get_traced_memory()[0]
            fn()
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
        samples.append(float(peak))
    return Stat(samples, unit="B")


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile (0-100) of the values, by linear interpolation."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)
