"""Git refs without touching the user's work tree: ref checks, changed files, worktrees."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_gate.errors import EnvironmentProblem, UsageError

if TYPE_CHECKING:
    import git


@contextmanager
def _clean_git_env() -> Iterator[None]:
    """Hide inherited GIT_* variables (a hook's GIT_DIR, GIT_INDEX_FILE) from GitPython's git."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("GIT_")}
    for k in saved:
        del os.environ[k]
    try:
        yield
    finally:
        os.environ.update(saved)


def open_repo(root: Path) -> git.Repo:
    import git

    try:
        with _clean_git_env():
            return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as e:
        raise UsageError(f"{root} is not inside a git repository", hint="run it in a clone") from e


def resolve(repo: git.Repo, ref: str) -> str:
    """The commit sha ref names; a ref that does not exist is a usage error (exit 2)."""
    import git

    try:
        with _clean_git_env():
            return str(repo.rev_parse(f"{ref}^{{commit}}").hexsha)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError) as e:
        raise UsageError(f"ref {ref!r} does not exist", hint="fetch it or check the name") from e


def changed_files(repo: git.Repo, base: str, head: str) -> list[str]:
    """Files added, modified, deleted or renamed between two commits (both names of a rename)."""
    with _clean_git_env():
        diffs = repo.commit(base).diff(repo.commit(head))
    out: set[str] = set()
    for d in diffs:
        out.update(p for p in (d.a_path, d.b_path) if p)
    return sorted(out)


@contextmanager
def worktree(repo: git.Repo, sha: str) -> Iterator[Path]:
    """A detached checkout of sha in a temp folder, removed afterwards whatever happens."""
    import git

    tmp = Path(tempfile.mkdtemp(prefix="gitops-gate-wt-"))
    path = tmp / sha[:12]
    try:
        with _clean_git_env():
            # No hooks: a post-checkout hook in the user's repo must not run for our checkout.
            repo.git.execute(
                ["git", "-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach",
                 "--quiet", str(path), sha]
            )  # fmt: skip
        yield path
    except git.GitCommandError as e:
        raise EnvironmentProblem(f"git worktree add failed: {str(e.stderr).strip()}") from e
    finally:
        with _clean_git_env():
            try:
                repo.git.worktree("remove", "--force", str(path))
            except git.GitCommandError:
                repo.git.worktree("prune")
        shutil.rmtree(tmp, ignore_errors=True)
