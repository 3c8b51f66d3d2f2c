"""A field of a rendered object named so it can be found again in the files that made it."""

from __future__ import annotations

from typing import Any

# A list element is named by its `name` when it has one: kustomize merges containers, ports
# and env vars by name, so a patch or base may hold the same element at another index.
Step = str | int | tuple[str, str]
MISSING = object()


def split(pointer: str) -> list[str]:
    """A JSON pointer's parts, unescaped."""
    if not pointer or pointer == "/":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]


def steps_of(body: Any, parts: list[str]) -> list[Step]:
    """parts (a pointer into body) as steps: keys, names of named list elements, indexes."""
    out: list[Step] = []
    node = body
    for part in parts:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            item = node[int(part)]
            named = item.get("name") if isinstance(item, dict) else None
            out.append(("name", named) if isinstance(named, str) else int(part))
            node = item
        elif isinstance(node, dict):
            out.append(part)
            node = node.get(part)
        else:
            out.append(part)
            node = None
    return out


def resolve(body: Any, steps: list[Step]) -> tuple[Any, list[str | int]]:
    """The value at steps in body (MISSING when absent) and the deepest pointer that exists."""
    node = body
    found: list[str | int] = []
    for step in steps:
        index = _index(node, step)
        if index is None:
            return MISSING, found
        node = node[index]
        found.append(index)
    return node, found


def _index(node: Any, step: Step) -> str | int | None:
    if isinstance(step, tuple):
        if isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, dict) and item.get(step[0]) == step[1]:
                    return i
        return None
    if isinstance(step, int):
        return step if isinstance(node, list) and step < len(node) else None
    if isinstance(node, dict) and step in node:
        return step
    return None


def covers(op_path: list[str], pointer: list[str]) -> bool:
    """Whether a JSON patch operation at op_path sets the field at pointer (or one inside it)."""
    shorter = min(len(op_path), len(pointer))
    pairs = zip(op_path[:shorter], pointer[:shorter], strict=True)
    # `-` appends to a list: the element it adds is at whatever index the object now has.
    return shorter > 0 and all(a == b or (a == "-" and b.isdigit()) for a, b in pairs)
