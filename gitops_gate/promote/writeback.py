"""A promotion's change as a commit on a new branch, made in a private checkout of the base.

The user's work tree is never touched: edits are made and gated in a temporary worktree of
the base commit, committed there on the new branch, and the worktree is removed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gitops_gate import api, gitrefs
from gitops_gate.checks import DEFAULT_CHECKS
from gitops_gate.errors import EnvironmentProblem, GateError, ToolError, UsageError
from gitops_gate.git import git
from gitops_gate.report.json import counts

# Sync windows decide when a merged change is applied (the PR check and the reconciler hold
# it); a pull request may be opened on any day.
GATE_CHECKS = tuple(c for c in DEFAULT_CHECKS if c != "windows")


class GateRefused(GateError):
    """The change would fail `check`: nothing is written."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class Checkout:
    """The base commit checked out privately: where the repo's top and our root stand in it."""

    repo: gitrefs.Repo
    base: str
    top: Path  # the worktree
    root: Path  # the folder the user named, inside the worktree

    def rel_top(self, rel_root: str) -> str:
        """A root-relative path as the repository's top sees it."""
        return (self.root / rel_root).relative_to(self.top).as_posix()


@contextmanager
def checkout(root: Path, base: str | None) -> Iterator[Checkout]:
    repo = gitrefs.open_repo(root)
    sha = gitrefs.resolve(repo, base or "HEAD")
    sub = root.resolve().relative_to(repo.top.resolve())
    with gitrefs.worktree(repo, sha) as wt:
        yield Checkout(repo, sha, wt, wt / sub)


def gate(co: Checkout, changed: Sequence[str]) -> None:
    """GateRefused when the edited tree fails `check` (windows aside) on what changed."""
    result = api.check([co.root], root=co.root, checks=GATE_CHECKS, changed=list(changed))
    if result.failed:
        shown = counts(result.findings)
        first = next(f for f in result.findings if f.severity >= result.config.fail_level)
        # A tool's message names files by their path in our private worktree: show the repo's.
        said = f"{first.location}: {first.message}".replace(f"{co.top}/", "")
        raise GateRefused(
            f"the change would fail the gate ({shown['error']} errors): first {said}"
            f" [{first.rule}]",
            hint="run `gitops-gate check` on the result, fix it, and try again",
        )


def patch(co: Checkout) -> str:
    return git(co.top, "diff", "--no-color", "--no-ext-diff").stdout.decode("utf-8", "replace")


def commit(co: Checkout, files: Sequence[str], branch: str, message: str) -> str:
    """Commit files (root-relative) on a new branch; the new commit's sha."""
    if _exists(co.repo, f"refs/heads/{branch}"):
        raise UsageError(f"branch {branch!r} already exists", hint="delete it or pass --branch")
    try:
        git(co.top, "switch", "--quiet", "-c", branch)
        git(co.top, "add", "--all", "--", *(co.rel_top(f) for f in files))
        git(co.top, "commit", "--quiet", "--no-verify", f"--author={author(co.repo)}",
            "-m", message)  # fmt: skip
    except ToolError as e:
        raise EnvironmentProblem(f"git could not commit: {e.stderr.strip()[-200:]}") from e
    return git(co.top, "rev-parse", "HEAD").stdout.decode().strip()


def push(repo: gitrefs.Repo, remote: str, branch: str) -> None:
    """Push branch with git's own credentials (helper, SSH agent): nothing of them is shown."""
    try:
        git(repo.top, "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}")
    except ToolError as e:
        raise EnvironmentProblem(
            f"git push to {remote!r} failed (exit {e.returncode})",
            hint="check the remote and that your credentials may push branches",
        ) from e


def author(repo: gitrefs.Repo) -> str:
    """Who asked for the change: the user's git identity, else the tool's."""
    name, email = (_config(repo, f"user.{k}") for k in ("name", "email"))
    if name and email:
        return f"{name} <{email}>"
    user = os.environ.get("USER") or "gitops-gate"
    return f"{user} <{user}@localhost>"


def _config(repo: gitrefs.Repo, key: str) -> str:
    return git(repo.top, "config", "--get", key, ok_codes=(0, 1)).stdout.decode().strip()


def _exists(repo: gitrefs.Repo, ref: str) -> bool:
    done = git(repo.top, "rev-parse", "--verify", "--quiet", ref, ok_codes=(0, 1))
    return done.returncode == 0
