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
