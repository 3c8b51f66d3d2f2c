"""One cycle against a real API server: apply in order, prune only our own, audit each step."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.audit.event import AuditEvent
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.reconcile.repo import change, configmap, env_repo, namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


NO_PRUNE = ", annotations: {gitops-gate.io/prune: disabled}"


def cm(ns: str, name: str) -> ObjectRef:
    return ObjectRef("v1", "ConfigMap", ns, name)


def test_a_revision_is_applied_and_what_it_drops_is_pruned(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    repo = env_repo(tmp_path, env_name, {
        "ns.yaml": namespace(ns),
        "a.yaml": configmap("a", ns, {"k": "1"}),
        "b.yaml": configmap("b", ns, {"k": "2"}),
        "keep.yaml": configmap("keep", ns, {"k": "3"}, NO_PRUNE),
    })  # fmt: skip
    events: list[AuditEvent] = []

    first = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)
    cluster.apply({"apiVersion": "v1", "kind": "ConfigMap",
                   "metadata": {"name": "theirs", "namespace": ns}})  # fmt: skip
    a9 = configmap("a", ns, {"k": "9"})
    change(repo, env_name, {"b.yaml": None, "keep.yaml": None, "a.yaml": a9})
    second = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)

    assert first.status is Status.SYNCED, first.reason
    assert second.status is Status.SYNCED, second.reason
    assert (cluster.get(cm(ns, "a")) or {})["data"] == {"k": "9"}
    assert cluster.get(cm(ns, "b")) is None
    assert cluster.get(cm(ns, "keep")) is not None  # prune disabled by annotation
    assert cluster.get(cm(ns, "theirs")) is not None  # never ours: never touched
    assert second.pruned == [cm(ns, "b")]
    actions = [(e.action, e.result) for e in events]
    assert ("reconcile.prune", "success") in actions
    assert all(e.environment == env_name for e in events)


def test_plan_shows_changes_against_the_live_object_and_applies_nothing(
    tmp_path: Path, cluster: Cluster, env_name: str
) -> None:
    ns = env_name
    files = {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"k": "1"})}
    repo = env_repo(tmp_path, env_name, files)
    reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)
    edits = {"a.yaml": configmap("a", ns, {"k": "2"}), "c.yaml": configmap("c", ns, {})}
    change(repo, env_name, edits)

    request = Request(tmp_path, env_name, plan_only=True)
    result = reconcile(request, cluster=cluster, audit=lambda e: None)

    assert result.plan is not None
    assert result.plan.change == [cm(ns, "a")]
    assert result.plan.create == [cm(ns, "c")]
    assert result.plan.unchanged == [ObjectRef("v1", "Namespace", "", ns)]
    assert (cluster.get(cm(ns, "a")) or {})["data"] == {"k": "1"}
    assert cluster.get(cm(ns, "c")) is None
