"""The pull request's commits in the local clone: its head checked out, its merge base."""

from __future__ import annotations

from pathlib import Path

from gitops_gate import gitrefs
from gitops_gate.errors import ToolError, UsageError
from gitops_gate.github.pulls import PullInfo

FETCH_HINT = "check out the pull request with its history (actions/checkout with fetch-depth: 0)"


def merge_base(root: Path, pull: PullInfo) -> tuple[str, str]:
    """(merge base of the PR's base and HEAD, root's folder in the repository).

    HEAD is the PR's head, or GitHub's merge commit of it (refs/pull/N/merge): either way the
    change is what HEAD adds to the merge base, as GitHub's own diff shows it.
    """
    repo = gitrefs.open_repo(root)
    head = gitrefs.resolve(repo, "HEAD")
    parents = repo.git("rev-parse", "HEAD^@").decode().split()
    if pull.head_sha not in (head, *parents):
        raise UsageError(
            f"HEAD is {head[:12]}, not pull request #{pull.number}'s head {pull.head_sha[:12]}",
            hint="check out the pull request's head (actions/checkout with ref: "
            "github.event.pull_request.head.sha)",
        )
    try:
        base = repo.git("merge-base", pull.base_sha, "HEAD").decode().strip()
    except ToolError:
        raise UsageError(
            f"the pull request's base {pull.base_sha[:12]} is not in this clone",
            hint=FETCH_HINT,
        ) from None
    top, here = repo.top.resolve(), root.resolve()
    return base, "" if here == top else here.relative_to(top).as_posix()
