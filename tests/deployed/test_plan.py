"""Which environments `check` renders for its policies, and what it says when it cannot."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.api import check
from tests.deployed.test_evaluate import PINNED, overlay, repo
from tests.helpers.toolchain import ensure_tool


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


@pytest.mark.slow
def test_an_environment_with_a_remote_base_stays_refused_and_is_checked_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    remote = "resources:\n  - ../../base\n  - https://github.com/example/app//deploy?ref=v1\n"
    staging = {"app/overlays/staging/kustomization.yaml": remote}
    root = repo(tmp_path, "subprocess", overlay("production", PINNED), staging)

    found = check([root], root=root, checks=["policy", "render"]).findings

    # production renders and pins the tag; staging is refused, so the base is judged as
    # written there: the finding stays an error and names no environment.
    assert sorted((f.rule, f.severity.label, f.path) for f in found) == [
        ("no-latest-tag", "error", "app/base/deploy.yaml"),
        ("remote-base", "info", "app/overlays/staging/kustomization.yaml"),
    ]
