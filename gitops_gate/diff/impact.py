"""How risky a change is (high, medium, low) and which images it moves."""

from __future__ import annotations

import enum
from typing import Any

from gitops_gate.keys import ResourceKey

_DELETE_HIGH = frozenset(
    {
        "Namespace",
        "CustomResourceDefinition",
        "PersistentVolumeClaim",
        "StatefulSet",
        "PersistentVolume",
    }
)
_RBAC = frozenset({"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"})
_METADATA_ONLY = ("labels", "annotations")


class Impact(enum.IntEnum):
    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name.lower()


def impact_of(
    key: ResourceKey, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[Impact, str]:
    """The impact of one object's change and the reason shown for it."""
    if after is None:
        if key.kind in _DELETE_HIGH:
            return Impact.HIGH, f"deletes {key.kind}"
        return Impact.MEDIUM, "deletes an object"
    if key.kind in _RBAC:
        return Impact.HIGH, "changes RBAC"
    if before is None:
        return Impact.MEDIUM, "adds an object"
    if images(before) != images(after):
        return Impact.MEDIUM, "changes images"
    for path, what in ((("spec", "replicas"), "replicas"), (("spec", "template"), "pod spec")):
        if _get(before, path) != _get(after, path):
            return Impact.MEDIUM, f"changes {what}"
    if _strip_meta(before) == _strip_meta(after):
        return Impact.LOW, "changes labels or annotations"
    return Impact.MEDIUM, "changes configuration"


def _get(body: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = body
    for p in path:
        node = node.get(p) if isinstance(node, dict) else None
    return node


def _strip_meta(body: dict[str, Any]) -> dict[str, Any]:
    meta = dict(body.get("metadata") or {})
    for k in _METADATA_ONLY:
        meta.pop(k, None)
    return {**body, "metadata": meta}


def images(body: dict[str, Any] | None) -> dict[str, str]:
    """container name -> image for every container and init container in body."""
    out: dict[str, str] = {}
    spec = _pod_spec(body)
    for field in ("initContainers", "containers", "ephemeralContainers"):
        containers = spec.get(field)
        for c in containers if isinstance(containers, list) else []:
            if isinstance(c, dict) and c.get("image"):
                out[str(c.get("name") or field)] = str(c["image"])
    return out


def _pod_spec(body: dict[str, Any] | None) -> dict[str, Any]:
    if not isinstance(body, dict):
        return {}
    spec: dict[str, Any] = body["spec"] if isinstance(body.get("spec"), dict) else {}
    for path in (("template", "spec"), ("jobTemplate", "spec", "template", "spec")):
        node: Any = spec
        for p in path:
            node = node.get(p) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return node
    return spec if body.get("kind") == "Pod" else {}


def image_changes(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, str, str]]:
    """(container, old image, new image) for containers whose image differs ('' when absent)."""
    old, new = images(before), images(after)
    return [
        (name, old.get(name, ""), new.get(name, ""))
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]
