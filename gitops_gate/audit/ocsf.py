"""An audit event as OCSF 1.3: API Activity (6003) for what was done through the gate, Account
Change (3001) for changes to who may do it (`account.*` actions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gitops_gate._version import __version__
from gitops_gate.audit.chain import Row

VERSION = "1.3.0"
API_ACTIVITY, ACCOUNT_CHANGE = 6003, 3001
# API Activity's activity_id: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other.
_API_ACTIVITY = {
    "check": 2,
    "pr-check": 2,
    "reconcile.drift": 2,
    "reconcile.prune": 4,
    "git.commit": 3,
    "reconcile.sync": 3,
    "reconcile.rollback": 3,
    "set-image": 3,
    "promote": 3,
    "revert": 3,
}
# Account Change's activity_id by the action's last part (`account.disable` -> 5).
_ACCOUNT_ACTIVITY = {
    "create": 1,
    "enable": 2,
    "disable": 5,
    "delete": 6,
    "attach-policy": 7,
    "detach-policy": 8,
}
_STATUS = {"success": 1, "failure": 2, "blocked": 2, "degraded": 99, "info": 0}
_SEVERITY = {"failure": 3, "blocked": 3, "degraded": 2}  # else 1, Informational


def to_ocsf(row: Row) -> dict[str, Any]:
    """row's event as one OCSF event; what OCSF has no attribute for goes under `unmapped`."""
    event = row.event()
    action = str(event["action"])
    if action.startswith("account."):
        class_uid, category = ACCOUNT_CHANGE, 3
        activity = _ACCOUNT_ACTIVITY.get(action.split(".")[-1], 99)
        specific: dict[str, Any] = {"user": {"name": (event["objects"] or ["unknown"])[0]}}
    else:
        class_uid, category = API_ACTIVITY, 6
        activity = _API_ACTIVITY.get(action, 99)
        specific = {"api": {"operation": action, "service": {"name": "gitops-gate"}}}
    return {
        "class_uid": class_uid,
        "category_uid": category,
        "activity_id": activity,
        "type_uid": class_uid * 100 + activity,
        "time": _millis(event["time"]),
        "severity_id": _SEVERITY.get(event["result"], 1),
        "status_id": _STATUS.get(event["result"], 99),
        "status": event["result"],
        "message": event["reason"] or action,
        "actor": _actor(event["actor"]),
        "src_endpoint": {"name": event["actor"].get("ci") or event["actor"].get("user") or "-"},
        "resources": _resources(event),
        "metadata": _metadata(row, event),
        "unmapped": {k: event[k] for k in ("links", "details", "revision") if event[k]},
        **specific,
    }


def _millis(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp() * 1000)


def _actor(actor: dict[str, str]) -> dict[str, Any]:
    who = actor.get("author") or actor.get("user") or actor.get("ci") or "unknown"
    name, _, email = who.partition(" <")
    user: dict[str, Any] = {"name": name}
    if email:
        user["email_addr"] = email.rstrip(">")
    return {"user": user, "app_name": actor.get("ci") or "gitops-gate"}


def _resources(event: dict[str, Any]) -> list[dict[str, str]]:
    out = [{"type": "environment", "name": event["environment"]}] if event["environment"] else []
    return out + [{"type": "kubernetes-object", "name": o} for o in event["objects"]]


def _metadata(row: Row, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": VERSION,
        "product": {"name": "gitops-gate", "vendor_name": "gitops-gate", "version": __version__},
        "uid": row.hash,
        "sequence": row.seq,
        "original_time": event["time"],
        "log_name": "gitops-gate audit",
    }
