"""The test control plane (one per session) and a lightkube client on it for each test."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lightkube import Client, KubeConfig

from gitops_gate.reconcile.kube import Cluster
from tests.helpers import controlplane
from tests.helpers.toolchain import ensure_tool


@pytest.fixture(scope="session")
def control_plane() -> Iterator[controlplane.ControlPlane]:
    """etcd + kube-apiserver, started on first use and stopped at the end of the session."""
    etcd, api = ensure_tool("etcd"), ensure_tool("kube-apiserver")
    with tempfile.TemporaryDirectory(prefix="gitops-gate-cp-") as tmp:
        plane = controlplane.start(Path(tmp), etcd, api)
        try:
            yield plane
        finally:
            plane.stop()


@pytest.fixture
def kube(control_plane: controlplane.ControlPlane) -> Client:
    """An admin client on the test control plane."""
    return Client(KubeConfig.from_file(control_plane.kubeconfig), field_manager="test")


@pytest.fixture
def cluster(control_plane: controlplane.ControlPlane) -> Cluster:
    """The reconciler's adapter on the test control plane, as `--kubeconfig` gives it."""
    return Cluster.connect(control_plane.kubeconfig)


@pytest.fixture
def env_name(request: pytest.FixtureRequest) -> str:
    """An environment name of the test's own, so tests share the control plane safely."""
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:8]
    return f"e{digest}"
