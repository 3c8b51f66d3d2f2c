"""Converted CRD schemas by content hash: a warm run neither parses nor converts known CRDs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import ResultCache, cache_root, read_json, stamp, write_json
from gitops_gate.manifests.loader import load
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.cache import body_digest
from gitops_gate.validate.crd import CrdSchema, is_crd, schemas_of

# Bump when conversion or the entry format changes (3: sealed entries, 4: RE2 patterns respelled),
# so entries written by older code are never read nor fought over by an older gitops-gate
# sharing the cache.
_LAYOUT = "4"
_MAX_STAMPS = 2000


def from_resources(resources: Sequence[Resource], *, strict: bool) -> list[CrdSchema]:
    """The schemas of the CRDs among already loaded resources (conversion ~0.1s a CRD)."""

    out: list[CrdSchema] = []
    for crd in (r for r in resources if is_crd(r)):
        key = _key(body_digest(crd.body).encode(), strict)
        cached = _read(key)
        if cached is None:
            cached = _converted([crd], strict, key)
        out += cached
    return out


def from_files(files: Sequence[Path], root: Path, *, strict: bool) -> list[CrdSchema]:
    """The schemas of the CRDs in files, read from the cache when a file's bytes are known."""

    # A file's content key by its stat, as git's index does: a folder of CRDs that has not
    # changed is neither read nor hashed (10 Flux CRDs: 2 MB, ~2 ms of a 30 ms run).
    stamps = ResultCache(f"crd-stamps-{_LAYOUT}")
    out: list[CrdSchema] = []
    for path in files:
        stamp = _stamp(path, strict)
        key = stamps.get(stamp) if stamp else None
        cached = _read(key) if isinstance(key, str) else None
        if cached is not None:
            out += cached
            continue
        try:
            key = _key(path.read_bytes(), strict)
        except OSError:
            key = None
        if key is not None and stamp:
            stamps.put(stamp, key)
        cached = _read(key) if key else None
        if cached is None:
            loaded = [r for r in load([path], root=root).resources if is_crd(r)]
            cached = _converted(loaded, strict, key)
        out += cached
    if len(stamps.entries) > _MAX_STAMPS:  # moved and deleted files: start again from this run
        stamps.keep({s for s in (_stamp(p, strict) for p in files) if s})
    stamps.save()
    return out


def _stamp(path: Path, strict: bool) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    parts = (path.absolute(), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, strict)
    return "|".join(str(p) for p in parts)


def _converted(crds: list[Resource], strict: bool, key: str | None) -> list[CrdSchema]:
    made = [s for crd in crds for s in schemas_of(crd, strict=strict)]
    for s in made:
        if s.schema is not None:
            s.digest = digest_of(s.schema)
    # A broken CRD is not cached: its finding needs the file and line, which only a load has.
    if key is not None and all(s.problem is None and s.schema is not None for s in made):
        rows = [[s.group, s.version, s.kind, s.digest, s.schema] for s in made]
        try:
            write_json(_folder() / f"{key}.json", {"schemas": rows})
            # Names and digests apart: they alone decide the schema folder, which is usually
            # written already (reading 10 Flux CRDs' schemas cost 10 ms of a 40 ms run). The
            # schemas file's stamp says, without reading it, that it is still what was sealed.
            names = {"schemas": [r[:4] for r in rows], "stamp": stamp(_folder() / f"{key}.json")}
            write_json(_folder() / f"{key}.names.json", names)
        except OSError:
            pass  # a read-only or full cache only costs speed
    return made


def schema_of(crd: CrdSchema) -> dict[str, Any] | None:
    """crd's schema, read from the CRD cache if only its name was; None if it has none."""
    if crd.schema is not None or crd.cache_key is None:
        return crd.schema
    raw = read_json(_folder() / f"{crd.cache_key}.json")
    try:
        for g, v, k, _, schema in raw["schemas"]:
            if (g, v, k) == (crd.group, crd.version, crd.kind) and isinstance(schema, dict):
                return schema
    except (KeyError, TypeError, ValueError):
        pass
    return None


def digest_of(schema: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()[:16]


def _read(key: str) -> list[CrdSchema] | None:
    """The cached names of key's schemas, if its schemas file is intact too; else a miss."""
    raw = read_json(_folder() / f"{key}.names.json")
    try:
        if raw["stamp"] is None or raw["stamp"] != stamp(_folder() / f"{key}.json"):
            # Touched since it was sealed: read it whole, and trust it only if its seal holds.
            if read_json(_folder() / f"{key}.json") is None:
                return None
            raw["stamp"] = stamp(_folder() / f"{key}.json")
            write_json(_folder() / f"{key}.names.json", raw)
        return [
            CrdSchema(str(g), str(v), str(k), None, None, digest=str(d), cache_key=key)
            for g, v, k, d in raw["schemas"]
        ]
    except (KeyError, TypeError, ValueError, OSError):
        return None


def _key(content: bytes, strict: bool) -> str:
    tag = f"{_LAYOUT}-{'strict' if strict else 'lax'}-".encode()
    return hashlib.sha256(tag + content).hexdigest()


def _folder() -> Path:
    return cache_root() / "crds"
