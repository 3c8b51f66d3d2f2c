"""The cluster steps: a local control plane per environment, then dev reconciled from main."""

from __future__ import annotations

import time
from pathlib import Path

from gitops_gate.demo.context import Demo, Skipped
from gitops_gate.demo.controller import rolling_out
from gitops_gate.errors import GateError
from gitops_gate.reconcile import localcluster
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request
from gitops_gate.tools.gobuild import go_binary
from gitops_gate.tools.install import install, is_installed
from gitops_gate.tools.pins import PINS

ENVIRONMENTS = ("dev", "production")  # one cluster each, as the template's config names them
_TOOLS = ("etcd", "kube-apiserver")


def start_clusters(demo: Demo) -> list[str]:
    """A throwaway etcd + kube-apiserver per environment, from the pinned toolchain."""
    if not demo.use_cluster:
        raise Skipped("--no-cluster: no control plane started")
    etcd, api = _tools(demo)
    started = time.monotonic()
    for env in ENVIRONMENTS:
        plane = localcluster.start(demo.folder / f"cluster-{env}", etcd, api)
        demo.stack.callback(plane.stop)
        demo.clusters[env] = Cluster.connect(plane.kubeconfig)
    demo.stack.enter_context(rolling_out(list(demo.clusters.values())))
    return [f"started etcd + kube-apiserver for {' and '.join(ENVIRONMENTS)} on loopback "
            f"in {time.monotonic() - started:.0f}s (no controllers: the demo writes the "
            "Deployment status one would write)"]  # fmt: skip


def reconcile_dev(demo: Demo) -> list[str]:
    """dev syncs main (autoSync on), and its objects are in its cluster."""
    cluster = needs_cluster(demo, "dev")
    with demo.audit() as audit:
        result = reconcile(Request(demo.repo, "dev"), cluster=cluster, audit=audit)
    demo.shas["dev"] = result.revision
    return [f"reconcile dev: {result.status.value} at {result.revision[:12]}, "
            f"{len(result.applied)} objects applied: "
            + ", ".join(str(ref) for ref in result.applied)]  # fmt: skip


def needs_cluster(demo: Demo, env: str) -> Cluster:
    """env's cluster; Skipped when the demo runs without one."""
    if env not in demo.clusters:
        raise Skipped("needs a cluster")
    return demo.clusters[env]


def _tools(demo: Demo) -> tuple[Path, Path]:
    missing = [name for name in _TOOLS if not is_installed(PINS[name])]
    if missing and go_binary() is not None:
        demo.say(f"  building {' and '.join(missing)} with Go (first use only; "
                 "kube-apiserver takes several minutes)...")  # fmt: skip
    try:
        etcd, api = install(list(_TOOLS), progress=lambda msg: demo.say(f"  {msg}"))
    except GateError as e:
        raise Skipped(f"no pinned control plane: {e.text()}") from None
    return etcd.path, api.path
