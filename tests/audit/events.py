"""Audit events for tests: realistic, each a little different."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gitops_gate.audit.event import Actor, AuditEvent

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def event(n: int, **changes: object) -> AuditEvent:
    """The n-th event of a busy week: checks and syncs on staging and production."""
    fields: dict[str, object] = {
        "action": ("check", "git.commit", "reconcile.sync")[n % 3],
        "result": "failure" if n % 7 == 0 else "success",
        "actor": Actor(author=f"dev{n % 4}@example.com", ci="github-actions", user="runner"),
        "environment": ("staging", "production")[n % 2],
        "revision": f"{n:040x}",
        "objects": (f"apps/Deployment/web-{n}",),
        "reason": None,
        "links": {"pr": f"https://example.com/pr/{n}"},
        "details": {"n": n, "rules": {"no-latest-tag": n % 3}},
        "time": START + timedelta(hours=n),
    }
    fields.update(changes)
    return AuditEvent(**fields)  # type: ignore[arg-type]
