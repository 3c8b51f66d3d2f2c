"""Retries for API calls: exponential backoff with full jitter, TemporaryError only."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from gitops_gate.reconcile.errors import TemporaryError

T = TypeVar("T")
ATTEMPTS = 5
BASE = 0.5
CAP = 30.0


def backoff(attempt: int, *, base: float = BASE, cap: float = CAP) -> float:
    """Seconds to wait before retry number attempt (from 0): full jitter, as AWS recommends,
    so reconcilers that failed together do not retry together."""
    return random.uniform(0, min(cap, base * 2**attempt))  # noqa: S311 - not for secrets


def with_retries(
    fn: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
    on_retry: Callable[[TemporaryError, float], None] | None = None,
) -> T:
    """fn(), tried again after a TemporaryError up to attempts times in all; PermanentError
    and anything else go straight up."""
    for attempt in range(attempts):
        try:
            return fn()
        except TemporaryError as e:
            if attempt == attempts - 1:
                raise
            wait = max(backoff(attempt), min(e.retry_after, CAP) if attempt else 0.0)
            if on_retry is not None:
                on_retry(e, wait)
            sleep(wait)
    raise AssertionError("unreachable")  # the loop returns or raises
