"""The reconciler's errors: what a retry may cure (TemporaryError) and what it cannot."""

from __future__ import annotations

from gitops_gate.errors import EnvironmentProblem


class ReconcileError(EnvironmentProblem):
    """The cluster or its API said no; exit 3 like any other environment error."""


class TemporaryError(ReconcileError):
    """An error worth retrying: the API was unreachable, busy (429) or failing (5xx)."""

    def __init__(self, message: str, *, retry_after: float = 1.0, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class PermanentError(ReconcileError):
    """An error a retry repeats: a refused object, a forbidden verb, an unknown kind."""


class LeaseHeld(ReconcileError):
    """Another reconciler holds the environment's Lease: this one applies nothing."""
