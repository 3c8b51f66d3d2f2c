"""Independent API calls in parallel: the API server answers many at once, one by one is slow."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
# Requests in flight at once: past ~8 a 2-core control plane only queues them.
WORKERS = 8


def parallel(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """fn over items, in their order; the first error raised is raised here.

    The pool ends with the call: a library call leaves no threads in its caller's process
    (a thread left behind stopped `check` from scanning secrets in forked children).
    """
    if len(items) < 2:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(items)), thread_name_prefix="api") as pool:
        return list(pool.map(fn, items))
