"""Apply a plan in order (waiting for CRDs to be established) and prune what is no longer wanted."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from gitops_gate.keys import ResourceKey
from gitops_gate.reconcile.desired import step_of
from gitops_gate.reconcile.errors import PermanentError, TemporaryError
from gitops_gate.reconcile.fanout import parallel
from gitops_gate.reconcile.kube import FIELD_MANAGER, Cluster
from gitops_gate.reconcile.objects import (
    CRD,
    ObjectRef,
    content_hash,
    fingerprint,
    record,
)


def entries(
    desired: dict[ObjectRef, dict[str, Any]],
    applied: dict[ObjectRef, dict[str, Any]],
    key: bytes,
) -> dict[ObjectRef, str]:
    """The inventory entry of each object applied: its desired hash and what we own of it."""
    return {
        ref: record(content_hash(desired[ref], key), fingerprint(live, FIELD_MANAGER))
        for ref, live in applied.items()
    }


CRD_TIMEOUT = 60.0
_POLL = 0.1


# Called between two Flux dependsOn ranks with the earlier rank's objects (and the bodies of
# those applied): returns once they are ready, raises when they will not be.
RankReady = Callable[[list[ObjectRef], dict[ObjectRef, dict[str, Any]]], None]


def apply_all(
    cluster: Cluster,
    desired: dict[ObjectRef, dict[str, Any]],
    skip: set[ObjectRef],
    *,
    ranks: Mapping[ResourceKey, int] | None = None,
    ready: RankReady | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[ObjectRef, dict[str, Any]]:
    """Server-side apply each desired object not in skip, in desired's order; what the API
    returned for each one applied.

    Objects of one step of the order (Flux rank, phase and sync wave) do not wait for one
    another and go in parallel; a step starts once the one before it is done (and its CRDs
    established), and a Flux rank once ready says the one before it is ready, as Flux waits
    for what a Kustomization dependsOn.
    """
    applied: dict[ObjectRef, dict[str, Any]] = {}
    rank_of = {ref: step_of(ref, body, ranks)[0] for ref, body in desired.items()}
    last: int | None = None
    for step in _steps(desired, skip, ranks):
        rank = rank_of[step[0]]
        if ready is not None and last is not None and rank != last:
            earlier = [r for r in desired if rank_of[r] == last]
            ready(earlier, {r: applied[r] for r in earlier if r in applied})
        last = rank
        done = parallel(lambda r: cluster.apply(desired[r]), step)
        applied.update(zip(step, done, strict=True))
        for ref in step:
            if (ref.group, ref.kind) == CRD:
                wait_established(cluster, ref, sleep=sleep)
    return applied


def _steps(
    desired: dict[ObjectRef, dict[str, Any]],
    skip: set[ObjectRef],
    ranks: Mapping[ResourceKey, int] | None,
) -> list[list[ObjectRef]]:
    """desired (already in apply order) cut where the step of the order changes."""
    steps: list[list[ObjectRef]] = []
    last: tuple[int, int, int] | None = None
    for ref, body in desired.items():
        at = step_of(ref, body, ranks)
        if at != last:
            steps.append([])
            last = at
        if ref not in skip:
            steps[-1].append(ref)
    return [s for s in steps if s]


def wait_established(
    cluster: Cluster, ref: ObjectRef, *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Wait until the API serves the CRD's kind, so the objects of that kind can follow."""
    deadline = time.monotonic() + CRD_TIMEOUT
    while time.monotonic() < deadline:
        live = cluster.get(ref) or {}
        if _condition(live, "Established") == "True":
            return
        sleep(_POLL)
    raise TemporaryError(f"{ref} was not established within {CRD_TIMEOUT:g}s")


def prune_all(cluster: Cluster, refs: list[ObjectRef]) -> list[ObjectRef]:
    """Delete refs, namespaced objects before cluster-scoped ones and CRDs last."""

    def order(ref: ObjectRef) -> tuple[int, ObjectRef]:
        try:
            namespaced = cluster.namespaced(ref)
        except PermanentError:
            namespaced = True
        crd = (ref.group, ref.kind) == CRD
        return (2 if crd else 0 if namespaced else 1, ref)

    done = []
    for ref in sorted(refs, key=order):
        cluster.delete(ref)
        done.append(ref)
    return done


def _condition(body: dict[str, Any], kind: str) -> str | None:
    for cond in (body.get("status") or {}).get("conditions") or []:
        if cond.get("type") == kind:
            return str(cond.get("status"))
    return None
