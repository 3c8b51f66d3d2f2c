"""Flux `dependsOn` for the apply order: each object ranked by the Flux Kustomization building it.

The render merges every Flux Kustomization's objects into one set; which one built an object
is found again by building each one's folder alone (only where some Kustomization of the
environment has a dependsOn, so other repositories pay nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.config import Config
from gitops_gate.diff.api import settings_of
from gitops_gate.graph import RepoGraph
from gitops_gate.graph.gitops import FluxKustomization
from gitops_gate.keys import ResourceKey
from gitops_gate.render import pick
from gitops_gate.render.build_dir import WRAPPED, BuildFailed, build_dir

UNRANKED = -1  # objects no Flux Kustomization builds (its sources, itself): first


def flux_ranks(
    root: Path, config: Config, graph: RepoGraph, objects: Iterable[dict[str, Any]]
) -> dict[ResourceKey, int]:
    """Each object's place in RepoGraph.flux_order() among the environment's Kustomizations."""
    fks = {fk.id: fk for body in objects if (fk := FluxKustomization.of(body)) is not None}
    if not any(fk.depends_on for fk in fks.values()):
        return {}
    # flux_order names each `namespace/name (file)`: dependencies first, cycles last.
    order = [name.partition(" (")[0] for name in graph.flux_order()]
    ranked = [fks[i] for i in order if i in fks] + [fk for i, fk in fks.items() if i not in order]
    renderer, (settings, _) = pick(config), settings_of(config)
    ranks: dict[ResourceKey, int] = {}
    for rank, fk in enumerate(ranked):
        if fk.source_kind != "GitRepository":
            continue
        rel = PurePosixPath(fk.path.removeprefix("./") or ".").as_posix()
        wrap = {k: fk.spec[k] for k in WRAPPED if fk.spec.get(k)}
        try:
            built = build_dir(root, rel, renderer, settings, wrap or None)
        except BuildFailed:
            continue  # the render reported it; its objects keep the plain order
        for body in built:
            ranks.setdefault(ResourceKey.of(body), rank)
    return ranks
