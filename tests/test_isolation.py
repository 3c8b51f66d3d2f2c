"""A test run leaves the user alone: its own caches and git config, the user's tools shared."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.cachedir import cache_root
from gitops_gate.tools import cache_dir
from tests.conftest import Run
from tests.helpers.isolation import Isolation, isolate
from tests.helpers.tree import make_repo

POD = """\
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  containers:
    - name: app
      image: app:1.0.0
      resources: {requests: {cpu: 10m}, limits: {memory: 64Mi}}
"""


def _stamps(root: Path) -> dict[str, int]:
    """Every file and folder under root with its mtime: a new, changed or removed entry shows."""
    if not root.exists():
        return {}
    return {str(p): p.stat().st_mtime_ns for p in [root, *root.rglob("*")]}


def test_the_run_has_its_own_folders_and_shares_only_the_tools(isolation: Isolation) -> None:
    assert os.environ["XDG_CACHE_HOME"] == str(isolation.cache)
    assert os.environ["XDG_STATE_HOME"] == str(isolation.state)
    assert os.environ["XDG_CONFIG_HOME"] == str(isolation.config)
    assert cache_root() == isolation.cache / "gitops-gate"
    assert cache_root() != isolation.user_cache
    assert cache_dir() == isolation.tools
    assert not isolation.tools.is_relative_to(isolation.cache)


def test_a_check_fills_the_runs_cache_and_leaves_the_users_untouched(
    isolation: Isolation, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    (tmp_path / "pod.yaml").write_text(POD)
    before = _stamps(isolation.user_cache)

    result = cli("check", "--engine", "builtin", str(tmp_path))

    assert result.code == 0, result.out + result.err
    assert _stamps(isolation.user_cache) == before
    written = {p.relative_to(cache_root()).parts[0] for p in cache_root().rglob("*.json")}
    assert {"schemas", "secrets"} <= written, written


def test_make_repo_leaves_the_environment_alone(tmp_path: Path) -> None:
    before = dict(os.environ)

    repo = make_repo(tmp_path, {"a.yaml": "a: 1\n"})

    assert dict(os.environ) == before
    head = repo.head.commit
    assert (head.author.email, head.committer.email) == ("test@example.com", "test@example.com")


def test_git_sees_the_runs_config_not_the_users(isolation: Isolation, tmp_path: Path) -> None:
    done = subprocess.run(
        ["git", "config", "--global", "--list", "--show-origin"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.stdout == ""  # the run's global config is empty, whatever the user's holds
    assert os.environ["GIT_CONFIG_GLOBAL"] == str(isolation.gitconfig)
    assert os.environ["GIT_CONFIG_NOSYSTEM"] == "1"


def test_the_users_environment_comes_back_when_a_run_ends(tmp_path: Path) -> None:
    before = dict(os.environ)
    patch = pytest.MonkeyPatch()

    inner = isolate(tmp_path / "run", patch)
    during = dict(os.environ)
    patch.undo()

    assert during["XDG_CACHE_HOME"] == str(inner.cache) != before["XDG_CACHE_HOME"]
    assert during["GIT_CONFIG_GLOBAL"] == str(inner.gitconfig)
    assert dict(os.environ) == before
