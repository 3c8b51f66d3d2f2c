"""What a hook checks: the paths and config for a set of changed files, staged or pushed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate import gitrefs
from gitops_gate.config import load_config
from gitops_gate.errors import UsageError
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.hooks.affected import Selection, select

CHECKS = ("validate", "policy", "secrets", "check")
# Secrets live in the bytes of the changed files themselves: no environment to expand.
_EXPANDS = {"validate": True, "policy": True, "secrets": False, "check": True}


@dataclass(frozen=True, slots=True)
class Plan:
    """One check to run over one selection, from one root."""

    check: str
    root: Path
    selection: Selection
    # The staged or pushed files themselves: for `check`, the change (sync windows judge the
    # environments it reaches; secrets are looked for in its files, not the whole of them).
    changed: tuple[str, ...] = ()
    # The commit the change is made on (HEAD for staged files, the remote's tip for a push):
    # the config, waivers, baseline, policies and sync windows are read from it. None when
    # there is none (a first commit, a first push): the work tree's are used.
    base: str | None = None
    # The repo's graph as the selection read it: the check takes it over when its own config
    # makes the same graph (api.check), rather than reading the repo again.
    graph: SharedGraph | None = None

    @property
    def paths(self) -> list[Path]:
        return [self.root / p if p != "." else self.root for p in self.selection.paths]

    @property
    def config(self) -> Path | None:
        config = self.root / ".gitops-gate.yaml"
        return config if config.is_file() else None


def plan(check: str, root: Path, changed: Sequence[str], base: str | None = None) -> Plan:
    """The plan for files changed under root (repo-relative or absolute paths) on base."""

    if check not in CHECKS:
        raise UsageError(f"unknown check {check!r}", hint=f"use one of: {', '.join(CHECKS)}")
    config = load_config(root)
    rels = [_relative(root, c) for c in changed]
    graph = SharedGraph(config)
    selection = select(root, rels, config, expand=_EXPANDS[check], graph=graph)
    return Plan(check, root, selection, tuple(rels), base, graph)


def head_commit(root: Path) -> str | None:
    """The commit staged files are committed on: HEAD, or None before the first commit or
    outside a repository."""
    try:
        repo = gitrefs.open_repo(root)
        return gitrefs.resolve(repo, "HEAD")
    except UsageError:
        return None


def staged(root: Path) -> list[str]:
    """Staged files; warns when the working tree holds unstaged edits of them."""
    repo = gitrefs.Repo(root)
    files = gitrefs.staged_files(repo)
    dirty = sorted(set(files) & gitrefs.unstaged_files(repo))
    if dirty:
        print(
            "gitops-gate: checking the working-tree version of files with unstaged changes: "
            + ", ".join(dirty[:5])
            + (" ..." if len(dirty) > 5 else ""),
            file=sys.stderr,
        )
    return files


@dataclass(frozen=True, slots=True)
class PushedRef:
    """One ref of a `git push`, as git hands it to the pre-push hook on stdin."""

    local_ref: str
    local_sha: str
    remote_ref: str
    remote_sha: str


def parse_push_lines(text: str) -> list[PushedRef]:
    refs = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[1] != gitrefs.ZERO_SHA:  # a deleted ref needs no check
            refs.append(PushedRef(*parts))
    return refs


def pushed_files(root: Path, remote: str, ref: PushedRef) -> list[str]:
    """Every file the pushed commits change, compared with the remote branch."""
    return pushed_change(root, remote, ref)[1]


def pushed_change(root: Path, remote: str, ref: PushedRef) -> tuple[str | None, list[str]]:
    """The commit a push is compared with (None on a first push) and every file it changes."""
    repo = gitrefs.Repo(root)
    base = gitrefs.push_base(repo, remote, ref.local_sha, ref.remote_sha)
    if base is None:
        return None, sorted(gitrefs.tree_files(repo, ref.local_sha))
    return base, gitrefs.changed_files(repo, base, ref.local_sha)


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path} is outside the repository {root}") from None
