"""Snapshots of the generated tree: a template change shows up here and is reviewed like code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_snapshot.plugin import Snapshot

from tests.scaffold.generate import ENGINES, generate, tree_text


@pytest.mark.parametrize("engine", ENGINES)
def test_generated_tree(engine: str, tmp_path: Path, snapshot: Snapshot) -> None:
    dest = generate(tmp_path / "repo", engine=engine, gitops_gate_version="0.1.0")
    snapshot.assert_match(tree_text(dest), f"{engine}.txt")
