"""A stand-in Deployment controller: the control plane runs none, so the demo writes status.

It writes what the real controller writes once a rollout ends (as the reconcile tests do):
every replica updated and ready, except for an image whose tag says `broken`, whose pods
never get ready, so the reconciler's health check fails.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from typing import Any

import httpx2 as httpx
from lightkube import ALL_NS, ApiError
from lightkube.resources.apps_v1 import Deployment

from gitops_gate.reconcile.kube import Cluster

BROKEN = "broken"
_POLL = 0.2


@contextlib.contextmanager
def rolling_out(clusters: Sequence[Cluster]) -> Iterator[None]:
    """Play the Deployment controller on clusters while the block runs."""
    stop = threading.Event()
    worker = threading.Thread(target=_loop, args=(clusters, stop), daemon=True)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join(timeout=5)


def _loop(clusters: Sequence[Cluster], stop: threading.Event) -> None:
    while not stop.wait(_POLL):
        for cluster in clusters:
            # A cluster being stopped, or a Deployment deleted meanwhile: next round.
            with contextlib.suppress(ApiError, OSError, httpx.HTTPError):
                _roll_out(cluster)


def _roll_out(cluster: Cluster) -> None:
    for deployment in cluster.client.list(Deployment, namespace=ALL_NS):
        meta, spec = deployment.metadata, deployment.spec
        seen = deployment.status.observedGeneration if deployment.status else None
        if meta is None or meta.name is None or spec is None:
            continue
        if (seen or 0) >= (meta.generation or 0):
            continue
        status = _status(meta.generation or 0, spec.replicas or 1, _images(spec))
        cluster.client.patch(Deployment.Status, meta.name, {"status": status},
                             namespace=meta.namespace)  # fmt: skip


def _images(spec: Any) -> list[str]:
    return [c.image or "" for c in spec.template.spec.containers]


def _status(generation: int, replicas: int, images: list[str]) -> dict[str, int]:
    ready = 0 if any(BROKEN in image for image in images) else replicas
    return {"observedGeneration": generation, "replicas": replicas,
            "updatedReplicas": replicas, "readyReplicas": ready,
            "availableReplicas": ready}  # fmt: skip
