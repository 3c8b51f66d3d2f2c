"""Which environments `check` renders for its policies, and what it says when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.api import check
from tests.deployed.test_evaluate import PINNED, overlay, repo


def test_without_a_renderer_files_are_checked_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path, "builtin", overlay("production", PINNED), overlay("staging", PINNED))
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))

    found = check([root], root=root, checks=["policy"]).findings

    assert [(f.rule, f.severity.label, f.path) for f in found] == [
        ("policy-not-rendered", "info", None),
        ("no-latest-tag", "error", "app/base/deploy.yaml"),
    ]
    assert "production, staging" in found[0].message
