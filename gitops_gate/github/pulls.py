"""A pull request as the PR check needs it: its refs, labels and whether it comes from a fork."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gitops_gate.github.client import GitHub
from gitops_gate.github.errors import GitHubError

READ = "pull-requests: read"


@dataclass(frozen=True, slots=True)
class PullInfo:
    """The fields of GitHub's pull request object the check reads."""

    number: int
    base_sha: str
    head_sha: str
    labels: tuple[str, ...]
    fork: bool  # head in another repository: Actions gives such a run a read-only token
    url: str
    author: str | None = None


def from_payload(data: Mapping[str, Any]) -> PullInfo:
    """A PullInfo from a pull request object (the REST answer or an event's `pull_request`)."""
    try:
        base, head = data["base"], data["head"]
        head_repo = (head.get("repo") or {}).get("full_name")
        base_repo = (base.get("repo") or {}).get("full_name")
        return PullInfo(
            number=int(data["number"]),
            base_sha=str(base["sha"]),
            head_sha=str(head["sha"]),
            labels=tuple(str(label["name"]) for label in data.get("labels") or ()),
            # A deleted fork has no head repo: still not this repository.
            fork=head_repo != base_repo,
            url=str(data.get("html_url") or ""),
            author=(data.get("user") or {}).get("login"),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise GitHubError(
            f"the pull request data has no usable {e}", hint="run on a pull_request event"
        ) from None


def read_pull(gh: GitHub, number: int) -> PullInfo:
    """GET the pull request (one request)."""

    def op() -> PullInfo:
        pull = gh.repo.get_pull(number)
        return from_payload(pull.raw_data)

    return gh.call(f"read pull request #{number}", READ, op)


def label_author(gh: GitHub, number: int, label: str) -> str | None:
    """Who last added label to the pull request (its `labeled` events), or None."""

    def op() -> str | None:
        who = None
        for event in gh.repo.get_issue(number).get_events():
            # Attributes, not raw_data: that would fetch each event again.
            if event.event == "labeled" and event.label is not None and event.label.name == label:
                who = event.actor.login if event.actor is not None else None
        return who

    return gh.call(f"read the labels' history of #{number}", READ, op)


def create_pull(gh: GitHub, *, title: str, body: str, head: str, base: str) -> PullInfo:
    """Open a pull request from branch head into base (what promotion does).

    A retried create first looks for the open pull request from head into base: a POST whose
    answer was lost (a 502 after GitHub stored it) would otherwise end in a 422 "already exists".
    """
    tries = 0

    def op() -> PullInfo:
        nonlocal tries
        tries += 1
        if tries > 1:
            owner = gh.name.partition("/")[0]
            for found in gh.repo.get_pulls(state="open", head=f"{owner}:{head}", base=base):
                return from_payload(found.raw_data)
        pull = gh.repo.create_pull(base=base, head=head, title=title, body=body)
        return from_payload(pull.raw_data)

    return gh.call(f"open a pull request from {head} into {base}", "pull-requests: write", op)


def add_labels(gh: GitHub, number: int, labels: tuple[str, ...]) -> None:
    """Add labels to pull request number (GitHub creates a label it does not know yet)."""

    def op() -> None:
        gh.repo.get_issue(number).add_to_labels(*labels)

    gh.call(f"label pull request #{number}", "pull-requests: write", op)
