"""A month of one team's audit log: commits, checks, approvals, syncs that fail, a rollback."""

from __future__ import annotations

from datetime import timedelta

from gitops_gate.audit.event import Actor, AuditEvent
from tests.audit.events import START

ALICE, BOB = "Alice <alice@example.com>", "Bob <bob@example.com>"
WAIVER = {
    "rule": "no-latest-tag",
    "object": "shop/Pod/web",
    "reason": "vendor pins by digest",
    "owner": "team-shop",
    "expires": "2027-01-31",
}
OVERRIDE = {"environment": "production", "windows": ["weekend-freeze"], "reason": "hotfix INC-42"}


def month() -> list[AuditEvent]:
    out: list[AuditEvent] = []
    for day in range(0, 28, 2):
        at = START + timedelta(days=day)
        env = "production" if day % 4 == 0 else "staging"
        pr = f"#{100 + day}"
        sha = f"{day:02x}" * 20
        out.append(_commit(at, env, pr, sha))
        out.append(_approval(at + timedelta(minutes=5), pr))
        out.append(_check(at + timedelta(minutes=10), env, day))
        out.append(_sync(at + timedelta(hours=1), env, sha, failed=day in (8, 16)))
    rollback_at = START + timedelta(days=8, hours=2)
    out.append(
        AuditEvent("reconcile.rollback", "success", Actor(ci="reconciler"), "production",
                   "08" * 20, reason="sync failed health checks", time=rollback_at)
    )  # fmt: skip
    return out


def _commit(at, env, pr, sha):  # type: ignore[no-untyped-def]
    return AuditEvent(
        "git.commit", "info", Actor(author=ALICE, committer=ALICE), env, sha,
        reason=f"Change {pr}", links={"pr": pr, "commit": sha}, time=at,
    )  # fmt: skip


def _approval(at, pr):  # type: ignore[no-untyped-def]
    return AuditEvent("github.review", "success", Actor(author=BOB), links={"pr": pr}, time=at)


def _check(at, env, day):  # type: ignore[no-untyped-def]
    overridden = day == 12
    details = {
        "waivers": [WAIVER] if day == 4 else [],
        "overrides": [OVERRIDE] if overridden else [],
    }
    result = "blocked" if day == 20 else "success"
    return AuditEvent("check", result, Actor(ci="github:alice"), env, details=details, time=at)


def _sync(at, env, sha, *, failed: bool):  # type: ignore[no-untyped-def]
    result = "failure" if failed else "success"
    reason = "Deployment shop/web did not become ready" if failed else None
    return AuditEvent(
        "reconcile.sync", result, Actor(ci="reconciler"), env, sha, reason=reason, time=at
    )
