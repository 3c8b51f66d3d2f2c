"""Merged pull requests and their approving reviews: who approved, when, at which head sha."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from github.PullRequest import PullRequest
from github.PullRequestReview import PullRequestReview

from gitops_gate.github.client import GitHub

READ = "pull-requests: read"


@dataclass(frozen=True, slots=True)
class Approval:
    """One approving review of a merged pull request."""

    number: int
    url: str
    reviewer: str
    approved_at: datetime | None
    approved_sha: str  # the head the reviewer saw
    head_sha: str  # the head that merged
    merge_sha: str | None
    merged_at: datetime
    author: str | None


def merged_approvals(gh: GitHub, *, since: datetime | None = None) -> Iterator[Approval]:
    """Approvals of pull requests merged at or after since (all merged ones without it)."""
    pulls = gh.call(
        "list pull requests",
        READ,
        lambda: list(_merged(gh, since)),
    )
    for pull in pulls:
        reviews = gh.call(f"list the reviews of #{pull.number}", READ, _reviews_of(pull))
        for review in reviews:
            if review.state != "APPROVED":
                continue
            yield Approval(
                number=pull.number,
                url=pull.html_url,
                reviewer=review.user.login if review.user else "ghost",
                approved_at=review.submitted_at,
                approved_sha=review.commit_id,
                head_sha=pull.head.sha,
                merge_sha=pull.merge_commit_sha,
                merged_at=pull.merged_at or datetime.min,
                author=pull.user.login if pull.user else None,
            )


def _reviews_of(pull: PullRequest) -> Callable[[], list[PullRequestReview]]:
    return lambda: list(pull.get_reviews())


def _merged(gh: GitHub, since: datetime | None) -> Iterator[PullRequest]:
    # Newest updated first: a PR merged since `since` was updated since then too.
    for pull in gh.repo.get_pulls(state="closed", sort="updated", direction="desc"):
        if since is not None and pull.updated_at is not None and pull.updated_at < since:
            return
        if pull.merged_at is not None and (since is None or pull.merged_at >= since):
            yield pull
