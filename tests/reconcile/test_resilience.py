"""Retries (TemporaryError only, with backoff) and the per-environment Lease."""

from __future__ import annotations

import pytest

from gitops_gate.reconcile.errors import LeaseHeld, PermanentError, TemporaryError
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.lease import holding
from gitops_gate.reconcile.retry import backoff, with_retries


def test_a_temporary_error_is_retried_until_it_passes() -> None:
    answers: list[object] = [TemporaryError("503"), TemporaryError("503"), "done"]

    def call() -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert with_retries(call, sleep=lambda s: None) == "done"


def test_a_permanent_error_is_not_retried() -> None:
    answers: list[Exception] = [PermanentError("403 forbidden"), TemporaryError("never reached")]

    def call() -> None:
        raise answers.pop(0)

    # Retried, it would go on to the TemporaryError, then fail on an empty list.
    with pytest.raises(PermanentError):
        with_retries(call, sleep=lambda s: None)


def test_backoff_grows_and_is_capped() -> None:
    assert all(0 <= backoff(0) <= 0.5 for _ in range(50))
    assert max(backoff(3) for _ in range(200)) > 0.5  # up to 4 s: it grew
    assert all(backoff(30, cap=30.0) <= 30.0 for _ in range(50))


@pytest.mark.cluster
@pytest.mark.slow
def test_a_second_reconciler_is_kept_out_while_the_first_holds_the_lease(
    cluster: Cluster, env_name: str
) -> None:
    with holding(cluster, env_name), pytest.raises(LeaseHeld, match="another reconciler"):
        with holding(cluster, env_name):
            pass
    with holding(cluster, env_name):  # released: the next one gets it
        pass
