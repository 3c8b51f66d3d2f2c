"""The graph's load from a commit's tree objects: the same records scan() makes, no checkout."""

from __future__ import annotations

import codecs
import posixpath
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from gitops_gate.config import Config
from gitops_gate.gitrefs import SUBMODULE, SYMLINK
from gitops_gate.graph.scan import add_text
from gitops_gate.manifests import classify
from gitops_gate.manifests.loader import LoadResult
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.manifests.walk import ALWAYS_SKIPPED_DIRS, Ignores

if TYPE_CHECKING:
    from gitops_gate.gitrefs import Snapshot

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def scan_tree(snap: Snapshot, config: Config) -> LoadResult:
    """What scan() finds in a checkout of snap, read from blobs: only YAML files are read."""
    # The skeleton on disk holds every .gitignore and Chart.yaml, which is all the walk's
    # ignore rules and the Helm-template test look at.
    ignores = Ignores(snap.root, config.exclude, gitignore=True)
    listed = _listed(snap, ignores)
    yaml_files = [r for r in listed if classify.skip_reason(r, snap.root) is None]
    data = snap.read({listed[r] for r in yaml_files})
    result = LoadResult(root=snap.root.resolve())
    wanted = set(yaml_files)
    for rel, source in listed.items():
        if rel not in wanted:
            result.files.append(FileRecord(rel, FileKind.NOT_YAML))
            continue
        text = _decode(data[source], config.max_file_bytes)
        if text is None:
            result.files.append(FileRecord(rel, FileKind.ERROR))
        else:
            add_text(result, rel, text)
    return result


def _listed(snap: Snapshot, ignores: Ignores) -> dict[str, str]:
    """The files the walk would yield (by path), each with the path whose bytes it has."""

    pruned: dict[str, bool] = {}

    def dir_pruned(d: str) -> bool:
        if d not in pruned:
            parent = posixpath.dirname(d)
            name = posixpath.basename(d)
            pruned[d] = (
                (bool(parent) and dir_pruned(parent))
                or name in ALWAYS_SKIPPED_DIRS
                or ignores.ignored(d, is_dir=True)
            )
        return pruned[d]

    out: dict[str, str] = {}
    for rel in sorted(snap.files):
        entry = snap.files[rel]
        parent = posixpath.dirname(rel)
        if entry.mode == SUBMODULE or (parent and dir_pruned(parent)):
            continue
        if ignores.ignored(rel, is_dir=False):
            continue
        source: str | None = rel
        if entry.mode == SYMLINK:
            source = _link_target(snap, rel)
        if source is not None:
            out[rel] = source
    return out


def _link_target(snap: Snapshot, rel: str, hops: int = 8) -> str | None:
    """The regular file inside the tree a symlink ends at, or None (outside, a folder, a loop)."""

    for _ in range(hops):
        text = snap.read([rel])[rel].decode(errors="replace")
        if PurePosixPath(text).is_absolute():
            return None
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(rel), text))
        if rel.startswith("../") or rel == ".." or rel not in snap.files:
            return None
        if snap.files[rel].mode != SYMLINK:
            return rel
    return None


def _decode(data: bytes, max_bytes: int) -> str | None:
    """data as text the way manifests.decode reads a file, or None where it would refuse it."""
    if len(data) > max_bytes:
        return None
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text
