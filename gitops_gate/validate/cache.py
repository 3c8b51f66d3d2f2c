"""Content hashes that key the result caches (cachedir.ResultCache)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def digest(payload: bytes | str) -> str:
    data = payload.encode() if isinstance(payload, str) else payload
    return hashlib.sha256(data).hexdigest()


def body_digest(body: Any) -> str:
    """A document's identity for caching: its canonical JSON, so formatting does not matter."""
    return digest(json.dumps(body, sort_keys=True, separators=(",", ":"), default=str))
