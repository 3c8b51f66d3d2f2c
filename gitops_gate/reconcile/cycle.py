"""One reconcile cycle: source, gate, render, plan, permission, apply, prune, health, rollback."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from gitops_gate.audit.event import AuditEvent, AuditSink
from gitops_gate.reconcile import inventory
from gitops_gate.reconcile.apply import apply_all, entries, prune_all
from gitops_gate.reconcile.desired import desired_objects
from gitops_gate.reconcile.errors import PermanentError, ReconcileError
from gitops_gate.reconcile.health import to_check, wait_healthy
from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.lease import holding
from gitops_gate.reconcile.model import Request, Status, SyncResult, unhealthy_reason
from gitops_gate.reconcile.objects import ObjectRef, content_hash, record
from gitops_gate.reconcile.permission import blocked_reason, closed_reason
from gitops_gate.reconcile.plan import Plan, make_plan
from gitops_gate.reconcile.retry import with_retries
from gitops_gate.reconcile.source import Revision, checkout, prepare, resolve


def reconcile(request: Request, *, cluster: Cluster, audit: AuditSink) -> SyncResult:
    """Run one cycle for request.env at request.revision; every step leaves an audit event."""
    at = request.at or datetime.now(UTC)
    sha = resolve(request.root, request.revision)
    with checkout(request.root, sha) as tree:
        rev = prepare(tree, sha, request.env, at=at)
    return sync_revision(rev, request, cluster=cluster, audit=audit, at=at)


def sync_revision(
    rev: Revision, request: Request, *, cluster: Cluster, audit: AuditSink, at: datetime
) -> SyncResult:
    """The cycle from the plan on, for a revision already gated and rendered."""
    return _Cycle(request, cluster, audit, rev, at).run()


class _Cycle:
    def __init__(
        self, request: Request, cluster: Cluster, audit: AuditSink, rev: Revision, at: datetime
    ) -> None:
        self.req, self.cluster, self.sink, self.rev, self.at = request, cluster, audit, rev, at
        self.settings = rev.env.reconcile
        self.inv = with_retries(lambda: inventory.load(cluster, request.env))

    def audit(self, action: str, result: str, **fields: Any) -> None:
        self.sink(
            AuditEvent(
                action, result, actor=self.req.actor, environment=self.req.env,
                revision=self.rev.sha, time=datetime.now(UTC), **fields,
            )
        )  # fmt: skip

    def run(self) -> SyncResult:
        if self.rev.failed:
            first = self.rev.gate[0]
            why = f"the gate failed: {first.location}: {first.message}"
            self.audit("check", "failure", reason=why, details={"findings": len(self.rev.gate)})
            failed = SyncResult(self.req.env, self.rev.sha, Status.FAILED, why)
            return failed if self.req.plan_only else self.finish(failed)
        self.audit("check", "success")
        desired = with_retries(
            lambda: desired_objects(self.cluster, self.rev.objects, self.rev.ranks)
        )
        plan = with_retries(lambda: self.plan(desired))
        if self.req.plan_only:
            self.audit("reconcile.plan", "info", details=_counts(plan))
            return SyncResult(self.req.env, self.rev.sha, _plan_status(plan), plan=plan)
        return self.sync(plan)

    def plan(self, desired: dict[ObjectRef, dict[str, Any]]) -> Plan:
        return make_plan(
            self.cluster, desired, self.inv, env=self.req.env, revision=self.rev.sha,
            prune=self.settings.prune, diff=self.req.plan_only,
        )  # fmt: skip

    def sync(self, plan: Plan) -> SyncResult:
        result = SyncResult(self.req.env, self.rev.sha, Status.SYNCED, plan=plan)
        # What the dry runs showed unchanged, the next cycle can skip without one.
        self.inv.objects = {**self.inv.objects, **plan.kept_entries}
        state = self.inv.state
        same = state.get("revision") == self.rev.sha and state.get("lastResult") == "synced"
        same = same and not self.req.rollback
        if same and plan.in_sync:
            return self.finish(result, record=False)
        if same:  # what we applied before differs now: drift
            result.drifted = sorted(plan.change + plan.create)
            objects = tuple(str(r) for r in result.drifted)
            self.audit("reconcile.drift", "info", objects=objects)
            if not self.settings.self_heal:
                result.status, result.reason = Status.OUT_OF_SYNC, "drift (selfHeal is off)"
                return self.finish(result, record=False)
            # Healing is a sync like any other: not while the windows are closed.
            if self.req.override is None and (closed := closed_reason(self.rev)) is not None:
                result.status, result.reason = Status.OUT_OF_SYNC, f"drift not healed: {closed}"
                return self.finish(result, record=False)
        elif (blocked := self.blocked()) is not None:
            self.audit("reconcile.sync", "blocked", reason=blocked)
            result.status, result.reason = Status.OUT_OF_SYNC, blocked
            return self.finish(result, record=False)
        with holding(self.cluster, self.req.env, seconds=self.req.lease_seconds):
            result = self.apply(plan, result)
        last = self.inv.last_healthy()
        if result.status is Status.FAILED and self.settings.rollback_on_failure and last:
            return self.roll_back(result, last) if last != self.rev.sha else result
        return result

    def blocked(self) -> str | None:
        if self.req.rollback:
            return None
        reason = blocked_reason(self.rev, self.inv, override=self.req.override)
        if reason is None and self.req.override is not None:
            self.audit("window.override", "success", reason=self.req.override)
        return reason

    def apply(self, plan: Plan, result: SyncResult) -> SyncResult:
        key = self.inv.key
        pending = {ref: record(content_hash(body, key), "") for ref, body in plan.desired.items()}
        # Recorded before anything is applied: a run killed mid-apply leaves every object
        # it may have created in the inventory, so the next run can still prune it.
        self.inv.objects = {**self.inv.objects, **pending}
        self.inv.state = {**self.inv.state, "status": Status.SYNCING.value, "target": self.rev.sha}
        with_retries(lambda: inventory.save(self.cluster, self.inv))
        skip = set(plan.unchanged)
        try:
            applied = with_retries(
                lambda: apply_all(
                    self.cluster, plan.desired, skip, ranks=self.rev.ranks, ready=self.ready
                )
            )
            result.applied = list(applied)
            self.audit("reconcile.sync", "success", objects=_names(result.applied))
            result.pruned = with_retries(lambda: prune_all(self.cluster, plan.prune))
            if result.pruned:
                self.audit("reconcile.prune", "success", objects=_names(result.pruned))
        except ReconcileError as e:
            return self.failed(result, f"apply failed: {e.text()}")
        kept = {r: self.inv.objects[r] for r in plan.kept if r in self.inv.objects}
        done = entries(plan.desired, applied, self.inv.key)
        self.inv.objects = {**pending, **plan.kept_entries, **done, **kept}
        timeout = self.req.health_timeout or self.settings.health_timeout
        check = to_check(plan.desired, applied)
        result.unhealthy = wait_healthy(self.cluster, check, timeout)
        if result.unhealthy:
            return self.failed(result, unhealthy_reason(result.unhealthy))
        self.audit("reconcile.health", "success", details={"objects": len(plan.desired)})
        return self.finish(result)

    def ready(self, refs: list[ObjectRef], applied: dict[ObjectRef, dict[str, Any]]) -> None:
        """What a Flux dependsOn waits for: the earlier Kustomization's objects healthy."""
        timeout = self.req.health_timeout or self.settings.health_timeout
        bad = wait_healthy(self.cluster, to_check(refs, applied), timeout)
        if bad:
            raise PermanentError(f"a dependency is not ready: {unhealthy_reason(bad)}")

    def failed(self, result: SyncResult, why: str) -> SyncResult:
        self.audit("reconcile.sync", "failure", reason=why)
        result.status, result.reason = Status.FAILED, why
        return self.finish(result)

    def roll_back(self, result: SyncResult, last: str) -> SyncResult:
        """Re-apply last (the newest healthy revision) and report degraded with the reason."""
        back = dataclasses.replace(self.req, revision=last, rollback=True, plan_only=False)
        again = reconcile(back, cluster=self.cluster, audit=self.sink)
        self.audit("reconcile.rollback", again.status.value, reason=result.reason,
                   details={"to": last})  # fmt: skip
        again.status = Status.DEGRADED if again.status is Status.SYNCED else again.status
        again.reason = f"rolled back to {last[:12]}: {result.reason}"
        again.rolled_back_to = last
        return self.finish_state(again)

    def finish(self, result: SyncResult, *, record: bool = True) -> SyncResult:
        """Write the cycle's outcome to the inventory (and its history when it synced)."""
        if record:
            entry = {"revision": result.revision, "time": _now(), "result": result.status.value,
                     "reason": result.reason}  # fmt: skip
            self.inv.record(entry)
        return self.finish_state(result, applied=record)

    def finish_state(self, result: SyncResult, *, applied: bool = True) -> SyncResult:
        state = {**self.inv.state, "status": result.status.value, "reason": result.reason,
                 "drifted": [str(r) for r in result.drifted], "lastCheck": _now()}  # fmt: skip
        if applied:
            state |= {"revision": result.revision, "lastSync": _now(),
                      "lastResult": result.status.value}  # fmt: skip
        state.pop("target", None)
        self.inv.state = state
        if result.rolled_back_to is not None:
            self.inv = with_retries(lambda: inventory.load(self.cluster, self.req.env))
            self.inv.state = state
            self.inv.history[-1:] = [{**self.inv.history[-1], "result": "degraded"}]
        with_retries(lambda: inventory.save(self.cluster, self.inv))
        return result


def _names(refs: list[ObjectRef]) -> tuple[str, ...]:
    return tuple(str(r) for r in refs)


def _counts(plan: Plan) -> dict[str, int]:
    return {"create": len(plan.create), "change": len(plan.change),
            "unchanged": len(plan.unchanged), "prune": len(plan.prune)}  # fmt: skip


def _plan_status(plan: Plan) -> Status:
    return Status.SYNCED if plan.in_sync else Status.OUT_OF_SYNC


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


__all__ = ["Inventory", "reconcile"]
