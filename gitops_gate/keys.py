"""The identity of a Kubernetes object, below every layer that names one (findings, manifests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, order=True)
class ResourceKey:
    """The identity Kubernetes uses for an object: (group, kind, namespace, name)."""

    group: str
    kind: str
    namespace: str | None
    name: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> ResourceKey:
        api_version = str(body.get("apiVersion") or "")
        group = api_version.rpartition("/")[0] if "/" in api_version else ""
        meta = body.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        name = meta.get("name") or meta.get("generateName") or ""
        namespace = meta.get("namespace")
        return cls(
            group, str(body.get("kind") or ""), str(namespace) if namespace else None, str(name)
        )

    def __str__(self) -> str:
        kind = f"{self.kind}.{self.group}" if self.group else self.kind
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{kind} {where}{self.name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "kind": self.kind,
            "namespace": self.namespace,
            "name": self.name,
        }
