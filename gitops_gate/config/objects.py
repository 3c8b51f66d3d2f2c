"""A quick read of a repo: every file listed, only kustomizations and GitOps objects parsed."""

from __future__ import annotations

import os
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.errors import ManifestError
from gitops_gate.manifests import classify
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.loader import LoadResult, load_text
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.manifests.walk import walk

# Kustomizations, Flux Kustomizations, ArtifactGenerators, Argo CD Applications and
# ApplicationSets; a file naming none of these API groups is listed (its bytes are hashed
# for the render cache) but never parsed, which makes a big repo cheap to read.
_MARKERS = ("kustomize.toolkit.fluxcd.io", "source.extensions.fluxcd.io", "argoproj.io")

# (path, mtime in ns, size) of every file listed and of every folder holding one: a file
# added, removed or renamed changes its folder's mtime, an edit the file's own.
Stamp = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Scanned:
    """A scan and the state of the files it read: discovery's, which the graph can reuse."""

    result: LoadResult
    stamp: Stamp | None  # None: a file went while listed, so never taken as unchanged

    def unchanged(self) -> bool:
        """True while every file and folder the scan listed is as it was (no walk needed)."""
        if self.stamp is None:
            return False
        return _stamp(self.result.root, [rel for rel, _, _ in self.stamp]) == self.stamp


def scan_objects(
    root: Path, exclude: Sequence[str], max_file_bytes: int, reuse: Scanned | None = None
) -> LoadResult:
    """All files under root (git-ignored and excluded ones left out), kustomizations and
    the GitOps objects parsed; what cannot be read is listed as an error, never raised.
    reuse: an earlier scan of root, returned as it is when no file changed since."""
    if reuse is not None and reuse.result.root == root.resolve() and reuse.unchanged():
        return reuse.result
    return scan_stamped(root, exclude, max_file_bytes, reuse).result


def scan_stamped(
    root: Path, exclude: Sequence[str], max_file_bytes: int, reuse: Scanned | None = None
) -> Scanned:
    # The graph links a kustomization to what it lists through its own edges (graph.build), so
    # the walk need not parse every kustomization again to follow them: a third of a hook's time.
    candidates, findings = walk(
        [root], root, exclude=exclude, gitignore=True, follow_references=False
    )
    stamp = _stamp(root.resolve(), _with_folders([c.rel for c in candidates]))
    if reuse is not None and reuse.result.root == root.resolve():
        if stamp is not None and reuse.stamp == stamp:
            return reuse
    result = LoadResult(root=root.resolve(), findings=findings)
    for c in candidates:
        if classify.skip_reason(c.rel, root) is not None:
            result.files.append(FileRecord(c.rel, FileKind.NOT_YAML))
            continue
        try:
            text = read_text(c.path, c.rel, max_bytes=max_file_bytes)
        except ManifestError:
            result.files.append(FileRecord(c.rel, FileKind.ERROR))
            continue
        add_text(result, c.rel, text)
    return Scanned(result, stamp)


def _with_folders(rels: list[str]) -> list[str]:
    """rels, then every folder holding one of them (the root too)."""
    held = {"."}
    for rel in rels:
        d = posixpath.dirname(rel)
        while d and d not in held:
            held.add(d)
            d = posixpath.dirname(d)
    return [*rels, *sorted(held)]


def _stamp(root: Path, rels: list[str]) -> Stamp | None:
    out = []
    base = str(root)
    for rel in rels:
        try:
            # Strings, not Paths: a hook stamps a thousand files several times.
            st = os.stat(f"{base}/{rel}")  # noqa: PTH116
        except OSError:
            return None
        out.append((rel, st.st_mtime_ns, st.st_size))
    return tuple(out)


def add_text(result: LoadResult, rel: str, text: str) -> None:
    """Parse rel's text into result when it holds what discovery and the graph follow, else
    only list it."""
    if classify.is_kustomization_file(rel) or any(m in text for m in _MARKERS):
        loaded = load_text(text, rel)
        loaded.findings = []  # the loader's own findings belong to `check`
        result.extend(loaded)
    else:
        result.files.append(FileRecord(rel, FileKind.OTHER_YAML))
