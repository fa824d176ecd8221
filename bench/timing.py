"""Timing for the benchmarks: medians with their spread, never the best of N (the best
hides how noisy a shared machine was; the median with its range shows it).

    t = measure(fn, repeat=5)          # str(t): "median 1.23 s (1.10–1.40, n=5)"
    ours, theirs = side_by_side(a, b, repeat=5)
    ratio(ours, theirs)                # of the medians
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Timing:
    times: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def n(self) -> int:
        return len(self.times)

    def __str__(self) -> str:
        if self.n == 1:
            return f"{self.times[0]:.3f} s (n=1)"
        low, high = min(self.times), max(self.times)
        return f"median {self.median:.3f} s ({low:.3f}–{high:.3f}, n={self.n})"


def of(times: Sequence[float]) -> Timing:
    return Timing(tuple(times))


def measure(fn: Callable[[], object], repeat: int = 3) -> Timing:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return of(times)


def side_by_side(
    ours: Callable[[], object], alternative: Callable[[], object], repeat: int
) -> tuple[Timing, Timing]:
    """Each `repeat` times, in turns, so both see the same machine noise."""
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeat):
        for fn, times in ((ours, mine), (alternative, theirs)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return of(mine), of(theirs)


def ratio(ours: Timing, alternative: Timing) -> float:
    """Ours ÷ the alternative, of the medians."""
    return ours.median / alternative.median
