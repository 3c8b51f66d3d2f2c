"""The plan: what applying the desired objects would create, change, leave alone and prune.

Each object is dry-run through server-side apply and the result compared with the live object,
not with the rendered YAML: defaults the API fills in and Secrets' encoding then compare equal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from gitops_gate.diff.compare import EnvDiff, ObjectChange, compare
from gitops_gate.keys import ResourceKey
from gitops_gate.reconcile.errors import PermanentError
from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.kube import FIELD_MANAGER, Cluster
from gitops_gate.reconcile.objects import (
    ObjectRef,
    content_hash,
    desired_part,
    fingerprint,
    prune_disabled,
    record,
)


@dataclass(slots=True)
class Plan:
    """The objects of one environment sorted by what a sync would do to them."""

    env: str
    revision: str
    desired: dict[ObjectRef, dict[str, Any]]
    create: list[ObjectRef] = field(default_factory=list)
    change: list[ObjectRef] = field(default_factory=list)
    unchanged: list[ObjectRef] = field(default_factory=list)
    prune: list[ObjectRef] = field(default_factory=list)
    kept: list[ObjectRef] = field(default_factory=list)  # no longer wanted, prune disabled
    changes: list[ObjectChange] = field(default_factory=list)
    # What the inventory should say of objects left alone (ref -> inventory entry).
    kept_entries: dict[ObjectRef, str] = field(default_factory=dict)

    @property
    def in_sync(self) -> bool:
        return not (self.create or self.change or self.prune)

    def env_diff(self) -> EnvDiff:
        """The plan in the diff's own shape, so it prints as `gitops-gate diff` does."""
        out = EnvDiff(self.env, "cluster", self.revision)
        out.changes = self.changes
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "environment": self.env,
            "revision": self.revision,
            "create": [str(r) for r in self.create],
            "change": [str(r) for r in self.change],
            "unchanged": len(self.unchanged),
            "prune": [str(r) for r in self.prune],
            "kept": [str(r) for r in self.kept],
            "changes": [c.to_json() for c in self.changes],
        }


def make_plan(
    cluster: Cluster,
    desired: dict[ObjectRef, dict[str, Any]],
    inv: Inventory,
    *,
    env: str,
    revision: str,
    prune: bool,
) -> Plan:
    """Dry-run every desired object and compare it with what the cluster holds."""
    plan = Plan(env, revision, desired)
    before: dict[ResourceKey, dict[str, Any]] = {}
    after: dict[ResourceKey, dict[str, Any]] = {}
    plan.kept_entries = unchanged_since_last_apply(cluster, desired, inv)
    for ref, body in desired.items():
        if ref in plan.kept_entries:
            plan.unchanged.append(ref)
            continue
        live, dry = _live_and_dry(cluster, ref, body)
        key = ResourceKey.of(body)
        after[key] = dry
        if live is None:
            plan.create.append(ref)
            continue
        before[key] = live
        if _sort(plan, ref, live, dry):
            entry = record(content_hash(body), _ours(live))
            plan.kept_entries[ref] = entry
    _prunable(plan, cluster, inv, before, prune=prune)
    plan.changes = compare(before, after)
    return plan


def _live_and_dry(
    cluster: Cluster, ref: ObjectRef, body: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The live object (None: there is none) and what a server-side apply would make of it.

    An object whose kind or namespace the same sync creates cannot be dry-run yet: it is new,
    and the rendered body stands for it.
    """
    try:
        live = cluster.get(ref)
    except PermanentError:
        return None, body  # a kind the cluster does not serve yet
    try:
        return live, cluster.apply(body, dry_run=True)
    except PermanentError:
        if live is None:
            return None, body
        raise


def _sort(plan: Plan, ref: ObjectRef, live: dict[str, Any], dry: dict[str, Any]) -> bool:
    """File ref under change or unchanged; True when unchanged."""
    if compare({ResourceKey.of(live): live}, {ResourceKey.of(dry): dry}):
        plan.change.append(ref)
        return False
    plan.unchanged.append(ref)
    return True


def unchanged_since_last_apply(
    cluster: Cluster, desired: dict[ObjectRef, dict[str, Any]], inv: Inventory
) -> dict[ObjectRef, str]:
    """Objects whose desired state is what we last applied and whose fields we own nobody
    has touched since: one LIST per kind and namespace shows it, with no dry run."""
    candidates: dict[tuple[str, str, str], list[ObjectRef]] = defaultdict(list)
    for ref, body in desired.items():
        entry = inv.objects.get(ref)
        if entry is not None and desired_part(entry) == content_hash(body):
            candidates[(ref.api_version, ref.kind, ref.namespace)].append(ref)
    same: dict[ObjectRef, str] = {}
    for (api_version, kind, namespace), refs in candidates.items():
        try:
            listed = cluster.list(api_version, kind, namespace)
        except PermanentError:
            continue  # its kind is not served (yet): the slow path says what to do
        # List items may lack apiVersion and kind: within one kind, a name says which.
        live = {(o["metadata"].get("namespace") or "", o["metadata"]["name"]): o for o in listed}
        for ref in refs:
            obj, entry = live.get((ref.namespace, ref.name)), inv.objects[ref]
            if obj is not None and record(desired_part(entry), _ours(obj)) == entry:
                same[ref] = entry
    return same


def _prunable(
    plan: Plan,
    cluster: Cluster,
    inv: Inventory,
    before: dict[ResourceKey, dict[str, Any]],
    *,
    prune: bool,
) -> None:
    """Objects the inventory says we applied that the revision no longer wants."""
    wanted = {ref.identity for ref in plan.desired}
    for ref in sorted(inv.objects):
        if ref.identity in wanted:
            continue
        try:
            live = cluster.get(ref)
        except PermanentError:
            live = None  # its kind is gone (its CRD was pruned): so is the object
        if live is None:
            continue
        if not prune or prune_disabled(live):
            plan.kept.append(ref)
            continue
        plan.prune.append(ref)
        before[ResourceKey.of(live)] = live


def _ours(live: dict[str, Any]) -> str:
    return fingerprint(live, FIELD_MANAGER)
