"""The repo's dependency graph and what it answers: affected environments, order, cycles."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from gitops_gate.config import CONFIG_NAME, Environment
from gitops_gate.findings import Finding
from gitops_gate.graph.digraph import (
    DiGraph,
    cycle_groups,
    on_cycles,
    shortest_cycle,
    topological,
)

INPUT, DEPENDS_ON, SOURCE = "input", "dependsOn", "sourceRef"


def node_id(kind: str, key: str) -> str:
    return f"{kind}:{key}"


@dataclass(slots=True)
class RepoGraph:
    """Files -> kustomization folders -> Flux Kustomizations / Argo CD Applications -> environments.

    Edges point from an input to what consumes it, so what a change reaches is its descendants
    and what an environment is made of is its ancestors.
    """

    graph: DiGraph = field(default_factory=DiGraph)
    environments: tuple[Environment, ...] = ()
    files: frozenset[str] = frozenset()
    findings: list[Finding] = field(default_factory=list)
    _sorted: list[str] | None = field(default=None, repr=False, compare=False)

    def affected_environments(self, changed: Iterable[str]) -> list[str]:
        """Environments a set of changed files (added, modified, deleted or renamed) reaches."""
        hit: set[str] = set()
        for rel in changed:
            rel = PurePosixPath(rel).as_posix()
            if PurePosixPath(rel).name == CONFIG_NAME:
                return [e.name for e in self.environments]
            for start in self._starts(rel):
                hit.update(self._envs_of(start))
        return [e.name for e in self.environments if e.name in hit]

    def _starts(self, rel: str) -> list[str]:
        file_node = node_id("file", rel)
        if file_node in self.graph:
            return [file_node]
        # A file the graph has never seen (added, or not referenced): it counts only where a
        # folder takes every file in it, as Flux does for a path without kustomization.yaml.
        for parent in PurePosixPath(rel).parents:
            d = node_id("dir", parent.as_posix())
            if d in self.graph:
                return [d] if self.graph.nodes[d].get("plain") else []
        return []

    def _envs_of(self, start: str) -> set[str]:
        # dependsOn orders applies; content flows along every other edge.
        reach = self.graph.descendants(start, skip=DEPENDS_ON) | {start}
        return {self.graph.nodes[n]["name"] for n in reach if n.startswith("env:")}

    def inputs(self, env: str) -> list[str]:
        """Every repo file that can change what env renders to (sorted), for cache keys."""
        target = node_id("env", env)
        if target not in self.graph:
            return []
        ancestors = self.graph.ancestors(target, skip=DEPENDS_ON)
        out: set[str] = set()
        dirs = []
        for n in ancestors:
            data = self.graph.nodes[n]
            if data["kind"] == "file":
                out.add(data["path"])
            elif data["kind"] == "dir":
                dirs.append(data["path"])
        files = self._sorted_files()
        for d in dirs:
            prefix = "" if d == "." else d + "/"
            # The files under d are one run of the sorted list: found by bisection, not by
            # testing every file of the repo for each of an environment's hundred folders.
            i = bisect.bisect_left(files, prefix)
            while i < len(files) and files[i].startswith(prefix):
                out.add(files[i])
                i += 1
        return sorted(out)

    def _sorted_files(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.files)
        return self._sorted

    def flux_order(self) -> list[str]:
        """Flux Kustomizations (`namespace/name` by file) in the order dependsOn applies them."""
        fluxes = [n for n, d in self.graph.nodes.items() if d["kind"] == "flux"]
        deps = [(a, b) for a, b, kind in self.graph.edges() if kind == DEPENDS_ON]
        cyclic = on_cycles(fluxes, deps)
        order = topological(
            [n for n in fluxes if n not in cyclic],
            [(a, b) for a, b in deps if a not in cyclic and b not in cyclic],
            key=self._flux_name,
        )
        return [self._flux_name(n) for n in order + sorted(cyclic, key=self._flux_name)]

    def _flux_name(self, node: str) -> str:
        path, _, ident = node.removeprefix("flux:").partition("#")
        return f"{ident} ({path})"

    def cycle_groups(self) -> list[CycleGroup]:
        """dependsOn and kustomization-folder cycles: one per group of nodes caught in them."""
        out = []
        for kind in (DEPENDS_ON, INPUT):
            edges = [
                (a, b)
                for a, b, k in self.graph.edges()
                if k == kind and (kind == DEPENDS_ON or _both_dirs(self.graph, a, b))
            ]
            groups = []
            for part in cycle_groups((), edges):
                members = tuple(sorted(part, key=lambda n: (self.label(n), n)))
                cycle = tuple(shortest_cycle(edges, members[0], part))
                groups.append(CycleGroup(kind, members, cycle))
            out += sorted(groups, key=lambda g: [self.label(n) for n in g.cycle])
        return out

    def cycles(self) -> list[list[str]]:
        """One cycle per group (dependsOn first, then kustomization folders), as labels."""
        return [[self.label(n) for n in g.cycle] for g in self.cycle_groups()]

    def label(self, node: str) -> str:
        return str(self.graph.nodes[node].get("label", node))

    def for_environment(self, env: str) -> RepoGraph:
        """The part of the graph that makes up env (and the dependsOn edges within it)."""
        target = node_id("env", env)
        keep = (
            self.graph.ancestors(target, skip=DEPENDS_ON) | {target}
            if target in self.graph
            else set()
        )
        sub = self.graph.subgraph(keep)
        paths = {d.get("path") for d in sub.nodes.values()} | {
            d.get("file") for d in sub.nodes.values()
        }
        return RepoGraph(
            sub,
            tuple(e for e in self.environments if e.name == env),
            self.files,
            [f for f in self.findings if f.path in paths],
        )


@dataclass(frozen=True, slots=True)
class CycleGroup:
    """Nodes that all reach one another along edges of one kind, and one shortest cycle."""

    kind: str
    members: tuple[str, ...]  # sorted by label
    cycle: tuple[str, ...]  # starts at members[0]; its last node leads back to the first


def _both_dirs(g: DiGraph, a: str, b: str) -> bool:
    return bool(g.nodes[a]["kind"] == "dir" and g.nodes[b]["kind"] == "dir")
