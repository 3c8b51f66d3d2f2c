"""Health: Deployments, StatefulSets and DaemonSets rolled out, Jobs complete, Ready conditions.

Read from status as the controllers write it (observedGeneration first: a status older than
the spec says nothing about the new spec).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.objects import ObjectRef

_POLL = 0.2


@dataclass(frozen=True, slots=True)
class Health:
    healthy: bool
    failed: bool = False  # will not get better by waiting (a failed Job)
    reason: str = ""


def health_of(body: dict[str, Any]) -> Health:
    """What body's status says of its health."""
    kind = body.get("kind")
    status = body.get("status") or {}
    if kind in ("Deployment", "StatefulSet", "DaemonSet"):
        if status.get("observedGeneration", 0) < (body.get("metadata") or {}).get("generation", 0):
            return Health(False, reason="its controller has not seen the new spec")
        return _rollout(kind, body.get("spec") or {}, status)
    if kind == "Job":
        return _job(status)
    ready = _condition(status, "Ready")
    if ready is not None and ready != "True":
        return Health(False, reason="its Ready condition is not True")
    return Health(True)


def _rollout(kind: str, spec: dict[str, Any], status: dict[str, Any]) -> Health:
    if kind == "DaemonSet":
        want = status.get("desiredNumberScheduled", 0)
        got = (status.get("updatedNumberScheduled", 0), status.get("numberReady", 0))
    else:
        want = spec.get("replicas", 1)
        got = (status.get("updatedReplicas", 0), status.get("readyReplicas", 0))
    if min(got) < want:
        return Health(False, reason=f"{got[0]} updated, {got[1]} ready of {want}")
    return Health(True)


def _job(status: dict[str, Any]) -> Health:
    if _condition(status, "Failed") == "True":
        return Health(False, failed=True, reason="the Job failed")
    if _condition(status, "Complete") == "True":
        return Health(True)
    return Health(False, reason="the Job has not completed")


def _condition(status: dict[str, Any], kind: str) -> str | None:
    for cond in status.get("conditions") or []:
        if cond.get("type") == kind:
            return str(cond.get("status"))
    return None


# Kinds whose health a controller changes after the apply: checked even when not re-applied.
WORKLOADS = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job"})


def to_check(
    desired: Iterable[ObjectRef], applied: dict[ObjectRef, dict[str, Any]]
) -> dict[ObjectRef, dict[str, Any] | None]:
    """What health waits for: every object applied (with the body the apply returned, so a
    healthy one costs no request) and the workloads left alone (None: read them)."""
    out: dict[ObjectRef, dict[str, Any] | None] = dict(applied)
    for ref in desired:
        if ref not in out and ref.kind in WORKLOADS:
            out[ref] = None
    return out


def wait_healthy(
    cluster: Cluster,
    known: dict[ObjectRef, dict[str, Any] | None],
    timeout: float,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[ObjectRef, str]:
    """Wait up to timeout seconds; the objects still unhealthy then, with why (empty: healthy).

    known holds each object's latest body where one is at hand; the rest are read.
    """
    waiting = list(known)
    deadline = time.monotonic() + timeout
    while True:
        bad = {}
        for ref in waiting:
            body = known.pop(ref, None) or cluster.get(ref) or {"kind": ref.kind}
            got = health_of(body)
            if not got.healthy:
                bad[ref] = got.reason
                if got.failed:
                    return bad
        waiting = list(bad)
        if not bad or time.monotonic() >= deadline:
            return bad
        sleep(_POLL)
