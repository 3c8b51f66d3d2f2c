"""Health decides a sync; a failing revision rolls back to the last healthy one; the gate first."""

from __future__ import annotations

from pathlib import Path

import pytest
from lightkube import Client
from lightkube.resources.apps_v1 import Deployment

from gitops_gate.audit.event import AuditEvent
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.reconcile.repo import change, configmap, env_repo, namespace, shop

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


def roll_out(kube: Client, ns: str, name: str = "web") -> None:
    """Write the status a Deployment controller writes once every replica is updated and ready."""
    live = kube.get(Deployment, name, namespace=ns)
    generation = live.metadata.generation if live.metadata else 1
    status = {"observedGeneration": generation, "replicas": 1, "updatedReplicas": 1,
              "readyReplicas": 1, "availableReplicas": 1}  # fmt: skip
    kube.patch(Deployment.Status, name, {"status": status}, namespace=ns)


def test_a_rollout_is_waited_for_and_synced_once_its_status_says_ready(
    tmp_path: Path, cluster: Cluster, kube: Client, env_name: str
) -> None:
    ns = env_name
    env_repo(tmp_path, env_name, {"ns.yaml": namespace(ns), "web.yaml": shop(ns)})
    request = Request(tmp_path, env_name, health_timeout=0.5)

    waiting = reconcile(request, cluster=cluster, audit=lambda e: None)
    roll_out(kube, ns)
    ready = reconcile(request, cluster=cluster, audit=lambda e: None)

    assert waiting.status is Status.FAILED
    assert waiting.reason.endswith("web is not healthy: its controller has not seen the new spec")
    assert ready.status is Status.SYNCED, ready.reason


def test_an_unhealthy_revision_rolls_back_to_the_last_healthy_one(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    good = {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"k": "1"})}
    repo = env_repo(tmp_path, env_name, good, rollbackOnFailure=True, healthTimeout=0.5)
    events: list[AuditEvent] = []
    first = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)
    change(repo, env_name, {"web.yaml": shop(ns), "a.yaml": configmap("a", ns, {"k": "2"})})

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)

    assert result.status is Status.DEGRADED
    assert result.rolled_back_to == first.revision
    assert "rolled back" in result.reason and "not healthy" in result.reason
    assert (cluster.get(ObjectRef("v1", "ConfigMap", ns, "a")) or {})["data"] == {"k": "1"}
    assert cluster.get(ObjectRef("apps/v1", "Deployment", ns, "web")) is None
    assert ("reconcile.rollback", "synced") in [(e.action, e.result) for e in events]


def test_a_revision_failing_the_gate_is_not_applied(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    bad = shop(ns).replace("spec:\n", "spec:\n  replicas: three\n", 1)
    env_repo(tmp_path, env_name, {"ns.yaml": namespace(ns), "web.yaml": bad})
    events: list[AuditEvent] = []

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)

    assert result.status is Status.FAILED
    assert result.reason.startswith("the gate failed: envs/")
    assert cluster.get(ObjectRef("v1", "Namespace", "", ns)) is None
    assert [(e.action, e.result) for e in events] == [("check", "failure")]
