"""Merged pull requests' approving reviews as audit events (for `audit import-github`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitops_gate.github import connect
from gitops_gate.prcheck import approval_events
from tests.conftest import Run
from tests.helpers.github_server import GitHubServer, serving
from tests.helpers.tree import make_repo

TOKEN = "ghs_" + "R" * 36


def _scene(github: GitHubServer) -> None:
    github.add_pull(1, base_sha="a" * 40, head_sha="1" * 40, merged_at="2026-12-01T09:00:00Z")
    github.review(1, by="alice", state="APPROVED", commit_id="1" * 40)
    github.review(1, by="bob", state="CHANGES_REQUESTED", commit_id="1" * 40)
    github.add_pull(2, base_sha="a" * 40, head_sha="2" * 40, merged_at="2026-11-01T09:00:00Z")
    github.review(2, by="carol", state="APPROVED", commit_id="0" * 40)  # before a later push
    github.add_pull(3, base_sha="a" * 40, head_sha="3" * 40)  # open
    github.review(3, by="dave", state="APPROVED", commit_id="3" * 40)


def test_each_approval_of_a_merged_pull_request_is_an_event() -> None:
    with serving(TOKEN) as github:
        _scene(github)
        gh = connect(TOKEN, "acme/gitops", api_url=github.url)
        events = list(approval_events(gh))

    got = [(e.action, e.actor.user, e.revision, e.details["stale"]) for e in events]
    assert got == [("github.review", "alice", "1" * 40, False),
                   ("github.review", "carol", "0" * 40, True)]  # fmt: skip
    assert events[0].links["pr"] == "https://github.example/acme/gitops/pull/1"
    assert events[0].time == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def test_since_keeps_only_pull_requests_merged_after_it() -> None:
    with serving(TOKEN) as github:
        _scene(github)
        gh = connect(TOKEN, "acme/gitops", api_url=github.url)
        events = list(approval_events(gh, since=datetime(2026, 11, 15, tzinfo=UTC)))

    assert [e.actor.user for e in events] == ["alice"]


def test_audit_import_github_records_approvals_once_and_the_report_names_the_approver(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_repo(tmp_path / "repo", {"README.md": "gitops\n"})
    monkeypatch.setenv("GITOPS_TEST_TOKEN", TOKEN)
    root = str(tmp_path / "repo")
    with serving(TOKEN) as github:
        _scene(github)
        args = ("audit", "import-github", root, "--repo", "acme/gitops", "--api-url", github.url,
                "--token-env", "GITOPS_TEST_TOKEN")  # fmt: skip
        first, again = cli(*args), cli(*args)
    assert (first.code, again.code) == (0, 0), first.err
    assert first.out.startswith("2 new events") and again.out.startswith("0 new events")
    rows = [json.loads(line)["event"] for line in cli("audit", "export", root).out.splitlines()]
    assert [r["details"]["approvedBy"] for r in rows] == ["alice", "carol"]
    assert TOKEN not in first.out + first.err
