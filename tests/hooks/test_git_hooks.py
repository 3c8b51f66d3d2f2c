"""The plain git hooks in hooks/: a bad commit or push is refused with its finding."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git as gitpython
import pytest

from tests.conftest import Run
from tests.helpers.tree import make_repo, write_tree
from tests.hooks.scenarios import (
    DEPLOYMENT,
    DEV_OVERLAY,
    DUPLICATE_KEY,
    PLAINTEXT_SECRET,
    add_to_base,
    git,
    needs_check_policy,
    with_latest_tag,
)
from tests.scaffold.generate import generate


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


@pytest.fixture
def repo(tmp_path: Path, cli: Callable[..., Run]) -> gitpython.Repo:
    root = generate(tmp_path / "repo", engine="both")
    made = make_repo(root, _files(root), "generated")
    assert cli("hooks", "install", str(root)).code == 0
    return made


def _commit(repo: gitpython.Repo, files: dict[str, str]) -> tuple[int, str]:
    root = Path(str(repo.working_tree_dir))
    write_tree(root, files)
    git(root, "add", *files)
    done = git(root, "commit", "-q", "-m", "change", check=False)
    return done.returncode, done.stdout + done.stderr


def _commit_no_verify(root: Path, files: dict[str, str], message: str) -> None:
    write_tree(root, files)
    git(root, "add", *files)
    git(root, "commit", "-q", "--no-verify", "-m", message)


def test_a_good_commit_passes(repo: gitpython.Repo) -> None:
    root = Path(str(repo.working_tree_dir))
    text = (root / DEPLOYMENT).read_text().replace("memory: 128Mi", "memory: 256Mi")
    code, out = _commit(repo, {DEPLOYMENT: text})
    assert code == 0, out
    assert "Passed" in out


def test_a_broken_manifest_in_a_base_stops_the_commit(repo: gitpython.Repo) -> None:
    root = Path(str(repo.working_tree_dir))
    code, out = _commit(
        repo,
        {
            "base/hello/settings.yaml": DUPLICATE_KEY,
            "base/hello/kustomization.yaml": add_to_base(root, "settings.yaml"),
        },
    )
    assert code == 1
    assert "base/hello/settings.yaml:8" in out and "duplicate key 'mode'" in out
    assert repo.head.commit.message == "generated"


def test_commit_all_checks_the_files_it_stages(repo: gitpython.Repo) -> None:
    # `git commit -a` stages into a temporary index; the hook must read that one.
    root = Path(str(repo.working_tree_dir))
    write_tree(root, {"clusters/dev/apps/kustomization.yaml": DUPLICATE_KEY})
    done = git(root, "commit", "-a", "-q", "-m", "change", check=False)
    assert done.returncode == 1
    assert "clusters/dev/apps/kustomization.yaml" in done.stdout + done.stderr


@needs_check_policy
def test_a_latest_image_stops_the_commit(repo: gitpython.Repo) -> None:
    root = Path(str(repo.working_tree_dir))
    code, out = _commit(repo, {DEV_OVERLAY: with_latest_tag(root)})
    assert code == 1
    assert "no-latest-tag" in out and DEV_OVERLAY in out


@needs_check_policy
def test_a_plaintext_secret_stops_the_commit(repo: gitpython.Repo) -> None:
    root = Path(str(repo.working_tree_dir))
    code, out = _commit(
        repo,
        {
            "base/hello/db.yaml": PLAINTEXT_SECRET,
            "base/hello/kustomization.yaml": add_to_base(root, "db.yaml"),
        },
    )
    assert code == 1
    assert "no-plaintext-secrets" in out and "base/hello/db.yaml" in out


def test_pre_push_checks_the_pushed_commits_not_the_working_tree(
    repo: gitpython.Repo, tmp_path: Path
) -> None:
    root = Path(str(repo.working_tree_dir))
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    assert git(root, "push", "-q", "origin", "main", check=False).returncode == 0

    _commit_no_verify(root, {"base/hello/settings.yaml": DUPLICATE_KEY}, "bad, skipping hooks")
    write_tree(root, {"base/hello/settings.yaml": "# fixed here, but not committed\n"})
    marker = tmp_path / "post-checkout-ran"
    hook = root / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    hook.chmod(0o755)
    done = git(root, "push", "origin", "main", check=False)
    assert done.returncode != 0
    out = done.stdout + done.stderr
    assert "base/hello/settings.yaml:8" in out and "duplicate key" in out
    assert git(root, "worktree", "list").stdout.count("\n") == 1  # the temporary one is gone
    assert not marker.exists()  # checking out the pushed commit ran none of the user's hooks

    _commit_no_verify(root, {"base/hello/settings.yaml": "# fixed\n"}, "fix")
    done = git(root, "push", "origin", "main", check=False)
    assert done.returncode == 0, done.stderr


def test_pre_push_of_a_new_branch_checks_what_it_adds(repo: gitpython.Repo, tmp_path: Path) -> None:
    root = Path(str(repo.working_tree_dir))
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    assert git(root, "push", "-q", "origin", "main", check=False).returncode == 0
    git(root, "checkout", "-q", "-b", "feature")
    _commit_no_verify(root, {"clusters/dev/extra.yaml": DUPLICATE_KEY}, "bad")
    done = git(root, "push", "origin", "feature", check=False)
    assert done.returncode != 0
    assert "clusters/dev/extra.yaml" in done.stdout + done.stderr
