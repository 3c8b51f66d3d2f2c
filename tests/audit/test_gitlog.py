"""`audit import-git`: each commit that reached an environment, once, with its people and PR."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.helpers.tree import commit, make_repo

CONFIG = """\
version: 1
audit: {path: .audit/log.sqlite}
environments:
  staging: {paths: [clusters/staging]}
  production: {paths: [clusters/production], production: true}
"""
CM = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: app, namespace: shop}}\n"
    "data: {{v: '{v}'}}\n"
)
ALICE = git.Actor("Alice", "alice@example.com")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = make_repo(tmp_path, {
        ".gitops-gate.yaml": CONFIG,
        "base/kustomization.yaml": "resources: [cm.yaml]\n",
        "base/cm.yaml": CM.format(v=1),
        "clusters/staging/kustomization.yaml": "resources: [../../base]\n",
        "clusters/production/kustomization.yaml": "resources: [../../base]\n",
        "docs/README.md": "# docs\n",
    })  # fmt: skip
    commit(r, {"base/cm.yaml": CM.format(v=2)}, "Bump the app's setting (#12)")
    commit(r, {"docs/README.md": "# more docs\n"}, "Docs only")
    r.git.checkout("-b", "hotfix")
    (tmp_path / "clusters/production/patch.yaml").write_text(CM.format(v=3))
    r.index.add([str(tmp_path / "clusters/production/patch.yaml")])
    r.index.commit("Hotfix production", author=ALICE, committer=ALICE)
    r.git.checkout("main")
    r.git.merge("--no-ff", "-m", "Merge pull request #13 from shop/hotfix", "hotfix")
    return tmp_path


def _events(cli: Callable[..., Any], repo: Path, *extra: str) -> list[dict[str, Any]]:
    run = cli("audit", "export", "--format", "jsonl", *extra, str(repo))
    assert run.code == 0, run.err
    return [json.loads(line)["event"] for line in run.out.splitlines()]


def test_commits_reaching_an_environment_are_recorded_once(
    repo: Path, cli: Callable[..., Any]
) -> None:
    first = cli("audit", "import-git", str(repo))
    again = cli("audit", "import-git", str(repo))

    assert first.code == 0 and again.code == 0
    assert "0 new events" in again.out
    found = [
        (e["environment"], e["reason"], e["links"].get("pr"), e["actor"]["author"])
        for e in _events(cli, repo)
    ]
    assert found == [
        ("staging", "initial", None, "Test <test@example.com>"),
        ("production", "initial", None, "Test <test@example.com>"),
        ("staging", "Bump the app's setting (#12)", "#12", "Test <test@example.com>"),
        ("production", "Bump the app's setting (#12)", "#12", "Test <test@example.com>"),
        ("production", "Hotfix production", None, "Alice <alice@example.com>"),
        ("production", "Merge pull request #13 from shop/hotfix", "#13", "Test <test@example.com>"),
    ]
    merge = _events(cli, repo, "--env", "production")[-1]
    assert merge["details"]["merge"] is True
    assert merge["objects"] == ["clusters/production/patch.yaml"]
    assert merge["details"]["signature"] == "none"
    assert cli("audit", "verify", str(repo)).code == 0


def test_since_limits_the_import(repo: Path, cli: Callable[..., Any]) -> None:
    run = cli("audit", "import-git", "--since", "2098-01-01", str(repo))

    assert run.code == 0 and "0 new events" in run.out


def test_a_since_that_is_not_a_date_is_a_usage_error(repo: Path, cli: Callable[..., Any]) -> None:
    run = cli("audit", "import-git", "--since", "last tuesday", str(repo))

    assert run.code == 2 and "is not a time" in run.err
