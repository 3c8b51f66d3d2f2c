"""The suite reads nothing outside the repository: a clean clone runs it on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


_SAME_FOLDER = {"parents", "resolve", "absolute"}  # what keeps a path where it is


def _climb(node: ast.expr, names: dict[str, int]) -> int | None:
    """How many folders above the module's own folder node's path is; None if not from
    __file__. The file itself is -1, its .parent 0, its parents[n] n."""
    if isinstance(node, ast.Name):
        return -1 if node.id == "__file__" else names.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
        return _climb(node.args[0], names) if node.func.id == "Path" else None
    if isinstance(node, ast.Call):
        return _climb(node.func, names)
    if isinstance(node, ast.Attribute) and node.attr in {"parent", *_SAME_FOLDER}:
        base = _climb(node.value, names)
        return None if base is None else base + (node.attr == "parent")
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        base = _climb(node.value, names)
        parents = isinstance(node.value, ast.Attribute) and node.value.attr == "parents"
        return None if base is None or not parents else base + 1 + int(node.slice.value)
    if isinstance(node, ast.BinOp):
        base = _climb(node.left, names)
        right = node.right.value if isinstance(node.right, ast.Constant) else ""
        return None if base is None else base + str(right).split("/").count("..")
    return None


def _names_shared_data(node: ast.AST) -> bool:
    """A literal path into the shared data that sits beside the project, not in it."""
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return False
    text = node.value
    return text == "shared" or text.startswith("shared/") or "../shared" in text


def escapes(source: str, depth: int) -> list[int]:
    """Lines of source (a module depth folders below the repo root) that reach outside it."""
    names: dict[str, int] = {}
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            level = _climb(node.value, names)
            if level is not None:
                names[node.targets[0].id] = level
        level = _climb(node, names) if isinstance(node, ast.expr) else None
        if (level is not None and level > depth) or _names_shared_data(node):
            lines.append(node.lineno)  # type: ignore[attr-defined]
    return sorted(set(lines))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('X = Path(__file__).resolve().parents[3] / "shared" / "corpora"\n', [1]),
        ("X = Path(__file__).parent.parent.parent.parent\n", [1]),
        ("X = Path(__file__).resolve().parents[2]\nY = X.parent\n", [2]),
        ('X = Path(__file__).parents[1]\nY = X / "../.." / "c"\n', [2]),
        ('X = Path("../shared/corpora")\n', [1]),
        ('X = ROOT / "shared"\n', [1]),
        ('X = Path(__file__).resolve().parents[2] / "policies"\n', []),
        ("X = Path(__file__).parent.parent\n", []),
        ('X = "resources: [../base]"\nY = "kubernetes/shared/repos"\n', []),
    ],
    ids=[
        "parents",
        "parent-chain",
        "through-a-name",
        "dot-dot",
        "sibling",
        "folder",
        "in-repo",
        "in-repo-chain",
        "yaml-text",
    ],
)
def test_what_counts_as_leaving_the_repo(source: str, found: list[int]) -> None:
    assert escapes(source, depth=2) == found


def test_no_test_module_reads_outside_the_repo() -> None:
    # This module's own table holds such paths on purpose; tests/data holds others' files.
    data = ROOT / "tests" / "data"
    modules = sorted(
        m
        for m in ROOT.joinpath("tests").rglob("*.py")
        if m != Path(__file__).resolve() and not m.is_relative_to(data)
    )
    assert len(modules) > 50
    leaving = {
        m.relative_to(ROOT).as_posix(): lines
        for m in modules
        if (lines := escapes(m.read_text(), len(m.relative_to(ROOT).parts) - 1))
    }
    assert leaving == {}, "read test data from tests/helpers/data.py, not outside the repo"
