"""Where gitops-gate keeps what it can compute again: outside every work tree, shared by clones.

Every entry carries a SHA-256 of its content: one truncated or edited after it was written
(a full disk, a crash, a hostile step in CI) reads as a miss and is rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

_HEAD = b'{"sha256":"'
_MID = b'","payload":'
_START = len(_HEAD) + 64 + len(_MID)


def cache_root() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/gitops-gate` (the XDG spec says to ignore a relative value)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "gitops-gate"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def seal(payload: Any) -> bytes:
    """payload as JSON inside `{"sha256": <hex of the payload's bytes>, "payload": ...}`."""
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return _HEAD + sha256(raw).encode() + _MID + raw + b"}"


def unseal(data: bytes) -> Any:
    """The payload of seal()'s bytes, or None when they are not exactly what seal() wrote."""
    if not (data.startswith(_HEAD) and data[_START - len(_MID) : _START] == _MID):
        return None
    raw = data[_START:-1]
    if not data.endswith(b"}") or sha256(raw).encode() != data[len(_HEAD) : len(_HEAD) + 64]:
        return None
    try:
        return json.loads(raw)
    except ValueError:  # hashed as written, yet not JSON: not ours either
        return None


def write_bytes(target: Path, data: bytes) -> None:
    """Write atomically (temp file + rename): an interrupted run leaves nothing half-written,
    and two runs filling the same cache never read half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(target: Path, payload: Any) -> None:
    """Write payload sealed with its checksum (read it back with read_json), atomically."""
    write_bytes(target, seal(payload))


def read_json(target: Path) -> Any:
    """What write_json wrote to target; None when it is missing, unreadable or not intact."""
    try:
        return unseal(target.read_bytes())
    except OSError:
        return None


def stamp(path: str | Path) -> list[int] | None:
    """What changes whenever a file's bytes do, as git's index uses it; None if it is gone.

    Nobody but the kernel sets ctime: a file edited and its mtime put back still differs.
    """
    try:
        # A str path skips pathlib's parsing, most of checking a folder of 863 schemas.
        st = os.stat(path)  # noqa: PTH116
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class ResultCache:
    """A JSON map from content hash to result, one file per settings fingerprint.

    Read once at the start, written once at the end (atomically): a run never sees half a
    cache, and a cache that cannot be read or fails its checksum is treated as empty, never
    as an error.
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
        data = read_json(self.path)
        return data if isinstance(data, dict) else {}
