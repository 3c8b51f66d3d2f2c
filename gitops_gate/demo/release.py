"""The release steps: promotion through a sync window, a broken rollout, the audit trail."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from gitops_gate.audit.event import Actor
from gitops_gate.demo.cluster import needs_cluster
from gitops_gate.demo.context import Demo
from gitops_gate.demo.controller import BROKEN
from gitops_gate.demo.repo import DEV_IMAGES, set_tag
from gitops_gate.reconcile.cycle import reconcile
from gitops_gate.reconcile.model import Request
from gitops_gate.reconcile.verbs import approve

# production's window (from the template): weekdays 06:00-18:00 UTC
CLOSED = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # a Saturday night
OPEN = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # a Monday morning
HEALTH_TIMEOUT = 3.0  # seconds: the broken rollout fails fast in a demo


def promote(demo: Demo) -> list[str]:
    """dev's images for production, committed on a branch by `gitops-gate promote`."""
    done = demo.gate("promote", "--from", "dev", "--to", "production", "--format", "json")
    branch = json.loads(done.stdout)["branch"]
    demo.shas["promotion"] = demo.git("rev-parse", branch)
    return [f"gitops-gate promote --from dev --to production: committed on branch {branch} "
            "(opening its pull request needs GitHub: skipped here; --push pushes it)"]  # fmt: skip


def release_production(demo: Demo) -> list[str]:
    """Approved, production still waits for its window, then syncs inside it."""
    cluster = needs_cluster(demo, "production")
    sha = demo.shas["promotion"]
    with demo.audit() as audit:
        approve(root=demo.repo, cluster=cluster, env="production", revision=sha,
                reason="demo: release hello 1.1.0", actor=Actor(user="demo"),
                audit=audit)  # fmt: skip
        closed = reconcile(Request(demo.repo, "production", sha, at=CLOSED), cluster=cluster,
                           audit=audit)  # fmt: skip
        opened = reconcile(Request(demo.repo, "production", sha, at=OPEN), cluster=cluster,
                           audit=audit)  # fmt: skip
    demo.shas["production"] = opened.revision
    return [f"gitops-gate approve --env production {sha[:12]}: approved",
            f"reconcile production at {CLOSED:%a %H:%M} UTC: {closed.status.value}: "
            f"{closed.reason}",
            f"reconcile production at {OPEN:%a %H:%M} UTC: {opened.status.value}, "
            f"{len(opened.applied)} objects applied"]  # fmt: skip


def broken_rollout(demo: Demo) -> list[str]:
    """A dev image whose pods never get ready: the health check fails and dev rolls back."""
    cluster = needs_cluster(demo, "dev")
    set_tag(demo, f"1.2.0-{BROKEN}")
    demo.commit(f"dev: hello 1.2.0-{BROKEN}")
    request = Request(demo.repo, "dev", health_timeout=HEALTH_TIMEOUT)
    with demo.audit() as audit:
        result = reconcile(request, cluster=cluster, audit=audit)
    return [f"committed hello 1.2.0-{BROKEN} to {DEV_IMAGES} on main",
            f"reconcile dev: {result.status.value}: {result.reason}"]  # fmt: skip


def audit_trail(demo: Demo) -> list[str]:
    """The audit report for auditors, and the hash chain checked."""
    report = demo.folder / "audit-report.html"
    demo.gate("audit", "report", "--output", str(report))
    verify = demo.gate("audit", "verify")
    return [f"gitops-gate audit report: {report}",
            f"gitops-gate audit verify: {verify.stdout.strip().splitlines()[-1]}"]  # fmt: skip
