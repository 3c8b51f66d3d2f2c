"""Missing schemas: one finding per kind, with its count and first place, on both engines."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import load
from gitops_gate.validate import validate_resources
from gitops_gate.validate.paths import validate_paths
from tests.helpers.tree import write_tree

WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: {name}}}\n"
GADGET = "apiVersion: example.com/v2\nkind: Gadget\nmetadata: {name: g}\n"
HINT = "add its CRD with --crd-dir or validate.crdDirs, or list the kind in validate.skipKinds"
ENGINES = ["builtin", pytest.param("subprocess", marks=pytest.mark.slow)]


def _repo(tmp_path: Path) -> Path:
    two = WIDGET.format(name="b") + "---\n" + WIDGET.format(name="c")
    files = {"b.yaml": two, "a.yaml": "\n" + WIDGET.format(name="a"), "g.yaml": GADGET}
    return write_tree(tmp_path / "repo", {".git/HEAD": "", **files})


def _no_schema(findings: Sequence[Finding]) -> list[tuple[str | None, int | None, str]]:
    return [(f.path, f.line, f.message) for f in findings if f.rule == "no-schema"]


EXPECTED = [
    ("a.yaml", 2, f"no schema for Widget example.com/v1 (3 resources, first at a.yaml:2): {HINT}"),
    (
        "g.yaml",
        1,
        "no schema for Gadget example.com/v2"
        " (add its CRD to the repo or --crd-dir, or list the kind in validate.skipKinds)",
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_validate_reports_each_missing_kind_once(engine: str, tmp_path: Path) -> None:
    if engine == "subprocess":
        from tests.helpers.toolchain import ensure_tool

        ensure_tool("kubeconform")
    root = _repo(tmp_path)
    cache = {"cache_dir": tmp_path / "cache"}
    cold = validate_paths([root], engine=engine, overrides=cache)
    warm = validate_paths([root], engine=engine, overrides=cache)
    assert _no_schema(cold.findings) == EXPECTED
    # Files served from the cache still count towards their kind's total.
    assert (warm.summary.unchanged_files, _no_schema(warm.findings)) == (3, EXPECTED)
    assert cold.summary.no_schema == 4


def test_check_reports_each_missing_kind_once(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    loaded = load([root], root=root)
    findings, _ = validate_resources(loaded.resources, load_config(root), engine="builtin")
    assert sorted(_no_schema(findings)) == EXPECTED


def test_json_output_lists_every_place_a_folded_kind_stood(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    result = validate_paths([root], engine="builtin", overrides={"cache": False})
    [widget] = [f.to_json() for f in result.findings if "Widget" in f.message]
    assert widget["locations"] == ["a.yaml:2", "b.yaml:1", "b.yaml:5"]
