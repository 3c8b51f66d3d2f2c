"""Which branch a promotion's pull request goes into, and where its inputs come from."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from gitops_gate.errors import UsageError
from gitops_gate.github import GitHubError
from gitops_gate.promote.pullrequest import base_branch, pull_target
from tests.promote.conftest import root_of


@pytest.fixture
def cloned(seeds: git.Repo, tmp_path: Path) -> git.Repo:
    """A clone of seeds, as CI has it: origin/HEAD names the default branch."""
    seeds.git.branch("release")
    return git.Repo.clone_from(str(root_of(seeds)), tmp_path / "clone")


def test_a_base_naming_a_branch_or_a_remote_branch_is_the_base(cloned: git.Repo) -> None:
    top = root_of(cloned)
    assert base_branch(top, "origin/release", "origin") == "release"
    cloned.git.branch("hotfix")
    assert base_branch(top, "hotfix", "origin") == "hotfix"


def test_without_a_base_the_current_branch_then_the_remote_default(cloned: git.Repo) -> None:
    top = root_of(cloned)
    cloned.git.switch("-c", "work")
    assert base_branch(top, None, "origin") == "work"
    cloned.git.switch("--detach")
    assert base_branch(top, None, "origin") == "main"  # origin/HEAD
    assert base_branch(top, cloned.head.commit.hexsha, "origin") == "main"  # a sha: no branch


def test_no_branch_to_name_is_a_usage_error(seeds: git.Repo) -> None:
    seeds.git.switch("--detach")
    with pytest.raises(UsageError, match="cannot tell which branch"):
        base_branch(root_of(seeds), None, "origin")


def test_inputs_come_from_the_command_line_then_actions_variables() -> None:
    env = {"GITHUB_REPOSITORY": "acme/gitops", "GITHUB_TOKEN": "t0", "GITHUB_API_URL": "http://x"}
    target = pull_target(env)
    assert (target.repo, target.token, target.api_url) == ("acme/gitops", "t0", "http://x")
    mine = pull_target({**env, "MINE": "t1"}, repo="o/r", token_env="MINE", api_url="http://y")
    assert (mine.repo, mine.token, mine.api_url) == ("o/r", "t1", "http://y")
    assert "t1" not in repr(mine)
    with pytest.raises(UsageError, match="no repository to open the pull request in"):
        pull_target({"GITHUB_TOKEN": "t0"})
    with pytest.raises(GitHubError, match="no GitHub token in MINE"):
        pull_target(env, token_env="MINE")
