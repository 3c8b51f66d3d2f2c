"""Imports stand at module top, but for the heavy modules of gitops_gate.lazy_imports."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import gitops_gate
from gitops_gate.lazy_imports import HEAVY_MODULES

PACKAGE = Path(gitops_gate.__file__).parent
# The package root's lazy `check` and `CheckResult` (a bare `import gitops_gate` stays cheap).
ROOT_LAZY = {("__init__.py", "gitops_gate")}


def _imported(node: ast.Import | ast.ImportFrom) -> str:
    if isinstance(node, ast.ImportFrom):
        return "gitops_gate" if node.level else (node.module or "")
    return node.names[0].name


def _imports(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import with whether it stands inside a function (TYPE_CHECKING blocks left out)."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, inner)

    visit(tree, False)
    return found


def _violations(path: Path, package: Path = PACKAGE) -> list[str]:
    rel = path.relative_to(package).as_posix()
    out = []
    for node, in_function in _imports(ast.parse(path.read_text(encoding="utf-8"))):
        name = _imported(node)
        heavy = name.split(".")[0] in HEAVY_MODULES
        if in_function and not heavy and (rel, name) not in ROOT_LAZY:
            out.append(f"{rel}:{node.lineno}: `{ast.unparse(node)}` belongs at module top")
        if heavy and not in_function:
            out.append(f"{rel}:{node.lineno}: `{ast.unparse(node)}` is heavy: import it in use")
    return out


def test_imports_stand_at_module_top_but_for_the_heavy_ones() -> None:
    problems = [v for path in sorted(PACKAGE.rglob("*.py")) for v in _violations(path)]

    assert problems == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\n", []),
        ("def f():\n    import os\n", ["x.py:2: `import os` belongs at module top"]),
        ("def f():\n    import rich.table\n", []),
        ("import rich\n", ["x.py:1: `import rich` is heavy: import it in use"]),
        ("if TYPE_CHECKING:\n    import rich\n", []),
        (
            "class A:\n    def f(self):\n        from . import y\n",
            ["x.py:3: `from . import y` belongs at module top"],
        ),
    ],
    ids=["top", "in-function", "heavy-in-function", "heavy-at-top", "type-checking", "method"],
)
def test_the_rule_itself(tmp_path: Path, source: str, expected: list[str]) -> None:
    path = tmp_path / "x.py"
    path.write_text(source)

    assert _violations(path, tmp_path) == expected
