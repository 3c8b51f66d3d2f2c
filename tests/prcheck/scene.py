"""A pull request on a real git repo, and a local GitHub that knows it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import git

from tests.basegate.test_attacks import APPLICATION, CONFIG, DEPLOY, PROJECT
from tests.helpers.github_server import GitHubServer
from tests.helpers.tree import commit, make_repo

TOKEN = "ghs_" + "S3cr3tT0ken" * 4
SATURDAY = "2026-11-21T12:00:00+01:00"  # production's deny window is closed
MONDAY = "2026-11-23T12:00:00+01:00"
NUMBER = 7
BASE_FILES = {
    ".gitops-gate.yaml": CONFIG,
    "clusters/production/project.yaml": PROJECT,
    "clusters/production/app.yaml": APPLICATION,
    "clusters/production/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.0"),
    "clusters/staging/deploy.yaml": DEPLOY.replace("{image}", "app:1.0.0"),
}


def image(env: str, tag: str) -> dict[str, str]:
    return {f"clusters/{env}/deploy.yaml": DEPLOY.replace("{image}", tag)}


@dataclass
class Scene:
    root: Path
    repo: git.Repo
    base_sha: str
    head_sha: str


def pull_request(
    root: Path,
    server: GitHubServer,
    change: Mapping[str, str],
    *,
    base: Mapping[str, str] = BASE_FILES,
    labels: tuple[str, ...] = (),
    fork: bool = False,
) -> Scene:
    """main with base's files, a topic branch committing change (checked out), and PR NUMBER."""
    repo = make_repo(root, base)
    base_sha = repo.head.commit.hexsha
    repo.git.checkout("-b", "topic")
    head_sha = commit(repo, change, "the change")
    server.add_pull(NUMBER, base_sha=base_sha, head_sha=head_sha, labels=labels, fork=fork)
    return Scene(root, repo, base_sha, head_sha)
