"""Test helpers: write a file tree from a dict, and make real git repositories."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import git

# Named on every commit, so a commit does not depend on who runs the tests (the session's
# isolated git config, tests/helpers/isolation.py, pins the same for git run as a command).
TESTER = git.Actor("Test", "test@example.com")


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write files (repo-relative path -> text or bytes) under root and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def make_repo(root: Path, files: Mapping[str, str | bytes], message: str = "initial") -> git.Repo:
    """A real git repository at root with files committed on branch main."""
    repo = git.Repo.init(root, initial_branch="main")
    write_tree(root, files)
    repo.index.add([str(root / rel) for rel in files])
    repo.index.commit(message, author=TESTER, committer=TESTER)
    return repo


def commit(repo: git.Repo, files: Mapping[str, str | bytes], message: str) -> str:
    """Write files into repo's work tree, commit them, return the new commit's sha."""
    root = Path(str(repo.working_tree_dir))
    write_tree(root, files)
    repo.index.add([str(root / rel) for rel in files])
    return str(repo.index.commit(message, author=TESTER, committer=TESTER).hexsha)
