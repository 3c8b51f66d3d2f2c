"""Who an event the gate records names: the CI job's identity, HEAD's people."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.audit.actor import ci_identity, current_actor
from tests.helpers.tree import make_repo


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_ACTOR": "octocat"}, "github:octocat"),
        ({"GITLAB_CI": "true", "GITLAB_USER_LOGIN": "dev"}, "gitlab:dev"),
        ({"GITHUB_ACTIONS": "true"}, "github:unknown"),
        ({"CI": "true"}, "ci:unknown"),
        ({}, None),
    ],
    ids=["github", "gitlab", "github-no-actor", "other-ci", "not-ci"],
)
def test_ci_identity(env: dict[str, str], expected: str | None) -> None:
    assert ci_identity(env) == expected


def test_head_author_and_committer_outside_and_inside_a_repository(tmp_path: Path) -> None:
    outside = current_actor(tmp_path)
    make_repo(tmp_path / "repo", {"a.yaml": "a: 1\n"})

    inside = current_actor(tmp_path / "repo")

    assert (outside.author, outside.committer) == (None, None)
    assert inside.author == inside.committer == "Test <test@example.com>"
