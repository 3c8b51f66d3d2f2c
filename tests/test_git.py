"""The one git runner: the user's hooks never run, inherited GIT_* never leak, errors are typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate import git
from gitops_gate.errors import EnvironmentProblem, GateError, ToolError
from tests.helpers.tree import make_repo


def test_a_failing_git_command_is_a_gate_error_naming_git(tmp_path: Path) -> None:
    make_repo(tmp_path / "repo", {"a.yaml": "a: 1\n"})
    with pytest.raises(ToolError) as caught:
        git.git(tmp_path / "repo", "cat-file", "-e", "no-such-object")
    assert isinstance(caught.value, GateError)
    assert caught.value.cmd[0] == "git" and caught.value.returncode == 128


def test_git_missing_is_an_environment_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(EnvironmentProblem, match="git was not found"):
        git.git(tmp_path, "version")


def test_an_inherited_git_dir_does_not_redirect_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path / "mine", {"a.yaml": "a: 1\n"})
    make_repo(tmp_path / "other", {"b.yaml": "b: 1\n"})
    # What git hands a hook running in another repository.
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "other" / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(tmp_path / "other"))
    out = git.text(git.git(tmp_path / "mine", "ls-files"))
    assert out.split() == ["a.yaml"]


def test_the_index_a_hook_was_handed_is_kept_only_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "elsewhere.index"))
    assert "GIT_INDEX_FILE" not in git.environment()
    assert git.environment(index=True)["GIT_INDEX_FILE"] == str(tmp_path / "elsewhere.index")


def test_commits_the_tool_makes_carry_its_own_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path / "repo", {"a.yaml": "a: 1\n"})
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Someone Else")
    git.git(tmp_path / "repo", "commit", "-q", "--allow-empty", "-m", "by the tool")
    author = git.text(git.git(tmp_path / "repo", "log", "-1", "--format=%an <%ae> / %cn"))
    assert author.strip() == "gitops-gate <gitops-gate@localhost> / gitops-gate"


def test_no_user_hook_runs_even_from_a_configured_hooks_path(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    make_repo(root, {"a.yaml": "a: 1\n"})
    marker = tmp_path / "hook-ran"
    hooks = tmp_path / "user-hooks"
    hooks.mkdir()
    for name in ("pre-commit", "commit-msg", "post-commit"):
        (hooks / name).write_text(f"#!/bin/sh\necho {name} >> '{marker}'\n")
        (hooks / name).chmod(0o755)
    git.git(root, "config", "core.hooksPath", str(hooks))
    git.git(root, "commit", "-q", "--allow-empty", "-m", "by the tool")
    assert not marker.exists()
    assert not any(git.no_hooks_dir().iterdir())


def test_a_hooks_folder_someone_filled_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    planted = tmp_path / "cache" / "gitops-gate" / "no-hooks"
    planted.mkdir(parents=True)
    (planted / "post-checkout").write_text("#!/bin/sh\n")
    chosen = git.no_hooks_dir()
    assert chosen != planted and not any(chosen.iterdir())
