"""Audit events of the GitHub side: each PR check, and merged pull requests' approvals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from gitops_gate.audit.event import Actor, AuditEvent
from gitops_gate.github.client import GitHub
from gitops_gate.github.reviews import merged_approvals
from gitops_gate.prcheck.outcome import Outcome
from gitops_gate.prcheck.post import Posted

ACTION = "pr-check"
REVIEW_ACTION = "github.review"


def run_event(
    outcome: Outcome,
    posted: Posted | None,
    *,
    ci: str | None = None,
    error: str | None = None,
) -> AuditEvent:
    """The event of one PR check: its verdict, counts and overrides, for the PR's head.

    error is what kept it from posting (the result is then `degraded`); no posted means a
    dry run.
    """
    result = "degraded" if error else "success" if outcome.passed else "failure"
    overrides = [o.to_json() for o in outcome.overrides]
    links = {"pr": outcome.pull.url, "headSha": outcome.pull.head_sha}
    if posted is not None and posted.check_run:
        links["checkRun"] = posted.check_run
    if posted is not None and posted.comment:
        links["comment"] = posted.comment
    return AuditEvent(
        action=ACTION,
        result=result,
        actor=Actor(author=outcome.pull.author, ci=ci),
        revision=outcome.pull.head_sha,
        reason=error or _reason(outcome),
        links=links,
        details={
            "pullRequest": outcome.pull.number,
            "base": outcome.base,
            "counts": outcome.counts,
            "environments": outcome.environments(),
            "overrides": overrides,
            "posted": posted.via if posted is not None else "dry-run",
        },
    )


def _reason(outcome: Outcome) -> str | None:
    if not outcome.overrides:
        return None
    envs = ", ".join(o.environment for o in outcome.overrides)
    return f"closed window overridden by label {outcome.overrides[0].label}: {envs}"


def approval_events(gh: GitHub, *, since: datetime | None = None) -> Iterator[AuditEvent]:
    """One event a merged pull request's approving review: who, when, at which head sha,
    and whether that head is the one that merged. `audit import-github` appends these."""
    for a in merged_approvals(gh, since=since):
        yield AuditEvent(
            action=REVIEW_ACTION,
            result="info",
            actor=Actor(author=a.author, user=a.reviewer),
            revision=a.approved_sha,
            links={
                "pr": a.url,
                "headSha": a.head_sha,
                **({"merge": a.merge_sha} if a.merge_sha else {}),
            },
            details={
                "pullRequest": a.number,
                "approvedBy": a.reviewer,
                "approvedSha": a.approved_sha,
                "mergedHeadSha": a.head_sha,
                "stale": a.approved_sha != a.head_sha,
                "mergedAt": a.merged_at.astimezone(UTC).isoformat(),
            },
            time=a.approved_at or a.merged_at or datetime.now(UTC),
            # Importing again adds nothing: the store keeps one event per key.
            key=f"{REVIEW_ACTION}:{a.number}:{a.reviewer}:{a.approved_sha}",
        )
