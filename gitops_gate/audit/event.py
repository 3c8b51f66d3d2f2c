"""One audit event: who did what to which environment at which revision, and what came of it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Actor:
    """Everyone behind an event: the commit's author and committer, the CI identity, the OS user."""

    author: str | None = None
    committer: str | None = None
    ci: str | None = None
    user: str | None = None

    def to_json(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v is not None}


@dataclass(frozen=True)
class AuditEvent:
    """An event as its source builds it; the store adds its position and the hash chain.

    `action` is dotted by source (`check`, `pr-check`, `git.commit`, `github.review`,
    `reconcile.sync`, `reconcile.prune`, `reconcile.rollback`, `reconcile.drift`, `approve`,
    `window.override`, `set-image`, `promote`, `revert`). `result` is `success`, `failure`,
    `blocked`, `degraded` or `info`. Nothing here may hold a secret value: the store redacts
    again before writing, but sources never put one in.
    """

    action: str
    result: str
    actor: Actor = field(default_factory=Actor)
    environment: str | None = None
    revision: str | None = None
    objects: tuple[str, ...] = ()
    reason: str | None = None
    links: Mapping[str, str] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    # Not part of the body: an identity (a commit's sha) the store keeps once, so importing
    # the same history twice adds nothing.
    key: str | None = None

    def time_text(self) -> str:
        """The time as the body spells it: UTC, microseconds, so text order is time order."""
        return self.time.astimezone(UTC).isoformat(timespec="microseconds")

    def to_json(self) -> dict[str, Any]:
        """The event's canonical body (schema version 1), before the store chains it."""
        return {
            "schemaVersion": SCHEMA_VERSION,
            "time": self.time_text(),
            "actor": self.actor.to_json(),
            "action": self.action,
            "environment": self.environment,
            "revision": self.revision,
            "objects": list(self.objects),
            "result": self.result,
            "reason": self.reason,
            "links": dict(self.links),
            "details": dict(self.details),
        }


# What the PR check, reconciler and promotion write through: the store's `append`, or in a test
# a list's `append`.
AuditSink = Callable[[AuditEvent], None]
