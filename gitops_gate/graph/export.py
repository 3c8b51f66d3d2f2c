"""The graph as Mermaid (renders in a GitHub comment), Graphviz DOT, or JSON."""

from __future__ import annotations

from typing import Any

from gitops_gate.graph.model import DEPENDS_ON, RepoGraph
from gitops_gate.report.escape import dot_string, mermaid_label

_MERMAID_SHAPE = {
    "file": ("[", "]"),
    "dir": ("[/", "/]"),
    "flux": ("([", "])"),
    "argo": ("([", "])"),
    "source": ("[(", ")]"),
    "remote": (">", "]"),
    "env": ("{{", "}}"),
}


def _nodes(g: RepoGraph) -> list[str]:
    return sorted(g.graph.nodes)


def to_mermaid(g: RepoGraph) -> str:
    ids = {n: f"n{i}" for i, n in enumerate(_nodes(g))}
    lines = ["flowchart LR"]
    for n in _nodes(g):
        kind = g.graph.nodes[n]["kind"]
        left, right = _MERMAID_SHAPE.get(kind, ("[", "]"))
        lines.append(f"  {ids[n]}{left}{mermaid_label(g.label(n))}{right}")
    for a, b, kind in sorted(g.graph.edges()):
        arrow = " -.->|dependsOn| " if kind == DEPENDS_ON else " --> "
        lines.append(f"  {ids[a]}{arrow}{ids[b]}")
    return "\n".join(lines) + "\n"


def to_dot(g: RepoGraph) -> str:
    lines = ["digraph gitops {", "  rankdir=LR;"]
    for n in _nodes(g):
        kind = g.graph.nodes[n]["kind"]
        lines.append(f"  {dot_string(n)} [label={dot_string(g.label(n))}, kind={kind}];")
    for a, b, kind in sorted(g.graph.edges()):
        style = ' [style=dashed, label="dependsOn"]' if kind == DEPENDS_ON else ""
        lines.append(f"  {dot_string(a)} -> {dot_string(b)}{style};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(g: RepoGraph) -> dict[str, Any]:
    return {
        "nodes": [
            {"id": n, "kind": g.graph.nodes[n]["kind"], "label": g.label(n)} for n in _nodes(g)
        ],
        "edges": [{"from": a, "to": b, "kind": kind} for a, b, kind in sorted(g.graph.edges())],
        "environments": [e.name for e in g.environments],
        "fluxOrder": g.flux_order(),
        "cycles": g.cycles(),
        "findings": [f.to_json() for f in g.findings],
    }
