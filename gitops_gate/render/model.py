"""What rendering produces: the objects of one environment at one ref, and what went wrong."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from gitops_gate.findings import Finding
from gitops_gate.keys import ResourceKey

if TYPE_CHECKING:
    from gitops_gate.gitrefs import Entry

# Why a root was not rendered at all (gitops_gate.render.confine): any of them fails the env.
REFUSALS = frozenset(
    {"remote-base", "path-outside-root", "symlink-escape", "render-plugin", "remote-chart",
     "file-too-large", "unreadable-kustomization"}
)  # fmt: skip


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
        return any(f.rule == "render-failed" or f.rule in REFUSALS for f in self.findings)


class Source(Protocol):
    """Where a target's root is filled from on demand (a commit's objects), not a checkout."""

    @property
    def complete(self) -> bool: ...

    @property
    def files(self) -> Mapping[str, Entry]:
        """Every file of the commit by path: its git mode and blob id."""
        ...

    def read(self, rels: Iterable[str]) -> dict[str, bytes]:
        """The committed bytes of rels (a symlink's are its target path)."""
        ...

    def ids(self, rels: Iterable[str]) -> list[str | None]:
        """Each file's git blob id (None: not in the commit), for cache keys without reading."""
        ...

    def write(self, rels: Iterable[str]) -> None: ...

    def write_all(self) -> None: ...

    def covers(self, rel_dir: str) -> bool:
        """True when every file under rel_dir is on disk."""
        ...
