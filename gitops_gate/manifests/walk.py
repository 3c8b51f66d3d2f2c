"""Finds the files to check: inside the repo root only, honouring .gitignore and config excludes."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests import kustomization, referenced

ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A regular file inside the root, by absolute and repo-relative (posix) path.

    referenced_by is the kustomization entry (file, line) that deploys it, when the walk
    would have skipped it: the loader then reads it as a manifest whatever its name.
    """

    path: Path
    rel: str
    referenced_by: tuple[str, int] | None = None


if TYPE_CHECKING:
    import pathspec


def _spec(lines: Sequence[str]) -> pathspec.GitIgnoreSpec:
    # Imported on first use: a repo without .gitignore files or exclude patterns never needs
    # it, and pathspec with its backends is ~10 ms of a hook's start.
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


class Ignores:
    """The .gitignore files met on the way down, each matched relative to its own directory."""

    def __init__(self, root: Path, exclude: Sequence[str], gitignore: bool) -> None:
        self.root = root
        self.gitignore = gitignore
        self.exclude = _spec(exclude) if exclude else None
        self.specs: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def _dir_spec(self, rel_dir: str) -> pathspec.GitIgnoreSpec | None:
        if rel_dir not in self.specs:
            file = self.root / rel_dir / ".gitignore"
            lines = file.read_text(errors="replace").splitlines() if file.is_file() else []
            self.specs[rel_dir] = _spec(lines) if lines else None
        return self.specs[rel_dir]

    def ignored(self, rel: str, is_dir: bool) -> bool:
        probe = rel + "/" if is_dir else rel
        if self.exclude is not None and self.exclude.match_file(probe):
            return True
        if not self.gitignore:
            return False
        parts = rel.split("/")
        for depth in range(len(parts)):
            rel_dir = "/".join(parts[:depth])
            spec = self._dir_spec(rel_dir)
            if spec is not None and spec.match_file(probe[len(rel_dir) + 1 if rel_dir else 0 :]):
                return True
        return False


def walk(
    paths: Sequence[Path],
    root: Path,
    *,
    exclude: Sequence[str] = (),
    gitignore: bool = True,
    follow_references: bool = True,
) -> tuple[list[Candidate], list[Finding]]:
    """Files under paths (files named explicitly are taken even if git ignores them), and
    with follow_references what the kustomizations under the folders among paths deploy."""
    root = root.resolve()
    ignores = Ignores(root, exclude, gitignore)
    found: dict[str, Candidate] = {}
    findings: list[Finding] = []
    for given in paths:
        for item in _expand(given, root, ignores, findings):
            found.setdefault(item.rel, item)
    scopes = _folders(paths, root) if follow_references else []
    if scopes and any(kustomization.is_kustomization_file(rel) for rel in found):
        findings += referenced.follow(found, root, scopes)
    return [found[k] for k in sorted(found)], findings


def _folders(paths: Sequence[Path], root: Path) -> list[str]:
    """The repo-relative folders among paths (files named one by one are not scopes)."""
    rels = (inside(p.resolve(), root) for p in paths if p.is_dir())
    return [r for r in rels if r is not None]


def _expand(
    given: Path, root: Path, ignores: Ignores, findings: list[Finding]
) -> Iterator[Candidate]:
    absolute = Path(os.path.abspath(given))  # noqa: PTH100 - resolve() would follow the link
    # Resolve the directories but not the last part, so a link named directly is still seen.
    absolute = absolute if absolute == root else absolute.parent.resolve() / absolute.name
    rel = inside(absolute, root)
    if rel is None:
        findings.append(_escape(str(given), "is outside the repository root " + str(root)))
        return
    if absolute.is_symlink():
        candidate = _follow_link(absolute, rel, root, findings)
        if candidate is not None and candidate.path.is_file():
            yield candidate
        return
    if absolute.is_file():
        if ignores.exclude is None or not ignores.exclude.match_file(rel):
            yield Candidate(absolute, rel)
        return
    if not absolute.is_dir():
        findings.append(_escape(str(given), "does not exist", rule="path-not-found"))
        return
    yield from _walk_dir(absolute, root, ignores, findings)


def _walk_dir(
    top: Path, root: Path, ignores: Ignores, findings: list[Finding]
) -> Iterator[Candidate]:
    """What os.walk(top) would list, in its order, from one scandir per folder: DirEntry
    knows a link and a folder without the extra lstat per file os.walk plus is_symlink cost."""
    stack = [top]
    while stack:
        here = stack.pop()
        rel_dir = here.relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        try:
            entries = _entries(here)
        except OSError:
            continue  # as os.walk: a folder that cannot be listed is passed over
        keep = []
        for name, entry in sorted((e.name, e) for e in entries if _is_dir(e)):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if name in ALWAYS_SKIPPED_DIRS or ignores.ignored(rel, is_dir=True):
                continue
            if entry.is_symlink():
                # A link inside the repo is walked through its target; one leaving it is refused.
                _follow_link(here / name, rel, root, findings)
                continue
            keep.append(here / name)
        stack.extend(reversed(keep))
        for name, entry in sorted((e.name, e) for e in entries if not _is_dir(e)):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if ignores.ignored(rel, is_dir=False):
                continue
            path = here / name
            if entry.is_symlink():
                candidate = _follow_link(path, rel, root, findings)
                if candidate is not None and candidate.path.is_file():
                    yield candidate
            else:
                yield Candidate(path, rel)


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as it:
        return list(it)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """os.walk's test: a folder, or a link to one."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def resolve_link(path: Path) -> Path | None:
    """path with its links followed; None for a link loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # a loop: RuntimeError before Python 3.13, OSError since
        return None


def _follow_link(link: Path, rel: str, root: Path, findings: list[Finding]) -> Candidate | None:
    target = resolve_link(link)
    if target is None:
        loop = "is a symlink loop (following it never reaches a file)"
        findings.append(_escape(rel, loop, rule="symlink-loop"))
        return None
    if inside(target, root) is None:
        findings.append(
            _escape(rel, "is a symlink that points outside the repository", rule="symlink-escape")
        )
        return None
    return Candidate(target, rel)


def inside(path: Path, root: Path) -> str | None:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _escape(path: str, what: str, *, rule: str = "path-outside-root") -> Finding:
    return Finding(
        rule=rule,
        severity=Severity.ERROR,
        message=f"{path} {what}; it was not read",
        check="load",
        path=path,
    )
