"""Whether a revision may be applied now: approval (autoSync off) and sync windows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from gitops_gate.reconcile.inventory import Inventory
from gitops_gate.reconcile.source import Revision
from gitops_gate.windows.when import format_moment

UTC_ZONE = ZoneInfo("UTC")


def blocked_reason(rev: Revision, inv: Inventory, *, override: str | None) -> str | None:
    """Why rev may not be applied now (None: it may). An override reason forces it."""
    if override is not None:
        return None
    approved = inv.is_approved(rev.sha)
    if not rev.env.auto_sync and not approved:
        return (
            f"autoSync is off for {rev.env.name}: approve {rev.sha[:12]} first"
            f" (gitops-gate approve --env {rev.env.name} {rev.sha[:12]} --reason ...)"
        )
    return closed_reason(rev, manual=approved)


def closed_reason(rev: Revision, *, manual: bool = False) -> str | None:
    """Why rev's sync windows keep it out now (None: open); manual for an approved sync."""
    decision = rev.decision
    # An approval is a manual sync: windows open to manual syncs only let it through.
    if decision is None or decision.can_sync(manual=manual):
        return None
    names = ", ".join(w.name for w in decision.deciding) or "a sync window"
    zone = decision.deciding[0].zone if decision.deciding else UTC_ZONE
    until = f" until {format_moment(decision.until, zone)}" if decision.until else ""
    return f"blocked by {names}{until} (--override REASON forces it)"
