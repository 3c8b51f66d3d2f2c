"""SIGKILL at any step of a sync leaves a state the next run converges from."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.reconcile import inventory
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.objects import ObjectRef
from tests.helpers.controlplane import ControlPlane
from tests.reconcile.repo import change, configmap, env_repo, namespace, shop

pytestmark = [pytest.mark.cluster, pytest.mark.slow]

NEW = 40  # enough objects that an apply is still running when the kill lands


def _syncing(cluster: Cluster, env: str) -> bool:
    return inventory.load(cluster, env).state.get("status") == "syncing"


def _half_applied(cluster: Cluster, env: str) -> bool:
    return cluster.get(ObjectRef("v1", "ConfigMap", env, f"new-{NEW // 2}")) is not None


def _waiting_for_health(cluster: Cluster, env: str) -> bool:
    return cluster.get(ObjectRef("apps/v1", "Deployment", env, "web")) is not None


@pytest.mark.parametrize(
    "when", [_syncing, _half_applied, _waiting_for_health], ids=["syncing", "mid-apply", "health"]
)
def test_a_killed_sync_converges_on_the_next_run(
    tmp_path: Path, cluster: Cluster, control_plane: ControlPlane, env_name: str,
    when: Callable[[Cluster, str], bool],
) -> None:  # fmt: skip
    ns = env_name
    repo = env_repo(
        tmp_path, env_name, {"ns.yaml": namespace(ns), "old.yaml": configmap("old", ns, {})}
    )
    assert (
        reconcile(Request(tmp_path, env_name), cluster=cluster, audit=lambda e: None).status
        is Status.SYNCED
    )
    news = {f"new-{i}.yaml": configmap(f"new-{i}", ns, {"i": str(i)}) for i in range(NEW)}
    change(repo, env_name, {"old.yaml": None, **news, "web.yaml": shop(ns)})

    argv = [sys.executable, "-m", "gitops_gate", "reconcile", "--env", env_name,
            "--path", str(tmp_path), "--kubeconfig", str(control_plane.kubeconfig),
            "--lease-seconds", "1", "--health-timeout", "60"]  # fmt: skip
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not when(cluster, env_name) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        assert proc.poll() is None, "the sync ended before the kill"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    time.sleep(1.1)  # the dead reconciler's Lease runs out
    request = Request(tmp_path, env_name, health_timeout=0.2)
    after = reconcile(request, cluster=cluster, audit=lambda e: None)

    assert after.status is Status.FAILED  # the Deployment never becomes ready: no controller
    assert cluster.get(ObjectRef("v1", "ConfigMap", ns, "old")) is None
    assert all(cluster.get(ObjectRef("v1", "ConfigMap", ns, f"new-{i}")) for i in range(NEW))
    inv = inventory.load(cluster, env_name)
    assert ObjectRef("v1", "ConfigMap", ns, "old") not in inv.objects
    assert len(inv.objects) == NEW + 2
