"""Timing peers and ourselves in turns, so that every column sees the same machine.

A shared 2-core machine drifts: the same kubeconform run took 0.37 s and 0.56 s a minute
apart. Timing one column's runs, then the next's, puts that drift into the ratios. Here each
round runs every column once, in turn, and a column's best and median are taken over rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


class Timings:
    """Seconds per run for each column, in rounds."""

    def __init__(self, runs: dict[str, list[float]]) -> None:
        self.runs = runs

    def best(self, column: str) -> float:
        return min(self.runs[column])

    def median(self, column: str) -> float:
        return statistics.median(self.runs[column])

    def cell(self, column: str, peer: str) -> str:
        """`best (best/peer's best; median/peer's median)`."""
        best = self.best(column) / self.best(peer)
        median = self.median(column) / self.median(peer)
        return f"{self.best(column):.2f}s ({best:.2f}x; median {median:.2f}x)"


def interleaved(
    columns: dict[str, Callable[[], None]],
    rounds: int,
    setup: dict[str, Callable[[], None]] | None = None,
) -> Timings:
    """Run every column once per round, in turn; setup[column] runs untimed before it."""
    runs: dict[str, list[float]] = {name: [] for name in columns}
    for _ in range(rounds):
        for name, fn in columns.items():
            if setup and name in setup:
                setup[name]()
            started = time.perf_counter()
            fn()
            runs[name].append(time.perf_counter() - started)
    return Timings(runs)
