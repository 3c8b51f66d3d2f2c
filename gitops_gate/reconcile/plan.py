"""The plan: what applying the desired objects would create, change, leave alone and prune.

Each object is dry-run through server-side apply and the result compared with the live object,
not with the rendered YAML: defaults the API fills in and Secrets' encoding then compare equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gitops_gate.diff.compare import EnvDiff, ObjectChange, compare
from gitops_gate.keys import ResourceKey
from gitops_gate.reconcile.errors import PermanentError
from gitops_gate.reconcile.fanout import parallel
from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.kube import FIELD_MANAGER, Cluster
from gitops_gate.reconcile.objects import (
    ObjectRef,
    content_hash,
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
    diff: bool = True,
) -> Plan:
    """Sort every desired object by what a sync would do to it.

    One LIST per kind and namespace says what exists. An object that does not is created
    (no dry run: the API would only default it); one whose desired hash and owned fields are
    what we last left is unchanged (no dry run either); the rest are dry-run and compared.
    With diff off, the per-object diffs a person reads (plan.changes) are not made.
    """
    plan = Plan(env, revision, desired)
    live = live_objects(cluster, desired)
    before: dict[ResourceKey, dict[str, Any]] = {}
    after: dict[ResourceKey, dict[str, Any]] = {}
    dry_run = []
    for ref, body in desired.items():
        found, entry = live.get(ref), inv.objects.get(ref)
        if found is None:
            plan.create.append(ref)
            after[ResourceKey.of(body)] = body
        elif entry is not None and entry == record(content_hash(body, inv.key), _ours(found)):
            plan.unchanged.append(ref)
            plan.kept_entries[ref] = entry
        else:
            dry_run.append(ref)
    dries = parallel(lambda ref: cluster.apply(desired[ref], dry_run=True), dry_run)
    for ref, dry in zip(dry_run, dries, strict=True):
        before[ResourceKey.of(live[ref])], after[ResourceKey.of(dry)] = live[ref], dry
        if _sort(plan, ref, live[ref], dry):
            plan.kept_entries[ref] = record(content_hash(desired[ref], inv.key), _ours(live[ref]))
    _prunable(plan, cluster, inv, before, prune=prune)
    if diff:
        plan.changes = compare(before, after)
    return plan


def _sort(plan: Plan, ref: ObjectRef, live: dict[str, Any], dry: dict[str, Any]) -> bool:
    """File ref under change or unchanged; True when unchanged."""
    if compare({ResourceKey.of(live): live}, {ResourceKey.of(dry): dry}):
        plan.change.append(ref)
        return False
    plan.unchanged.append(ref)
    return True


def live_objects(cluster: Cluster, refs: Iterable[ObjectRef]) -> dict[ObjectRef, dict[str, Any]]:
    """The live object of each of refs that exists, by one LIST per kind and namespace."""
    groups: dict[tuple[str, str, str], list[ObjectRef]] = defaultdict(list)
    for ref in refs:
        groups[(ref.api_version, ref.kind, ref.namespace)].append(ref)

    def listed(group: tuple[str, str, str]) -> dict[tuple[str, str], dict[str, Any]]:
        api_version, kind, namespace = group
        try:
            found = cluster.list(api_version, kind, namespace)
        except PermanentError:
            return {}  # its kind is not served yet: the sync creates its CRD first
        # List items may lack apiVersion and kind: within one kind, a name says which.
        for o in found:
            o.setdefault("apiVersion", api_version)
            o.setdefault("kind", kind)
        return {(o["metadata"].get("namespace") or "", o["metadata"]["name"]): o for o in found}

    keys = list(groups)
    out = {}
    for group, found in zip(keys, parallel(listed, keys), strict=True):
        for ref in groups[group]:
            if (obj := found.get((ref.namespace, ref.name))) is not None:
                out[ref] = obj
    return out


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
