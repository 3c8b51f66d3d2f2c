"""check gates a change by the sync windows of the environments it reaches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree

CONFIG = """\
version: 1
environments:
  staging:
    paths: [clusters/staging]
  production:
    paths: [clusters/production]
    production: true
    syncWindows:
      - {kind: deny, schedule: "0 18 * * Fri", duration: 60h, timeZone: Europe/Berlin,
         name: weekend-freeze}
"""
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: shop}\ndata: {a: b}\n"
SATURDAY = "2026-11-21T12:00:00+01:00"
MONDAY = "2026-11-23T12:00:00+01:00"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "base/kustomization.yaml": "resources: [cm.yaml]\n",
        "base/cm.yaml": CM,
        "clusters/staging/kustomization.yaml": "resources: [../../base]\n",
        "clusters/production/kustomization.yaml": "resources: [../../base]\n",
    })  # fmt: skip


@pytest.mark.parametrize(
    ("changed", "at", "code", "says"),
    [
        ("clusters/production/kustomization.yaml", SATURDAY, 1,
         "error: production: blocked by window weekend-freeze until 2026-11-23 06:00 CET"),
        ("base/cm.yaml", SATURDAY, 1, "blocked by window weekend-freeze"),
        ("clusters/staging/kustomization.yaml", SATURDAY, 0, None),
        ("clusters/production/kustomization.yaml", MONDAY, 0, None),
    ],
    ids=["production-on-saturday", "base-reaches-production", "staging", "production-on-monday"],
)  # fmt: skip
def test_a_change_reaching_a_closed_production_window_fails(
    repo: Path, cli: Callable[..., object], changed: str, at: str, code: int, says: str | None
) -> None:
    run = cli("check", "--at", at, str(repo / changed))

    assert run.code == code, run.out
    if says:
        assert says in run.out
    else:
        assert "blocked by window" not in run.out


def test_an_override_lets_the_change_through_and_says_so(
    repo: Path, cli: Callable[..., object]
) -> None:
    run = cli("check", "--at", SATURDAY, "--override", "hotfix INC-42", str(repo / "base/cm.yaml"))

    assert run.code == 0, run.out
    assert "hotfix INC-42" in run.out
    assert "[windows/window-override]" in run.out


def test_a_whole_tree_is_not_a_change_and_is_not_blocked(
    repo: Path, cli: Callable[..., object]
) -> None:
    run = cli("check", "--at", SATURDAY, str(repo))

    assert run.code == 0, run.out
    assert "blocked by window" not in run.out
