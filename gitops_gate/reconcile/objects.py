"""Object references, apply order and content hashes: what the inventory stores of an object."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

PRUNE_ANNOTATION = "gitops-gate.io/prune"
SYNC_WAVE = "argocd.argoproj.io/sync-wave"
CRD = ("apiextensions.k8s.io", "CustomResourceDefinition")


@dataclass(frozen=True, slots=True, order=True)
class ObjectRef:
    """What names one object in the cluster, with the version it was applied at."""

    api_version: str
    kind: str
    namespace: str  # "" for a cluster-scoped object
    name: str

    @classmethod
    def of(cls, body: dict[str, Any]) -> ObjectRef:
        meta = body.get("metadata") or {}
        return cls(
            str(body.get("apiVersion", "")),
            str(body.get("kind", "")),
            str(meta.get("namespace") or ""),
            str(meta.get("name", "")),
        )

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """What stays the same when the object moves to another API version."""
        return (self.group, self.kind, self.namespace, self.name)

    def __str__(self) -> str:
        kind = f"{self.kind}.{self.group}" if self.group else self.kind
        return f"{kind} {self.namespace}/{self.name}" if self.namespace else f"{kind} {self.name}"

    def to_json(self) -> list[str]:
        return [self.api_version, self.kind, self.namespace, self.name]

    @classmethod
    def from_json(cls, data: list[str]) -> ObjectRef:
        api_version, kind, namespace, name = (str(x) for x in data)
        return cls(api_version, kind, namespace, name)


def annotations_of(body: dict[str, Any]) -> dict[str, str]:
    meta = body.get("metadata") or {}
    found = meta.get("annotations") or {}
    return found if isinstance(found, dict) else {}


def prune_disabled(body: dict[str, Any]) -> bool:
    """True when the object asks never to be deleted by a prune."""
    return annotations_of(body).get(PRUNE_ANNOTATION, "").lower() == "disabled"


def wave(body: dict[str, Any]) -> int:
    """The Argo CD sync wave (0 without one, or with one that is not a number)."""
    try:
        return int(annotations_of(body).get(SYNC_WAVE, "0"))
    except ValueError:
        return 0


def phase(body: dict[str, Any], namespaced: bool) -> int:
    """Where an object goes in the apply order: CRDs, Namespaces, cluster-scoped, namespaced."""
    ref = ObjectRef.of(body)
    if (ref.group, ref.kind) == CRD:
        return 0
    if ref.kind == "Namespace" and ref.group == "":
        return 1
    return 3 if namespaced else 2


def content_hash(body: dict[str, Any], key: bytes = b"") -> str:
    """A stable hash of what we ask for: unchanged desired state skips the dry run.

    A Secret's is keyed (HMAC with key, the inventory's own key kept in a Secret): a plain
    hash in a ConfigMap would let anyone who can read it try guesses at a weak value.
    """
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()
    if key and body.get("kind") == "Secret" and body.get("apiVersion") == "v1":
        return hmac.new(key, text, hashlib.sha256).hexdigest()[:32]
    return hashlib.sha256(text).hexdigest()[:32]


def fingerprint(live: dict[str, Any], manager: str) -> str:
    """A hash of the object's identity and the fields manager owns by apply.

    When anyone else changes a field we applied, ownership of it moves to them, so this
    changes: an unchanged fingerprint and desired hash mean nothing to dry-run.
    """
    meta = live.get("metadata") or {}
    ours = [
        (m.get("apiVersion"), m.get("fieldsV1"))
        for m in meta.get("managedFields") or []
        if m.get("manager") == manager and m.get("operation") == "Apply"
    ]
    return content_hash({"uid": meta.get("uid"), "fields": ours})


def record(desired_hash: str, print_: str) -> str:
    """An inventory entry: what we asked for and what we left, as one string."""
    return f"{desired_hash}:{print_}"


def desired_part(entry: str) -> str:
    return entry.partition(":")[0]
