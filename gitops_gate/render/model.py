"""What rendering produces: the objects of one environment at one ref, and what went wrong."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from gitops_gate.findings import Finding
from gitops_gate.keys import ResourceKey


@dataclass(slots=True)
class RenderedEnv:
    """One environment's objects by (group, kind, namespace, name)."""

    name: str
    objects: dict[ResourceKey, dict[str, Any]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    key: str = ""
    cached: bool = False

    @property
    def failed(self) -> bool:
        return any(f.rule in ("render-failed", "remote-base") for f in self.findings)


class Source(Protocol):
    """Where a target's root is filled from on demand (a commit's objects), not a checkout."""

    @property
    def complete(self) -> bool: ...

    def ids(self, rels: Iterable[str]) -> list[str | None]:
        """Each file's git blob id (None: not in the commit), for cache keys without reading."""
        ...

    def write(self, rels: Iterable[str]) -> None: ...

    def write_all(self) -> None: ...

    def covers(self, rel_dir: str) -> bool:
        """True when every file under rel_dir is on disk."""
        ...
