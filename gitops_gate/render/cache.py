"""Rendered output keyed by a hash of everything that can change it, in memory and on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gitops_gate.cachedir import cache_root, read_json, write_json
from gitops_gate.findings import Finding, Severity
from gitops_gate.keys import ResourceKey
from gitops_gate.render.model import RenderedEnv


def cache_dir() -> Path:
    return cache_root() / "render"


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob, so a file on disk and in a commit hash alike."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def file_ids(root: Path, files: list[str]) -> list[str | None]:
    """blob_id of each file under root, None for one that cannot be read."""
    out: list[str | None] = []
    for rel in files:
        try:
            out.append(blob_id((root / rel).read_bytes()))
        except OSError:
            out.append(None)
    return out


def input_key(files: list[str], ids: list[str | None], *parts: str) -> str:
    """A hash of the files' names and blob ids, and of parts (tool, settings, env)."""
    h = hashlib.sha256(b"blob-ids\0")
    for p in parts:
        h.update(p.encode() + b"\0")
    for rel, blob in zip(files, ids, strict=True):
        h.update(rel.encode() + b"\0" + (blob or "<missing>").encode() + b"\0")
    return h.hexdigest()


class RenderCache:
    """A folder of `<key>.json` files, each sealed with its checksum (cachedir.write_json).

    A missing, truncated or edited entry is a miss, rendered again and rewritten, never an error.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or cache_dir()

    def get(self, key: str, name: str) -> RenderedEnv | None:
        data = read_json(self.folder / f"{key}.json")
        try:
            objects = {ResourceKey.of(b): b for b in data["objects"]}
            findings = [_finding(f) for f in data["findings"]]
        except (AttributeError, KeyError, TypeError, ValueError):
            return None
        return RenderedEnv(name, objects, findings, key, cached=True)

    def put(self, rendered: RenderedEnv) -> None:
        payload = {
            "objects": list(rendered.objects.values()),
            "findings": [f.to_json() for f in rendered.findings],
        }
        try:
            write_json(self.folder / f"{rendered.key}.json", payload)
        except OSError:
            return  # a cache that cannot be written only costs time


def _finding(data: dict[str, object]) -> Finding:
    return Finding(
        str(data["rule"]),
        Severity.parse(str(data["severity"])),
        str(data["message"]),
        str(data["check"]),
        data["path"] if isinstance(data.get("path"), str) else None,  # type: ignore[arg-type]
        data["line"] if isinstance(data.get("line"), int) else None,  # type: ignore[arg-type]
    )
