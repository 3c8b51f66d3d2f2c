"""What rendering produces: the objects of one environment at one ref, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gitops_gate.findings import Finding
from gitops_gate.manifests.model import ResourceKey


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
