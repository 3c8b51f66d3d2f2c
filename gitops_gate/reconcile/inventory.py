"""The per-environment inventory in the cluster: a ConfigMap of object references and revisions.

It holds references, content hashes and the sync history, never an object's body (a Secret's
value must not land in a ConfigMap), and stays under the API's 1 MiB object cap.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from gitops_gate.reconcile.errors import PermanentError, ReconcileError
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.objects import ObjectRef

NAMESPACE = "gitops-gate"
CAP_BYTES = 1024 * 1024
KEEP_HISTORY = 50


@dataclass(slots=True)
class Inventory:
    """What the reconciler knows of one environment between runs."""

    env: str
    objects: dict[ObjectRef, str] = field(default_factory=dict)  # ref -> desired hash
    state: dict[str, Any] = field(default_factory=dict)  # status, revision, lastSync, ...
    history: list[dict[str, Any]] = field(default_factory=list)  # newest last
    approved: list[dict[str, Any]] = field(default_factory=list)
    resource_version: str | None = None
    key: bytes = b""  # keys the hashes of Secrets (objects.content_hash)
    key_saved: bool = True

    def last_healthy(self, before: str | None = None, *, other_than: str = "") -> str | None:
        """The newest revision that synced healthy (before the time before, ISO, when given),
        other than other_than (what is applied now, for a rollback)."""
        for entry in reversed(self.history):
            if entry.get("result") != "synced" or entry.get("revision") == other_than:
                continue
            if before is None or entry["time"] < before:
                return str(entry["revision"])
        return None

    def is_approved(self, revision: str) -> bool:
        return any(a.get("revision") == revision for a in self.approved)

    def record(self, entry: dict[str, Any]) -> None:
        self.history = [*self.history, entry][-KEEP_HISTORY:]


def name_of(env: str) -> str:
    return f"inventory-{env}"


def load(cluster: Cluster, env: str) -> Inventory:
    """The environment's inventory, empty when it has none yet."""
    ref = ObjectRef("v1", "ConfigMap", NAMESPACE, name_of(env))
    body = cluster.get(ref)
    inv = _load(body, env)
    inv.key, inv.key_saved = _key(cluster)
    return inv


def _load(body: dict[str, Any] | None, env: str) -> Inventory:
    if body is None:
        return Inventory(env)
    data = body.get("data") or {}
    objects = {ObjectRef.from_json(o[:4]): str(o[4]) for o in json.loads(data.get("objects", "[]"))}
    return Inventory(
        env,
        objects,
        json.loads(data.get("state", "{}")),
        json.loads(data.get("history", "[]")),
        json.loads(data.get("approved", "[]")),
        body["metadata"].get("resourceVersion"),
    )


def save(cluster: Cluster, inv: Inventory) -> None:
    """Write inv back; a compare-and-swap, so a writer that raced us fails instead of losing."""
    ensure_namespace(cluster)
    if not inv.key_saved:
        _save_key(cluster, inv.key)
        inv.key_saved = True
    body = _body(inv)
    while len(json.dumps(body)) > CAP_BYTES and len(inv.history) > 1:
        inv.history = inv.history[len(inv.history) // 2 :]
        body = _body(inv)
    if len(json.dumps(body)) > CAP_BYTES:
        raise PermanentError(
            f"the inventory of {inv.env} would pass 1 MiB ({len(inv.objects)} objects)",
            hint="split the environment",
        )
    if inv.resource_version is None:
        out = cluster.create(body)
    else:
        body["metadata"]["resourceVersion"] = inv.resource_version
        out = cluster.replace(body)
    inv.resource_version = out["metadata"]["resourceVersion"]


def _body(inv: Inventory) -> dict[str, Any]:
    objects = [[*ref.to_json(), digest] for ref, digest in sorted(inv.objects.items())]
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name_of(inv.env),
            "namespace": NAMESPACE,
            "labels": {"app.kubernetes.io/managed-by": "gitops-gate"},
        },
        "data": {
            "objects": json.dumps(objects, separators=(",", ":")),
            "state": json.dumps(inv.state, sort_keys=True),
            "history": json.dumps(inv.history, sort_keys=True),
            "approved": json.dumps(inv.approved, sort_keys=True),
        },
    }


def ensure_namespace(cluster: Cluster) -> None:
    if cluster.get(ObjectRef("v1", "Namespace", "", NAMESPACE)) is None:
        cluster.apply({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})


_KEY = ObjectRef("v1", "Secret", NAMESPACE, "inventory-key")


def _key(cluster: Cluster) -> tuple[bytes, bool]:
    """The key of every inventory's Secret hashes, and whether it is in the cluster yet."""
    body = cluster.get(_KEY)
    data = (body or {}).get("data") or {}
    if "key" in data:
        return base64.b64decode(data["key"]), True
    return secrets.token_bytes(32), False


def _save_key(cluster: Cluster, key: bytes) -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
            "metadata": {"name": _KEY.name, "namespace": NAMESPACE},
            "data": {"key": base64.b64encode(key).decode()}}  # fmt: skip
    try:
        cluster.create(body)
    except ReconcileError as e:
        if " 409 " not in e.message:  # another reconciler made it first: theirs is kept
            raise
