"""Posting an outcome: the check run, else a commit status; then the one living comment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gitops_gate.github.checks import post_check_run, post_status
from gitops_gate.github.client import GitHub
from gitops_gate.github.comments import upsert_comment
from gitops_gate.github.errors import Refused
from gitops_gate.prcheck.annotate import annotations_of
from gitops_gate.prcheck.markdown import MARKER, check_summary, comment, verdict
from gitops_gate.prcheck.outcome import Outcome

CHECK_NAME = "gitops-gate"


@dataclass(slots=True)
class Posted:
    """What reached GitHub, and what could not (said in notes, and in the step summary)."""

    check_run: str | None = None
    status: str | None = None
    comment: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def via(self) -> str:
        return "check-run" if self.check_run else "status" if self.status else "summary"

    def to_json(self) -> dict[str, Any]:
        return {
            "checkRun": self.check_run,
            "status": self.status,
            "comment": self.comment,
            "notes": list(self.notes),
        }


def check_payload(outcome: Outcome) -> dict[str, Any]:
    """The check run's create request, every annotation in it (posting sends them 50 a time)."""
    return {
        "name": CHECK_NAME,
        "head_sha": outcome.pull.head_sha,
        "status": "completed",
        "conclusion": "success" if outcome.passed else "failure",
        "output": {
            "title": verdict(outcome),
            "summary": check_summary(outcome),
            "annotations": annotations_of(outcome.check.findings, outcome.prefix),
        },
    }


def status_payload(outcome: Outcome, run_url: str | None) -> dict[str, Any]:
    return {
        "state": "success" if outcome.passed else "failure",
        "description": verdict(outcome),
        "url": run_url,
    }


def publish(
    gh: GitHub, outcome: Outcome, payload: dict[str, Any], *, run_url: str | None
) -> tuple[Posted, str]:
    """Post the check run payload (or the fallback) and the comment; what was posted, and the
    comment."""
    posted = Posted()
    try:
        posted.check_run = post_check_run(gh, payload)
    except Refused as refused:
        _fall_back(gh, outcome, posted, refused, run_url)
    body = comment(outcome, notes=tuple(posted.notes))
    try:
        posted.comment = upsert_comment(gh, outcome.pull.number, MARKER, body)
    except Refused:
        if not outcome.pull.fork:
            raise
        posted.notes.append(
            "The token may not comment on this pull request (a fork's read-only token): "
            "the step summary holds the comment."
        )
    return posted, body


def _fall_back(
    gh: GitHub, outcome: Outcome, posted: Posted, refused: Refused, run_url: str | None
) -> None:
    """A commit status where check runs are refused; where that is refused too, on a fork's
    read-only token the step summary is all there is, and elsewhere it is an error."""
    why = "a fork's read-only token" if outcome.pull.fork else "the token lacks `checks: write`"
    posted.notes.append(
        f"Check runs are not permitted here ({why}): the result is a commit status "
        "and the step summary, without annotations on the changed lines."
    )
    status = status_payload(outcome, run_url)
    try:
        post_status(gh, outcome.pull.head_sha, **status)
        posted.status = status["state"]
    except Refused:
        if not outcome.pull.fork:
            raise refused from None
        posted.notes.append("The token may not set a commit status either.")
