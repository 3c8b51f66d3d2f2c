"""The test control plane (one per session) and a lightkube client on it for each test."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lightkube import Client, KubeConfig

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
