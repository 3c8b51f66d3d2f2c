"""Where gitops-gate keeps what it can compute again: outside every work tree, shared by clones."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_root() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/gitops-gate` (the XDG spec says to ignore a relative value)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "gitops-gate"


def write_json(target: Path, payload: dict[str, Any]) -> None:
    """Write atomically (temp file + rename): an interrupted run leaves nothing half-written,
    and two runs filling the same cache never read half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, separators=(",", ":"))
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
