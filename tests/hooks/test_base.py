"""The git hooks judge a change by the gate as committed before it: HEAD, or the remote's tip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git as gitpython
import pytest

from tests.conftest import Run
from tests.helpers.manifests import deployment
from tests.helpers.tree import make_repo, write_tree
from tests.hooks.scenarios import git

CONFIG = "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev]\n"
DEPLOY = deployment("app:IMAGE")
LATEST = {"clusters/dev/deploy.yaml": DEPLOY.replace("IMAGE", "latest")}
WAIVERS = """\
waivers:
  - {rule: no-latest-tag, resource: {kind: Deployment, name: web}, reason: mine,
     owner: me, expires: "2099-01-01"}
"""


@pytest.fixture
def repo(tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    make_repo(root, {
        ".gitops-gate.yaml": CONFIG,
        "clusters/dev/kustomization.yaml": "resources: [deploy.yaml]\n",
        "clusters/dev/deploy.yaml": DEPLOY.replace("IMAGE", "1.0.0"),
    })  # fmt: skip
    assert cli("hooks", "install", str(root)).code == 0
    return root


def _commit(root: Path, files: dict[str, str], *flags: str) -> tuple[int, str]:
    write_tree(root, files)
    git(root, "add", *files)
    done = git(root, "commit", "-q", *flags, "-m", "change", check=False)
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({".gitops-gate.yaml": CONFIG + "policy: {disable: [no-latest-tag]}\n"},
         "adds `policy` in .gitops-gate.yaml"),
        ({".gitops-gate-waivers.yaml": WAIVERS}, "adds .gitops-gate-waivers.yaml"),
    ],
    ids=["config", "waivers"],
)  # fmt: skip
def test_a_commit_that_loosens_the_gate_is_refused_with_its_finding(
    repo: Path, change: dict[str, str], says: str
) -> None:
    code, out = _commit(repo, {**change, **LATEST})

    assert code == 1, out
    assert "[gate/gate-changed]" in out and says in out
    assert "[policy/no-latest-tag]" in out
    assert gitpython.Repo(repo).head.commit.message == "initial"


def test_a_push_that_loosens_the_gate_is_refused(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    assert git(repo, "push", "-q", "origin", "main", check=False).returncode == 0
    _commit(repo, {".gitops-gate-waivers.yaml": WAIVERS, **LATEST}, "--no-verify")

    done = git(repo, "push", "origin", "main", check=False)

    out = done.stdout + done.stderr
    assert done.returncode != 0, out
    assert "[gate/gate-changed]" in out and "[policy/no-latest-tag]" in out


def test_a_first_commit_is_judged_by_its_own_config(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "fresh"
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    assert cli("hooks", "install", str(root)).code == 0

    code, out = _commit(root, {".gitops-gate.yaml": CONFIG, "clusters/dev/deploy.yaml": DEPLOY})

    assert code == 0, out
    assert "gate-changed" not in out
