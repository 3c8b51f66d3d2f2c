"""The git questions hooks ask: the top level, staged files, files a push changes, hooks folder."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from gitops_gate._run import run

ZERO_SHA = "0" * 40
_TIMEOUT = 30.0


def git(repo: Path, *args: str) -> str:
    return run(["git", "-C", str(repo), *args], timeout=_TIMEOUT, env=_index_env()).stdout


def _index_env() -> dict[str, str]:
    """Keep the index git hands a hook: `git commit -a` or `git commit PATHS` stage into a
    temporary index named by GIT_INDEX_FILE, which the runner would otherwise strip."""
    index = os.environ.get("GIT_INDEX_FILE")
    return {"GIT_INDEX_FILE": str(Path(index).resolve())} if index else {}


def toplevel(path: Path) -> Path:
    return Path(git(path, "rev-parse", "--show-toplevel").strip())


def hooks_dir(repo: Path) -> Path:
    """Where git looks for hooks (honours core.hooksPath and worktrees)."""
    out = git(repo, "rev-parse", "--path-format=absolute", "--git-path", "hooks").strip()
    return Path(out)


def staged_files(repo: Path) -> list[str]:
    """Files the next commit adds, changes, renames or deletes (repo-relative)."""
    return _names(git(repo, "diff", "--cached", "--name-only", "-z", "--no-renames"))


def unstaged_files(repo: Path) -> set[str]:
    return set(_names(git(repo, "diff", "--name-only", "-z")))


def changed_between(repo: Path, base: str, head: str) -> list[str]:
    return _names(git(repo, "diff", "--name-only", "-z", "--no-renames", base, head))


def all_files(repo: Path, commit: str) -> list[str]:
    return _names(git(repo, "ls-tree", "-r", "-z", "--name-only", commit))


def push_base(repo: Path, remote: str, local_sha: str, remote_sha: str) -> str | None:
    """The commit a pushed ref is compared with: the remote's tip, else where it forked.

    None when the pushed history shares nothing with the remote (its first push).
    """
    if remote_sha != ZERO_SHA and _exists(repo, remote_sha):
        return remote_sha
    new = git(repo, "rev-list", "--reverse", local_sha, "--not", f"--remotes={remote}").split()
    if not new:
        return local_sha  # every pushed commit is already on the remote
    parent = run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{new[0]}^"],
        timeout=_TIMEOUT,
        ok_codes=(0, 1),
    )
    return parent.stdout.strip() or None


def _exists(repo: Path, sha: str) -> bool:
    done = run(
        ["git", "-C", str(repo), "cat-file", "-e", f"{sha}^{{commit}}"],
        timeout=_TIMEOUT,
        ok_codes=(0, 1, 128),
    )
    return done.returncode == 0


def _names(out: str) -> list[str]:
    return [name for name in out.split("\0") if name]


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
