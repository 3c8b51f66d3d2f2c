"""Clusters from Flux: each root Kustomization (what `flux bootstrap` or a bootstrap script
applies) and the tree of Kustomizations it reconciles."""

from __future__ import annotations

import posixpath
from collections import defaultdict

from gitops_gate.config.flux_sources import Sources
from gitops_gate.config.found import FLUX_ROOT, Found
from gitops_gate.config.naming import distinguish
from gitops_gate.config.trees import Repo, Tree
from gitops_gate.manifests.gitops import FluxKustomization
from gitops_gate.manifests.model import Resource

_Node = tuple[Resource, FluxKustomization, str, Tree]  # the folder it builds, and what


def flux_clusters(resources: list[Resource], repo: Repo) -> list[Found]:
    """One candidate per folder of root Kustomizations that reconcile a tree (one applying
    itself, as `flux bootstrap` writes it, or further Kustomizations) or that sits beside
    bootstrap's `flux-system/`. Named by what sets the folders apart
    (`clusters/<name>/flux-system`, `kubernetes/<name>/flux`)."""
    nodes = _nodes(resources, repo)
    children = _children(nodes)
    groups: dict[str, list[int]] = defaultdict(list)
    for i in _roots(nodes, children):
        groups[posixpath.dirname(nodes[i][0].path) or "."].append(i)
    kept = {
        d: g
        for d, g in groups.items()
        if f"{d}/flux-system" in repo.folders or any(_roots_a_tree(nodes, children, i) for i in g)
    }
    folders = sorted(kept)
    if not folders:
        return []
    names = distinguish(folders, [nodes[kept[d][0]][1].name for d in folders])
    if len(folders) == 1:
        names = [_one_name(nodes, kept[folders[0]], folders[0])]
    return [
        _found(name, d, kept[d], nodes, children, repo)
        for name, d in zip(names, folders, strict=True)
    ]


def _one_name(nodes: list[_Node], group: list[int], folder: str) -> str:
    """A lone cluster: named by its one root's path (`clusters/<name>`), else by the folder
    its roots are written in, else `cluster`."""
    if len(group) == 1:
        by_path = distinguish([nodes[group[0]][2]], [""])[0]
        if by_path != "cluster":
            return by_path
    return distinguish([folder], [""])[0]


def _nodes(resources: list[Resource], repo: Repo) -> list[_Node]:
    fluxes = [(r, fk) for r in resources if (fk := FluxKustomization.of(r.body)) is not None]
    sources = Sources(resources, [fk for _, fk in fluxes])
    out = []
    for r, fk in fluxes:
        path = sources.path(r.path, fk)
        if path is not None and path in repo.folders:
            out.append((r, fk, path, repo.deploys(path)))
    return out


def _children(nodes: list[_Node]) -> dict[int, set[int]]:
    """i -> the Kustomizations whose files i's tree holds (itself left out)."""
    where: dict[str, list[int]] = defaultdict(list)
    for j, (r, _, _, _) in enumerate(nodes):
        where[r.path].append(j)
    out: dict[int, set[int]] = {}
    for i, (_, _, _, tree) in enumerate(nodes):
        out[i] = {j for f in tree.files for j in where.get(f, ()) if j != i}
    return out


def _roots(nodes: list[_Node], children: dict[int, set[int]]) -> list[int]:
    """Kustomizations nothing in the repo applies; then, for a ring that applies itself, the
    first of it."""
    has_parent = {j for kids in children.values() for j in kids}
    roots = [i for i in range(len(nodes)) if i not in has_parent]
    reached = _reach(children, roots)
    for i in sorted(range(len(nodes)), key=lambda i: nodes[i][0].path):
        if i not in reached:
            roots.append(i)
            reached |= _reach(children, [i])
    return roots


def _reach(children: dict[int, set[int]], starts: list[int]) -> set[int]:
    seen, todo = set(starts), list(starts)
    while todo:
        for j in children[todo.pop()]:
            if j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


def _roots_a_tree(nodes: list[_Node], children: dict[int, set[int]], i: int) -> bool:
    r, _, _, tree = nodes[i]
    return r.path in tree.files or bool(children[i])


def _found(
    name: str,
    folder: str,
    group: list[int],
    nodes: list[_Node],
    children: dict[int, set[int]],
    repo: Repo,
) -> Found:
    first, fk, _, _ = nodes[group[0]]
    where = f"{first.path}:{first.line_of('/spec/path')} (Kustomization {fk.id})"
    includes = {p for j in _reach(children, group) for p in nodes[j][3].roots}
    includes |= {nodes[i][0].path for i in group}
    paths = sorted({nodes[i][2] for i in group})
    if f"{folder}/flux-system" in repo.folders and not any(
        nodes[i][0].path in nodes[i][3].files for i in group
    ):
        paths = [folder]  # what bootstrap's flux-system Kustomization reconciles
    return Found(name, FLUX_ROOT, where, paths, includes)
