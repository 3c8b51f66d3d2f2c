"""Test helpers: write a file tree from a dict, and make real git repositories."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import git

_ISOLATED = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


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
    os.environ.update(_ISOLATED)
    repo = git.Repo.init(root, initial_branch="main")
    write_tree(root, files)
    repo.index.add([str(root / rel) for rel in files])
    repo.index.commit(message)
    return repo


def commit(repo: git.Repo, files: Mapping[str, str | bytes], message: str) -> str:
    """Write files into repo's work tree, commit them, return the new commit's sha."""
    root = Path(str(repo.working_tree_dir))
    write_tree(root, files)
    repo.index.add([str(root / rel) for rel in files])
    return str(repo.index.commit(message).hexsha)
