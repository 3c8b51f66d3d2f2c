"""Who is behind an event the gate records itself: the commit's people, the CI job, the OS user."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from pathlib import Path

from gitops_gate.audit.event import Actor
from gitops_gate.git import git, text

# The variable naming who started the job, by CI system, in the order they are looked for.
_CI_ACTORS = (
    ("GITHUB_ACTIONS", "github", "GITHUB_ACTOR"),
    ("GITLAB_CI", "gitlab", "GITLAB_USER_LOGIN"),
    ("BUILDKITE", "buildkite", "BUILDKITE_BUILD_CREATOR"),
    ("JENKINS_URL", "jenkins", "BUILD_USER_ID"),
)


def current_actor(root: Path, env: Mapping[str, str] | None = None) -> Actor:
    """The actor of an event this run records: HEAD's author and committer in root's repo."""
    author, committer = head_people(root)
    return Actor(author=author, committer=committer, ci=ci_identity(env), user=_os_user())


def head_people(root: Path) -> tuple[str | None, str | None]:
    """HEAD's author and committer as `Name <email>`, (None, None) outside a repository."""
    done = git(root, "log", "-1", "--format=%an <%ae>%n%cn <%ce>", "HEAD", ok_codes=(0, 128))
    lines = text(done).splitlines()
    if done.returncode or len(lines) < 2:
        return None, None
    return lines[0], lines[1]


def head_revision(root: Path) -> str | None:
    done = git(root, "rev-parse", "--verify", "-q", "HEAD", ok_codes=(0, 1, 128))
    return text(done).strip() or None if done.returncode == 0 else None


def ci_identity(env: Mapping[str, str] | None = None) -> str | None:
    """`system:who` for a CI job (`github:octocat`), None outside CI."""
    env = os.environ if env is None else env
    for flag, system, who in _CI_ACTORS:
        if env.get(flag):
            return f"{system}:{env.get(who) or 'unknown'}"
    return "ci:unknown" if env.get("CI") else None


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's uid without a passwd entry
        return None
