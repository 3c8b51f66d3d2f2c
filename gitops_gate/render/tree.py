"""A rendered root's files as committed (a commit's objects or a folder), read before kustomize.

The screen reads here rather than through the loader: size limits, .gitignore, node_modules
and `exclude:` decide what gets checked, never what kustomize may open. Paths are resolved
one component at a time with symlinks followed inside the tree, so `..` and links are judged
by where they really lead.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from gitops_gate.gitrefs import SUBMODULE, SYMLINK, Entry
from gitops_gate.render.model import Source

# Linux gives up after 40 links in one lookup; a cycle in the tree is refused the same way.
_MAX_LINKS = 40


class RawTree(Protocol):
    """What is at a path of the tree: "file", "dir", "link" or None; and a file's bytes."""

    def kind(self, rel: str) -> str | None: ...

    def size(self, rel: str) -> int: ...

    def read(self, rel: str) -> bytes:
        """A file's bytes, or a link's target path."""
        ...

    def under(self, rel: str) -> list[str]:
        """Every file and link below the folder rel (not following links)."""
        ...


class Escape(Exception):
    """A path leads out of the tree; carries which link (if any) took it out."""

    def __init__(self, link: str | None) -> None:
        super().__init__(link or "..")
        self.link = link


def resolve(tree: RawTree, rel: str) -> str:
    """rel (posix, relative to the tree's top) with `..` and links resolved, or raise Escape."""
    parts, out, hops, via = rel.split("/"), list[str](), 0, None
    if rel.startswith("/"):
        raise Escape(None)
    while parts:
        part = parts.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            if not out:
                raise Escape(via)
            out.pop()
            continue
        here = "/".join([*out, part])
        if tree.kind(here) != "link":
            out.append(part)
            continue
        hops, via = hops + 1, here
        target = os.fsdecode(tree.read(here))
        if hops > _MAX_LINKS or target.startswith("/"):
            raise Escape(here)
        parts = [*target.split("/"), *parts]  # relative to the link's own folder: `out`
    return "/".join(out) or "."


class SnapshotTree:
    """A commit's files (a Snapshot), read from its objects: nothing needs to be on disk."""

    def __init__(self, snap: Source) -> None:
        self.files: Mapping[str, Entry] = snap.files
        self.snap = snap
        self.dirs = {"."}
        for rel in self.files:
            d = rel.rpartition("/")[0]
            while d and d not in self.dirs:
                self.dirs.add(d)
                d = d.rpartition("/")[0]

    def kind(self, rel: str) -> str | None:
        e = self.files.get(rel)
        if e is None:
            return "dir" if rel in self.dirs else None
        return {SYMLINK: "link", SUBMODULE: "dir"}.get(e.mode, "file")

    def size(self, rel: str) -> int:
        return len(self.read(rel))

    def read(self, rel: str) -> bytes:
        return self.snap.read([rel]).get(rel, b"")

    def under(self, rel: str) -> list[str]:
        prefix = "" if rel == "." else rel + "/"
        files = self.files.items()
        return sorted(r for r, e in files if r.startswith(prefix) and e.mode != SUBMODULE)


class DiskTree:
    """A folder on disk (a checkout), read with lstat so a link is seen as a link."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._base = str(root)
        # A screen resolves every path one component at a time: the same few folders are
        # looked up for each of a big repo's kustomizations. The tree does not change while
        # it is read (one render or one check).
        self._kinds: dict[str, str | None] = {}

    def kind(self, rel: str) -> str | None:
        if rel not in self._kinds:
            self._kinds[rel] = self._kind(rel)
        return self._kinds[rel]

    def _kind(self, rel: str) -> str | None:
        # A string, not a Path, for what resolve() makes (a screen of 2,000 manifests looks
        # up ten thousand); pathlib's reading of a leading or trailing slash for the rest.
        odd = rel.startswith("/") or rel.endswith("/")
        path = self.root / rel if odd else f"{self._base}/{rel}"
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return None
        if stat.S_ISLNK(mode):
            return "link"
        return "dir" if stat.S_ISDIR(mode) else "file"

    def size(self, rel: str) -> int:
        return (self.root / rel).lstat().st_size

    def read(self, rel: str) -> bytes:
        path = self.root / rel
        return os.fsencode(path.readlink()) if path.is_symlink() else path.read_bytes()

    def under(self, rel: str) -> list[str]:
        out = []
        for top, dirs, files in os.walk(self.root / rel):
            dirs[:] = [d for d in dirs if d != ".git"]  # a checkout's git folder is not its tree
            base = Path(top).relative_to(self.root).as_posix()
            links = [d for d in dirs if Path(top, d).is_symlink()]
            for name in sorted(files + links):
                out.append(name if base == "." else f"{base}/{name}")
        return out
