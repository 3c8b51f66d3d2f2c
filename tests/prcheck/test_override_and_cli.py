"""The override label, dry runs, JSON, and the command in a GitHub Actions job."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.errors import UsageError
from tests.conftest import Run
from tests.helpers.github_server import GitHubServer
from tests.prcheck.conftest import Runner
from tests.prcheck.scene import MONDAY, NUMBER, SATURDAY, TOKEN, image, pull_request

LABEL = "gitops-gate/override-window"


def test_the_override_label_lets_a_closed_window_through_and_names_who_added_it(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.label(NUMBER, LABEL, by="alice")

    report = run(scene.root, at=SATURDAY)

    (check,) = github.state.check_runs.values()
    assert check["conclusion"] == "success"
    body = next(iter(github.state.comments.values()))["body"]
    assert "| production | closed, overridden |" in body
    assert f"label `{LABEL}` added by @\u2060alice" in body  # no mention ping
    (event,) = run.events
    assert event.details["overrides"] == [
        {"environment": "production", "label": LABEL, "by": "alice"}
    ]
    assert event.reason == f"closed window overridden by label {LABEL}: production"
    assert [o.by for o in report.outcome.overrides] == ["alice"]


def test_another_label_does_not_override(tmp_path: Path, github: GitHubServer, run: Runner) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.label(NUMBER, "needs-review", by="alice")

    report = run(scene.root, at=SATURDAY)

    assert not report.outcome.passed
    assert next(iter(github.state.check_runs.values()))["conclusion"] == "failure"
    assert not github.sent("GET", "/events$")


def test_a_dry_run_writes_the_comment_and_payload_and_posts_nothing(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path / "repo", github, image("production", "app:latest"))
    out = tmp_path / "out"

    report = run(scene.root, dry_run=out)

    assert not github.sent("POST|PATCH")
    payload = json.loads((out / "check-run.json").read_text())
    assert payload["conclusion"] == "failure"
    titles = [a["title"] for a in payload["output"]["annotations"]]
    assert titles == ["policy/no-latest-tag", "windows/sync-windows"]  # the error first
    assert (out / "comment.md").read_text() == report.comment
    assert run.events[0].details["posted"] == "dry-run"


@pytest.fixture
def actions(
    tmp_path: Path, github: GitHubServer, monkeypatch: pytest.MonkeyPatch
) -> Callable[[dict[str, object]], Path]:
    """GitHub Actions' variables for a pull_request event; returns the step summary's path."""

    def setup(pull: dict[str, object]) -> Path:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"action": "synchronize", "pull_request": pull}))
        summary = tmp_path / "summary.md"
        for name, value in {
            "GITHUB_EVENT_PATH": str(event), "GITHUB_REPOSITORY": "acme/gitops",
            "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": github.url,
            "GITHUB_STEP_SUMMARY": str(summary),
        }.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        return summary

    return setup


def test_in_actions_the_event_names_the_pull_request_and_the_token_is_never_shown(
    tmp_path: Path,
    github: GitHubServer,
    actions: Callable[[dict[str, object]], Path],
    cli: Callable[..., Run],
) -> None:
    scene = pull_request(tmp_path / "repo", github, image("production", "app:latest"))
    summary = actions(github.state.pulls[NUMBER])

    done = cli("pr-check", str(scene.root), "--at", MONDAY)
    as_json = cli("pr-check", str(scene.root), "--format", "json", "--at", MONDAY)

    assert done.code == 1 and as_json.code == 1
    assert "no-latest-tag" in done.out and done.out.rstrip().endswith("Failed")
    assert done.err == ""  # nothing of PyGithub's
    assert not github.sent("GET", "/pulls/")  # the event had it
    assert len(github.state.comments) == 1 and len(github.state.check_runs) == 2
    data = json.loads(as_json.out)
    assert data["schemaVersion"] == 1
    assert data["checkRun"]["output"]["annotations"][0]["path"] == "clusters/production/deploy.yaml"
    assert data["comment"]["body"] == next(iter(github.state.comments.values()))["body"]
    shown = [done.out, done.err, as_json.out, as_json.err, summary.read_text()]
    shown += [json.dumps(r.body) for r in github.state.requests]
    assert not [s for s in shown if TOKEN in s]


def test_outside_actions_repo_pr_and_token_env_say_where_to_look(
    tmp_path: Path, github: GitHubServer, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = pull_request(tmp_path / "repo", github, image("production", "app:1.0.1"))
    monkeypatch.setenv("MY_TOKEN", TOKEN)
    for name in ("GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)

    done = cli("pr-check", str(scene.root), "--repo", "acme/gitops", "--pr", str(NUMBER),
               "--token-env", "MY_TOKEN", "--api-url", github.url, "--at", MONDAY)  # fmt: skip

    assert done.code == 0, done.err
    assert len(github.sent("GET", rf"/pulls/{NUMBER}$")) == 1
    assert "Check run: https://github.example/acme/gitops/runs/" in done.out


def test_a_wrong_token_through_the_cli_is_one_line_exit_3(
    tmp_path: Path,
    github: GitHubServer,
    actions: Callable[[dict[str, object]], Path],
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene = pull_request(tmp_path / "repo", github, image("production", "app:1.0.1"))
    actions(github.state.pulls[NUMBER])
    wrong = "ghp_" + "X" * 36
    monkeypatch.setenv("GITHUB_TOKEN", wrong)

    done = cli("pr-check", str(scene.root), "--at", MONDAY)

    assert done.code == 3
    assert done.err.count("\n") == 1 and "401: Bad credentials" in done.err
    assert wrong not in done.err + done.out


def test_head_not_checked_out_is_a_usage_error(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    scene.repo.git.checkout("main")

    with pytest.raises(UsageError) as raised:
        run(scene.root)

    assert "check out the pull request's head" in raised.value.one_line()
    assert raised.value.exit_code == 2


def test_a_blocked_window_tells_the_pull_request_to_add_the_label(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))

    run(scene.root, at=SATURDAY)

    (check_id,) = github.state.check_runs
    (blocked,) = [a for a in github.annotations(check_id) if a["title"].endswith("-blocked")]
    assert blocked["message"].endswith(
        f"(add the label {LABEL} to the pull request to deploy anyway)"
    )
    assert "--override" not in next(iter(github.state.comments.values()))["body"]


def test_githubs_merge_commit_checked_out_is_checked_against_the_base(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:latest"))
    scene.repo.git.checkout("--detach", scene.base_sha)
    scene.repo.git.merge("--no-ff", "-q", "-m", "Merge", scene.head_sha)  # refs/pull/N/merge

    report = run(scene.root)

    assert report.outcome.base == scene.base_sha
    assert [f.rule for f in report.outcome.check.findings if f.severity.label == "error"] == [
        "no-latest-tag"
    ]
    assert next(iter(github.state.check_runs.values()))["head_sha"] == scene.head_sha


def test_a_dry_run_in_actions_needs_no_token_and_sends_no_request(
    tmp_path: Path,
    github: GitHubServer,
    actions: Callable[[dict[str, object]], Path],
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene = pull_request(tmp_path / "repo", github, image("production", "app:1.0.1"))
    actions(github.state.pulls[NUMBER])
    monkeypatch.delenv("GITHUB_TOKEN")

    done = cli("pr-check", str(scene.root), "--dry-run", str(tmp_path / "out"), "--at", MONDAY)

    assert done.code == 0, done.err
    assert github.state.requests == []
    assert "Dry run: nothing was posted" in done.out
    assert (tmp_path / "out" / "comment.md").read_text().startswith("<!-- gitops-gate:pr-check")


def test_global_options_before_the_command_still_find_every_command(
    cli: Callable[..., Run],
) -> None:
    done = cli("--config", "nowhere.yaml", "pr-check", "--help")
    other = cli("--config", "nowhere.yaml", "check", "--help")

    assert done.code == 0 and "--token-env VAR" in done.out
    assert other.code == 0 and "usage: gitops-gate check" in other.out
