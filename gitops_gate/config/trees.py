"""What a folder deploys, read from the repo's kustomizations the way Flux and Argo CD build it."""

from __future__ import annotations

import bisect
import posixpath
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from gitops_gate.manifests.kustomization import refs
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import Document, FileKind, FileRecord
from gitops_gate.manifests.walk import walk


@dataclass(frozen=True, slots=True)
class Tree:
    """The files a path deploys, and the folders and files that hold them (for containment)."""

    files: frozenset[str]
    roots: tuple[str, ...]  # folders (and single files) under which everything deployed lies


@dataclass(slots=True)
class Repo:
    """The listing of a scanned repo, with its kustomizations by folder."""

    files: list[str]  # sorted
    kustomizations: dict[str, Document]
    folders: set[str] = field(default_factory=set)
    file_set: frozenset[str] = frozenset()

    @classmethod
    def of(cls, scanned: LoadResult) -> Repo:
        kdirs = {posixpath.dirname(k.path) or ".": k for k in scanned.kustomizations}
        return cls.from_files({f.path for f in scanned.files}, kdirs)

    @classmethod
    def from_files(cls, listed: Iterable[str], kdirs: dict[str, Document] | None = None) -> Repo:
        files = sorted(listed)
        folders = {"."}
        for f in files:
            d = posixpath.dirname(f)
            while d and d not in folders:
                folders.add(d)
                d = posixpath.dirname(d)
        return cls(files, kdirs or {}, folders, frozenset(files))

    def under(self, folder: str) -> list[str]:
        """Every file below folder, at any depth."""
        if folder == ".":
            return list(self.files)
        prefix = folder + "/"
        start = bisect.bisect_left(self.files, prefix)
        end = bisect.bisect_left(self.files, prefix + "\U0010ffff")
        return self.files[start:end]

    @classmethod
    def listed(cls, root: Path, exclude: Sequence[str]) -> Repo:
        """The files under root, none of them read: what ApplicationSet git generators match."""
        candidates, _ = walk([root], root, exclude=exclude, follow_references=False)
        return cls.of(
            LoadResult(root, files=[FileRecord(c.rel, FileKind.OTHER_YAML) for c in candidates])
        )

    def is_chart(self, folder: str) -> bool:
        """A Helm chart's folder: Argo CD renders every template under it."""
        return f"{folder}/Chart.yaml" in self.file_set

    def deploys(self, path: str, *, recurse: bool = True) -> Tree:
        """What building path deploys: a kustomization's entries, followed; a plain folder's
        manifests (recurse: at any depth, taking a sub-folder with a kustomization as one, as
        Flux does; else only its own files, as Argo CD does by default); a file, itself."""
        path = PurePosixPath(path).as_posix()
        files: set[str] = set()
        roots: set[str] = set()
        todo, seen = [path], set()
        while todo:
            rel = todo.pop()
            if rel in seen:
                continue
            seen.add(rel)
            if rel in self.kustomizations:
                roots.add(rel)
                todo += self._entries(rel, files)
            elif rel in self.folders:
                roots.add(rel)
                todo += self._plain(rel, files, recurse)
            elif rel in self.file_set:
                files.add(rel)
                roots.add(rel)
        return Tree(frozenset(files), _collapse(roots))

    def _entries(self, folder: str, files: set[str]) -> list[str]:
        doc = self.kustomizations[folder]
        files.add(doc.path)
        out = []
        for ref in refs(doc.path, doc.body):
            if not ref.remote:
                out.append(ref.target)
        return out

    def _plain(self, folder: str, files: set[str], recurse: bool) -> list[str]:
        nested: list[str] = []
        found = self.under(folder)
        i = 0
        while i < len(found):
            f = found[i]
            d = posixpath.dirname(f) or "."
            top = self._kustomized_parent(folder, d) if recurse and d != folder else None
            if top is not None:
                nested.append(top)
                # Files are sorted: skip the rest of that folder ("0" sorts right after "/").
                i = bisect.bisect_left(found, top + "0", i)
                continue
            if d == folder or recurse:
                files.add(f)
            i += 1
        return nested

    def _kustomized_parent(self, folder: str, d: str) -> str | None:
        """The outermost folder between folder and d (d included) with a kustomization."""
        prefix = "" if folder == "." else folder + "/"
        parts = d[len(prefix) :].split("/")
        for i in range(1, len(parts) + 1):
            candidate = prefix + "/".join(parts[:i])
            if candidate in self.kustomizations:
                return candidate
        return None


def _collapse(paths: set[str]) -> tuple[str, ...]:
    """paths without those lying under another one."""
    out: list[str] = []
    for p in sorted(paths, key=lambda s: (s.count("/"), s)):
        if "." in out:
            break
        if not any(p == o or p.startswith(o + "/") for o in out):
            out.append(p)
    return tuple(sorted(out))
