"""What each kind's status says of its health, as the controllers write it."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_gate.reconcile.health import health_of


def obj(
    kind: str, spec: dict[str, Any], status: dict[str, Any], generation: int = 2
) -> dict[str, Any]:
    return {"kind": kind, "metadata": {"generation": generation}, "spec": spec, "status": status}


def cond(kind: str, value: str) -> dict[str, Any]:
    return {"conditions": [{"type": kind, "status": value}]}


ROLLED = {"observedGeneration": 2, "updatedReplicas": 3, "readyReplicas": 3}
UPDATED_NOT_READY = {"observedGeneration": 2, "updatedReplicas": 1, "readyReplicas": 0}


@pytest.mark.parametrize(("body", "healthy", "failed"), [
    (obj("Deployment", {"replicas": 3}, ROLLED), True, False),
    (obj("Deployment", {"replicas": 3}, {**ROLLED, "observedGeneration": 1}), False, False),
    (obj("Deployment", {}, UPDATED_NOT_READY), False, False),
    (obj("StatefulSet", {"replicas": 3}, {**ROLLED, "readyReplicas": 2}), False, False),
    (obj("StatefulSet", {"replicas": 3}, ROLLED), True, False),
    (obj("DaemonSet", {}, {"observedGeneration": 2, "desiredNumberScheduled": 4,
                           "updatedNumberScheduled": 4, "numberReady": 4}), True, False),
    (obj("DaemonSet", {}, {"observedGeneration": 2, "desiredNumberScheduled": 4,
                           "updatedNumberScheduled": 3, "numberReady": 4}), False, False),
    (obj("Job", {}, cond("Complete", "True")), True, False),
    (obj("Job", {}, cond("Failed", "True")), False, True),
    (obj("Job", {}, {}), False, False),
    (obj("Certificate", {}, cond("Ready", "False")), False, False),
    (obj("Certificate", {}, cond("Ready", "True")), True, False),
    (obj("ConfigMap", {}, {}), True, False),
], ids=["deploy-ready", "deploy-old-status", "deploy-default-1-replica-not-ready",
        "sts-not-ready", "sts-ready", "ds-ready", "ds-updating", "job-complete", "job-failed",
        "job-running", "ready-false", "ready-true", "no-status"])  # fmt: skip
def test_health_from_status(body: dict[str, Any], healthy: bool, failed: bool) -> None:
    got = health_of(body)

    assert (got.healthy, got.failed) == (healthy, failed)
    assert got.reason or healthy
