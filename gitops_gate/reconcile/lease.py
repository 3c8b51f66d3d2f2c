"""A Lease per environment, so two reconcilers never apply to one environment at once."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

from gitops_gate.reconcile.errors import LeaseHeld, ReconcileError
from gitops_gate.reconcile.inventory import NAMESPACE, ensure_namespace
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.objects import ObjectRef

_API = "coordination.k8s.io/v1"


def identity() -> str:
    """This process, unique even when a restarted pod reuses the host name and PID."""
    return f"{socket.gethostname()}_{os.getpid()}_{uuid.uuid4().hex[:8]}"


@contextmanager
def holding(cluster: Cluster, env: str, *, seconds: float = 60.0) -> Iterator[str]:
    """Hold env's Lease while the block runs; LeaseHeld when another live holder has it."""
    me = identity()
    acquire(cluster, env, me, seconds=seconds)
    try:
        yield me
    finally:
        with suppress(ReconcileError):  # it expires by itself when the API is unreachable
            release(cluster, env, me)


def acquire(cluster: Cluster, env: str, me: str, *, seconds: float) -> None:
    ensure_namespace(cluster)
    ref = ObjectRef(_API, "Lease", NAMESPACE, f"reconcile-{env}")
    live = cluster.get(ref)
    now = datetime.now(UTC)
    if live is not None:
        holder = _holder(live, now)
        if holder is not None and holder != me:
            raise LeaseHeld(
                f"another reconciler ({holder}) is syncing {env}",
                hint="wait for it, or for its Lease to expire",
            )
    body = _body(ref, me, now, seconds, live)
    if live is None:
        cluster.create(body)
    else:
        cluster.replace(body)  # compare-and-swap: two racing takers, one wins


def release(cluster: Cluster, env: str, me: str) -> None:
    ref = ObjectRef(_API, "Lease", NAMESPACE, f"reconcile-{env}")
    live = cluster.get(ref)
    if live is not None and (live.get("spec") or {}).get("holderIdentity") == me:
        live["spec"] = {**live["spec"], "holderIdentity": None, "leaseDurationSeconds": 1}
        cluster.replace(live)


def _holder(live: dict[str, Any], now: datetime) -> str | None:
    """The live holder, or None when the Lease is free or expired."""
    spec = live.get("spec") or {}
    holder, renewed = spec.get("holderIdentity"), spec.get("renewTime")
    if not holder or not renewed:
        return None
    until = _parse(renewed) + timedelta(seconds=spec.get("leaseDurationSeconds") or 0)
    return str(holder) if until > now else None


def _body(
    ref: ObjectRef, me: str, now: datetime, seconds: float, live: dict[str, Any] | None
) -> dict[str, Any]:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    meta: dict[str, Any] = {"name": ref.name, "namespace": ref.namespace}
    if live is not None:
        meta["resourceVersion"] = live["metadata"]["resourceVersion"]
    spec = {"holderIdentity": me, "leaseDurationSeconds": max(1, round(seconds)),
            "acquireTime": stamp, "renewTime": stamp}  # fmt: skip
    return {"apiVersion": _API, "kind": "Lease", "metadata": meta, "spec": spec}


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
