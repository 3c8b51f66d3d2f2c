"""Where gitops-gate keeps what it can compute again: outside every work tree, shared by clones."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """`${XDG_CACHE_HOME:-~/.cache}/gitops-gate` (the XDG spec says to ignore a relative value)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "gitops-gate"
