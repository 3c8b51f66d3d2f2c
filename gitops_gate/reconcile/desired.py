"""The desired objects of a revision: namespaces filled in and sorted into apply order."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from gitops_gate.keys import ResourceKey
from gitops_gate.reconcile.errors import PermanentError
from gitops_gate.reconcile.flux import UNRANKED
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.objects import CRD, ObjectRef, phase, wave

DEFAULT_NAMESPACE = "default"


def desired_objects(
    cluster: Cluster,
    bodies: Iterable[dict[str, Any]],
    ranks: Mapping[ResourceKey, int] | None = None,
) -> dict[ObjectRef, dict[str, Any]]:
    """bodies keyed by reference, in apply order: by Flux dependsOn rank (ranks), then CRDs
    (then wait), Namespaces, other cluster-scoped objects, namespaced ones; within each, by
    Argo CD sync wave."""
    bodies = list(bodies)
    crd_scopes = _crd_scopes(bodies)
    placed: list[tuple[tuple[int, int, int, ObjectRef], dict[str, Any]]] = []
    for body in bodies:
        rank = (ranks or {}).get(ResourceKey.of(body), UNRANKED)
        namespaced = _namespaced(cluster, body, crd_scopes)
        body = _with_namespace(body, namespaced)
        ref = ObjectRef.of(body)
        placed.append(((rank, phase(body, namespaced), wave(body), ref), body))
    placed.sort(key=lambda item: item[0])
    return {order[3]: body for order, body in placed}


def step_of(
    ref: ObjectRef, body: dict[str, Any], ranks: Mapping[ResourceKey, int] | None
) -> tuple[int, int, int]:
    """Where ref's object stands in the apply order; objects of one step need not wait for
    one another (desired_objects' order without the name)."""
    rank = (ranks or {}).get(ResourceKey.of(body), UNRANKED)
    return (rank, phase(body, bool(ref.namespace)), wave(body))


def _crd_scopes(bodies: list[dict[str, Any]]) -> dict[tuple[str, str], bool]:
    """(group, kind) -> namespaced, for the kinds the revision's own CRDs define."""
    scopes = {}
    for body in bodies:
        ref = ObjectRef.of(body)
        if (ref.group, ref.kind) != CRD:
            continue
        spec = body.get("spec") or {}
        kind = (spec.get("names") or {}).get("kind", "")
        scopes[(str(spec.get("group", "")), str(kind))] = spec.get("scope") == "Namespaced"
    return scopes


def _namespaced(
    cluster: Cluster, body: dict[str, Any], crd_scopes: dict[tuple[str, str], bool]
) -> bool:
    ref = ObjectRef.of(body)
    if (ref.group, ref.kind) in crd_scopes:
        return crd_scopes[(ref.group, ref.kind)]
    try:
        return cluster.kind(ref.api_version, ref.kind).namespaced
    except PermanentError as e:
        raise PermanentError(f"{ref}: {e.message}", hint=e.hint) from e


def _with_namespace(body: dict[str, Any], namespaced: bool) -> dict[str, Any]:
    """body with the namespace an apply puts it in (and none on a cluster-scoped object)."""
    meta = body.get("metadata") or {}
    has = bool(meta.get("namespace"))
    if has == namespaced:
        return body
    body = copy.deepcopy(body)
    if namespaced:
        body["metadata"]["namespace"] = DEFAULT_NAMESPACE
    else:
        del body["metadata"]["namespace"]
    return body
