"""Drift in the fields we manage is reported each cycle, and corrected with selfHeal on."""

from __future__ import annotations

from pathlib import Path

import pytest
from lightkube import Client
from lightkube.resources.core_v1 import ConfigMap

from gitops_gate.audit.event import AuditEvent
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.reconcile.repo import configmap, env_repo, namespace

pytestmark = [pytest.mark.cluster, pytest.mark.slow]


@pytest.mark.parametrize(("self_heal", "status", "value"), [
    (False, Status.OUT_OF_SYNC, "edited"),
    (True, Status.SYNCED, "1"),
], ids=["reported", "healed"])  # fmt: skip
def test_a_managed_field_edited_in_the_cluster_is_drift(
    tmp_path: Path, cluster: Cluster, kube: Client, env_name: str,
    self_heal: bool, status: Status, value: str,
) -> None:  # fmt: skip
    ns = env_name
    files = {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"k": "1"})}
    env_repo(tmp_path, env_name, files, selfHeal=self_heal)
    events: list[AuditEvent] = []
    reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)
    kube.patch(ConfigMap, "a", {"data": {"k": "edited"}}, namespace=ns)  # someone's kubectl edit
    kube.patch(ConfigMap, "a", {"metadata": {"labels": {"theirs": "x"}}}, namespace=ns)

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=events.append)

    ref = ObjectRef("v1", "ConfigMap", ns, "a")
    assert result.status is status, result.reason
    assert result.drifted == [ref]
    live = cluster.get(ref) or {}
    assert live["data"] == {"k": value}
    assert live["metadata"]["labels"] == {"theirs": "x"}  # a field we do not manage: left alone
    drift = [e for e in events if e.action == "reconcile.drift"]
    assert [e.objects for e in drift] == [(str(ref),)]


def test_drift_is_not_healed_while_the_windows_are_closed(
    tmp_path: Path, cluster: Cluster, kube: Client, env_name: str
) -> None:
    ns = env_name
    files = {"ns.yaml": namespace(ns), "a.yaml": configmap("a", ns, {"k": "1"})}
    closed = [{"kind": "deny", "schedule": "0 0 * * *", "duration": "24h"}]
    env_repo(tmp_path, env_name, files, selfHeal=True, syncWindows=closed)
    forced = Request(tmp_path, env_name, override="first install")
    reconcile(forced, cluster=cluster, audit=lambda e: None)
    kube.patch(ConfigMap, "a", {"data": {"k": "edited"}}, namespace=ns)

    result = reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None)

    assert result.status is Status.OUT_OF_SYNC
    assert result.reason.startswith("drift not healed: blocked by")
    assert (cluster.get(ObjectRef("v1", "ConfigMap", ns, "a")) or {})["data"] == {"k": "edited"}
