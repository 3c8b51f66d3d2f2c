"""Which Applications a window applies to: Argo CD's globs over name, namespace and cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gitops_gate.windows.glob import glob_match


@dataclass(frozen=True, slots=True)
class Target:
    """Something that syncs: an Argo CD Application, a Flux object, or a whole environment."""

    name: str
    kind: str = "Application"
    namespace: str = ""
    cluster_name: str = ""
    cluster_server: str = ""
    project: str | None = None
    environments: tuple[str, ...] = ()
    path: str | None = None


def selects(
    target: Target,
    *,
    applications: Sequence[str],
    namespaces: Sequence[str],
    clusters: Sequence[str],
    and_operator: bool,
) -> bool:
    """Argo CD's `Matches`: any listed selector matching (all of them with `andOperator`)."""
    results = []
    if applications:
        results.append(any(glob_match(p, target.name) for p in applications))
    if namespaces:
        results.append(any(glob_match(p, target.namespace) for p in namespaces))
    if clusters:
        cluster = (target.cluster_name, target.cluster_server)
        results.append(any(glob_match(p, c) for p in clusters for c in cluster if c))
    if not results:
        return False
    return all(results) if and_operator else any(results)
