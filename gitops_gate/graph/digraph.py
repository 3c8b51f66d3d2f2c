"""A small directed graph with kinded edges: what the repo graph needs, without networkx.

networkx costs ~0.1 s to import, a tenth of a hook's budget; the questions asked on every
diff and hook (what reaches what, is there a cycle, which one) are a few lines each.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any


class DiGraph:
    """Nodes with attribute dicts; edges a -> b each with one kind."""

    __slots__ = ("nodes", "pred", "succ")

    def __init__(self) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self.succ: dict[str, dict[str, str]] = {}
        self.pred: dict[str, dict[str, str]] = {}

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def add_node(self, node: str, **data: Any) -> None:
        if node not in self.nodes:
            self.nodes[node] = {}
            self.succ[node] = {}
            self.pred[node] = {}
        self.nodes[node].update(data)

    def add_edge(self, a: str, b: str, kind: str) -> None:
        for n in (a, b):
            if n not in self.nodes:
                self.add_node(n)
        self.succ[a][b] = kind
        self.pred[b][a] = kind

    def edges(self) -> Iterator[tuple[str, str, str]]:
        """Every edge as (from, to, kind)."""
        for a, out in self.succ.items():
            for b, kind in out.items():
                yield a, b, kind

    def subgraph(self, keep: Iterable[str]) -> DiGraph:
        """A copy holding only the nodes in keep and the edges between them."""
        wanted = set(keep)
        sub = DiGraph()
        for n in self.nodes:
            if n in wanted:
                sub.add_node(n, **self.nodes[n])
        for a, b, kind in self.edges():
            if a in wanted and b in wanted:
                sub.add_edge(a, b, kind)
        return sub

    def descendants(self, start: str, skip: str | None = None) -> set[str]:
        """Nodes reachable from start, not following edges of kind skip."""
        return _reach(self.succ, start, skip) - {start}

    def ancestors(self, start: str, skip: str | None = None) -> set[str]:
        """Nodes that reach start, not following edges of kind skip."""
        return _reach(self.pred, start, skip) - {start}


def _reach(
    adjacent: dict[str, dict[str, str]],
    start: str,
    skip: str | None = None,
    avoid: Collection[str] = (),
) -> set[str]:
    """Nodes reached from start (not start itself unless on a cycle through it)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt, kind in adjacent[todo.pop()].items():
            if nxt not in seen and nxt not in avoid and kind != skip:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def on_cycles(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> set[str]:
    """The nodes that lie on some cycle (a dependency on itself included)."""
    return set().union(*cycle_groups(nodes, edges))


def cycle_groups(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[set[str]]:
    """The strongly connected parts that hold a cycle: two or more nodes, or one on itself.

    A part of n nodes can hold exponentially many simple cycles (ten all depending on one
    another: millions), so a cycle is reported per part, never listed one by one.
    """
    succ = _adjacency(nodes, edges)
    pred: dict[str, dict[str, str]] = {n: {} for n in succ}
    for a, out in succ.items():
        for b in out:
            pred[b][a] = ""
    # Kosaraju: in reverse finishing order, what reaches a node and is not yet placed is its
    # strongly connected part.
    placed: set[str] = set()
    groups = []
    for n in reversed(_postorder(succ)):
        if n not in placed:
            part = _reach(pred, n, None, placed) | {n}
            placed |= part
            if len(part) > 1 or n in succ[n]:
                groups.append(part)
    return groups


def shortest_cycle(
    edges: Iterable[tuple[str, str]], start: str, within: Collection[str]
) -> list[str]:
    """A cycle through start with the fewest edges, never leaving within (start first).

    Breadth-first from start: the first node found with an edge back to start closes it.
    """
    succ = _adjacency((), ((a, b) for a, b in edges if a in within and b in within))
    parent: dict[str, str | None] = {start: None}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if start in succ.get(node, {}):
            path = [node]
            while (up := parent[path[-1]]) is not None:
                path.append(up)
            return path[::-1]
        for nxt in sorted(succ.get(node, {})):
            if nxt not in parent:
                parent[nxt] = node
                todo.append(nxt)
    return []


def _adjacency(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> dict[str, dict[str, str]]:
    succ: dict[str, dict[str, str]] = {n: {} for n in nodes}
    for a, b in edges:
        succ.setdefault(a, {})[b] = ""
        succ.setdefault(b, {})
    return succ


def _postorder(succ: dict[str, dict[str, str]]) -> list[str]:
    """Depth-first finishing order, without recursion (graphs can be deep)."""
    seen: set[str] = set()
    out: list[str] = []
    for root in succ:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(succ[root]))]
        while stack:
            node, rest = stack[-1]
            for nxt in rest:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, iter(succ[nxt])))
                    break
            else:
                stack.pop()
                out.append(node)
    return out


def topological(
    nodes: Iterable[str], edges: Iterable[tuple[str, str]], key: Callable[[str], str]
) -> list[str]:
    """nodes (a DAG) in dependency order, the smallest key first among those ready."""
    order = list(dict.fromkeys(nodes))
    position = {n: i for i, n in enumerate(order)}
    succ: dict[str, list[str]] = {n: [] for n in order}
    waiting = dict.fromkeys(order, 0)
    for a, b in edges:
        succ[a].append(b)
        waiting[b] += 1
    ready = [(key(n), position[n], n) for n in order if waiting[n] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        _, _, n = heapq.heappop(ready)
        out.append(n)
        for m in succ[n]:
            waiting[m] -= 1
            if waiting[m] == 0:
                heapq.heappush(ready, (key(m), position[m], m))
    return out
