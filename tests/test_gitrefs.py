"""The one worktree helper and the git questions hooks ask, on real repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate import gitrefs
from gitops_gate.errors import UsageError
from tests.helpers.tree import commit, make_repo


def _hook(repo: Path, name: str, marker: Path) -> None:
    hook = repo / ".git" / "hooks" / name
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    hook.chmod(0o755)


def test_a_worktree_never_runs_the_users_post_checkout_hook(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    sha = make_repo(root, {"app/cm.yaml": "kind: ConfigMap\n"}).head.commit.hexsha
    marker = tmp_path / "post-checkout-ran"
    _hook(root, "post-checkout", marker)
    repo = gitrefs.open_repo(root)
    with gitrefs.worktree(repo, sha) as tree:
        assert (tree / "app/cm.yaml").read_text() == "kind: ConfigMap\n"
    assert not marker.exists()
    assert not tree.exists()
    listed = gitrefs.Repo(root).git("worktree", "list").decode()
    assert listed.count("\n") == 1  # the temporary worktree is gone from git's list too


def test_a_worktree_is_removed_when_the_caller_fails(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    sha = make_repo(root, {"a.yaml": "a: 1\n"}).head.commit.hexsha
    with pytest.raises(RuntimeError), gitrefs.worktree(gitrefs.open_repo(root), sha) as tree:
        raise RuntimeError
    assert not tree.exists()


def test_a_folder_outside_any_repository_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not inside a git repository"):
        gitrefs.open_repo(tmp_path)


def test_staged_and_unstaged_files(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_repo = make_repo(root, {"a.yaml": "a: 1\n", "b.yaml": "b: 1\n"})
    (root / "a.yaml").write_text("a: 2\n")
    git_repo.index.add([str(root / "a.yaml")])
    (root / "a.yaml").write_text("a: 3\n")
    (root / "b.yaml").write_text("b: 2\n")
    repo = gitrefs.open_repo(root)
    assert gitrefs.staged_files(repo) == ["a.yaml"]
    assert gitrefs.unstaged_files(repo) == {"a.yaml", "b.yaml"}


def test_push_base_is_the_fork_point_for_a_first_push(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    git_repo = make_repo(root, {"a.yaml": "a: 1\n"})
    first = git_repo.head.commit.hexsha
    head = commit(git_repo, {"b.yaml": "b: 1\n"}, "second")
    repo = gitrefs.open_repo(root)
    assert gitrefs.push_base(repo, "origin", head, first) == first
    # Nothing is on the remote: the base is the parent of the first new commit (none here).
    assert gitrefs.push_base(repo, "origin", head, gitrefs.ZERO_SHA) is None
    assert gitrefs.changed_files(repo, first, head) == ["b.yaml"]


def test_read_at_reads_committed_files_and_leaves_out_what_is_not_one(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, {"a b.yaml": "first\n", "dir/c.yaml": "c\n"})
    sha = repo.head.commit.hexsha
    commit(repo, {"a b.yaml": "second\n"}, "edit")

    found = gitrefs.read_at(gitrefs.open_repo(tmp_path), sha, ["a b.yaml", "dir", "nope.yaml"])

    assert found == {"a b.yaml": b"first\n"}
    assert (tmp_path / "a b.yaml").read_text() == "second\n"
