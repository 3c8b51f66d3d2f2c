"""What a secret engine is: something that finds raw hits in files, judged later (context.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True, slots=True)
class RawHit:
    """What an engine found: where, what kind, the hash of the value, and the value itself
    (kept for judging, never shown: no repr, no output)."""

    path: str
    line: int
    kind: str
    hashed: str
    value: str | None = field(default=None, repr=False, compare=False)


class Engine(Protocol):
    """A secret scanner: detect-secrets in process, or gitleaks as a subprocess."""

    name: str

    def scan(self, files: Sequence[tuple[Path, str]]) -> list[RawHit]:
        """Raw hits in files, each given as (path to read, name to report)."""
        ...


def hash_value(value: str) -> str:
    """detect-secrets' hash of a value (PotentialSecret.hash_secret), so one baseline serves
    both engines."""
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()
