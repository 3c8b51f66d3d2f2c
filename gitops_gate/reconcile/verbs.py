"""The reconciler's other verbs as library calls: status, history, approve and rollback."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gitops_gate.audit.event import Actor, AuditEvent, AuditSink
from gitops_gate.config import load_config
from gitops_gate.errors import UsageError
from gitops_gate.reconcile import inventory
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import SCHEMA_VERSION, Request, SyncResult
from gitops_gate.reconcile.source import resolve


def status(cluster: Cluster, env: str) -> dict[str, Any]:
    """What `status --env` shows: the state the last cycle left, as `argocd app get` does."""
    inv = inventory.load(cluster, env)
    state = inv.state
    return {
        "schemaVersion": SCHEMA_VERSION,
        "environment": env,
        "status": state.get("status", "unknown"),
        "revision": state.get("revision"),
        "lastSync": state.get("lastSync"),
        "lastResult": state.get("lastResult"),
        "reason": state.get("reason", ""),
        "drifted": list(state.get("drifted", [])),
        "objects": len(inv.objects),
        "approved": [a["revision"] for a in inv.approved],
    }


def history(cluster: Cluster, env: str) -> list[dict[str, Any]]:
    """Past syncs, newest first."""
    return list(reversed(inventory.load(cluster, env).history))


def approve(
    *,
    root: Path,
    cluster: Cluster,
    env: str,
    revision: str,
    reason: str,
    actor: Actor,
    audit: AuditSink,
) -> str:
    """Record that revision may be applied to env (autoSync off); the approved sha."""
    if not reason.strip():
        raise UsageError("approve needs --reason", hint="say why this revision may go out")
    _environment(root, env)
    sha = resolve(root, revision)
    inv = inventory.load(cluster, env)
    entry = {"revision": sha, "reason": reason, "time": _now(), "by": actor.user or ""}
    inv.approved = [*(a for a in inv.approved if a["revision"] != sha), entry][-20:]
    inventory.save(cluster, inv)
    audit(AuditEvent("approve", "success", actor=actor, environment=env, revision=sha,
                     reason=reason))  # fmt: skip
    return sha


def rollback(
    *,
    root: Path,
    cluster: Cluster,
    env: str,
    audit: AuditSink,
    revision: str | None = None,
    before: datetime | None = None,
    override: str | None = None,
    actor: Actor | None = None,
) -> SyncResult:
    """Re-apply an earlier revision (the last healthy one by default, or the last healthy
    one synced before `before`); refused while autoSync is on unless override."""
    environment = _environment(root, env)
    if environment.auto_sync and override is None:
        raise UsageError(
            f"autoSync is on for {env}: the next cycle would undo a rollback",
            hint="turn autoSync off, or pass --override REASON",
        )
    inv = inventory.load(cluster, env)
    current = str(inv.state.get("revision") or "")
    when = _utc(before).isoformat(timespec="seconds") if before else None
    target = revision or inv.last_healthy(when, other_than=current)
    if target is None:
        raise UsageError(f"no healthy revision of {env} to roll back to", hint="name one")
    request = Request(root, env, revision=target, rollback=True, override=override,
                      actor=actor or Actor())  # fmt: skip
    result = reconcile(request, cluster=cluster, audit=audit)
    audit(AuditEvent("reconcile.rollback", result.status.value, actor=request.actor,
                     environment=env, revision=result.revision, reason=override))  # fmt: skip
    return dataclasses.replace(result, rolled_back_to=result.revision)


def _environment(root: Path, env: str) -> Any:
    config = load_config(root)
    found = config.environment(env)
    if found is None:
        known = ", ".join(e.name for e in config.environments) or "none"
        raise UsageError(f"unknown environment {env!r}", hint=f"use one of: {known}")
    return found


def _utc(moment: datetime) -> datetime:
    """moment in UTC, as history records it (a time without a zone is taken as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
