"""Results by content hash, kept outside the work tree so an unchanged document is not redone."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import cache_root, write_json


def digest(payload: bytes | str) -> str:
    data = payload.encode() if isinstance(payload, str) else payload
    return hashlib.sha256(data).hexdigest()


def body_digest(body: Any) -> str:
    """A document's identity for caching: its canonical JSON, so formatting does not matter."""
    return digest(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str))


class ResultCache:
    """A JSON map from content hash to result, one file per settings fingerprint.

    Read once at the start, written once at the end (atomically): a run never sees half a
    cache, and a cache that cannot be read is treated as empty, never as an error.
    """

    def __init__(self, namespace: str, *, enabled: bool = True, root: Path | None = None) -> None:
        self.enabled = enabled
        self.path = (root or cache_root() / "results") / f"{namespace}.json"
        self.entries: dict[str, Any] = self._read() if enabled else {}
        self.hits = 0
        self._dirty = False

    def get(self, key: str) -> Any:
        value = self.entries.get(key)
        if value is not None:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.enabled:
            self.entries[key] = value
            self._dirty = True

    def keep(self, keys: set[str]) -> None:
        """Drop every entry but those under keys."""
        self.entries = {k: v for k, v in self.entries.items() if k in keys}
        self._dirty = self.enabled

    def save(self) -> None:
        if not (self.enabled and self._dirty):
            return
        try:
            write_json(self.path, self.entries)
        except OSError:
            pass  # a read-only or full cache only costs speed

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}
