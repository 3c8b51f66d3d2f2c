"""What a hook checks: the paths and config for a set of changed files, staged or pushed."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate import gitrefs
from gitops_gate.errors import UsageError
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

    @property
    def paths(self) -> list[Path]:
        return [self.root / p if p != "." else self.root for p in self.selection.paths]

    @property
    def config(self) -> Path | None:
        config = self.root / ".gitops-gate.yaml"
        return config if config.is_file() else None


def plan(check: str, root: Path, changed: Sequence[str]) -> Plan:
    """The plan for files changed under root (repo-relative or absolute paths)."""
    from gitops_gate.config import load_config

    if check not in CHECKS:
        raise UsageError(f"unknown check {check!r}", hint=f"use one of: {', '.join(CHECKS)}")
    config = load_config(root)
    rels = [_relative(root, c) for c in changed]
    return Plan(check, root, select(root, rels, config, expand=_EXPANDS[check]), tuple(rels))


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
    repo = gitrefs.Repo(root)
    base = gitrefs.push_base(repo, remote, ref.local_sha, ref.remote_sha)
    if base is None:
        return sorted(gitrefs.tree_files(repo, ref.local_sha))
    return gitrefs.changed_files(repo, base, ref.local_sha)


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(f"{path} is outside the repository {root}") from None
