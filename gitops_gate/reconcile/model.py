"""What one cycle asks for and what came of it: the request, the status, the result."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gitops_gate.audit.event import Actor
from gitops_gate.reconcile.objects import ObjectRef
from gitops_gate.reconcile.plan import Plan

SCHEMA_VERSION = 1


class Status(enum.StrEnum):
    SYNCED = "synced"
    OUT_OF_SYNC = "out-of-sync"
    SYNCING = "syncing"
    FAILED = "failed"
    DEGRADED = "degraded"


@dataclass(frozen=True, slots=True)
class Request:
    """One cycle for one environment."""

    root: Path
    env: str
    revision: str = "HEAD"
    plan_only: bool = False
    override: str | None = None  # a reason: sync whatever windows and approvals say
    at: datetime | None = None  # judge windows at this time (now)
    actor: Actor = field(default_factory=Actor)
    health_timeout: float | None = None  # the environment's healthTimeout otherwise
    rollback: bool = False  # this cycle re-applies an earlier revision
    lease_seconds: float = 60.0  # how long a reconciler killed mid-sync keeps others out


@dataclass(slots=True)
class SyncResult:
    """What a cycle did and left: the status `status --env` shows."""

    env: str
    revision: str
    status: Status
    reason: str = ""
    plan: Plan | None = None
    applied: list[ObjectRef] = field(default_factory=list)
    pruned: list[ObjectRef] = field(default_factory=list)
    drifted: list[ObjectRef] = field(default_factory=list)
    unhealthy: dict[ObjectRef, str] = field(default_factory=dict)
    rolled_back_to: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "schemaVersion": SCHEMA_VERSION,
            "environment": self.env,
            "revision": self.revision,
            "status": self.status.value,
            "reason": self.reason,
            "plan": self.plan.to_json() if self.plan is not None else None,
            "applied": [str(r) for r in self.applied],
            "pruned": [str(r) for r in self.pruned],
            "drifted": [str(r) for r in self.drifted],
            "unhealthy": {str(r): why for r, why in sorted(self.unhealthy.items())},
            "rolledBackTo": self.rolled_back_to,
        }


def unhealthy_reason(bad: dict[ObjectRef, str]) -> str:
    first = min(bad)
    more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
    return f"{first} is not healthy: {bad[first]}{more}"
