"""Where GitHub refuses or stumbles: fork fallback, retries, one-line errors without the token."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.github.errors import GitHubError, PermissionRefused, Refused
from tests.helpers.github_server import GitHubServer
from tests.prcheck.conftest import Runner
from tests.prcheck.scene import TOKEN, image, pull_request


def test_a_fork_without_check_runs_gets_a_commit_status_and_the_step_summary(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:latest"), fork=True)
    github.state.refused = {"check-runs"}

    report = run(scene.root)

    assert not github.state.check_runs
    (status,) = github.state.statuses
    assert (status["state"], status["context"], status["sha"]) == (
        "failure", "gitops-gate", scene.head_sha,
    )  # fmt: skip
    assert status["description"].startswith("gitops-gate failed: 1 error")
    summary = run.summary.read_text()
    assert "Check runs are not permitted here (a fork's read-only token)" in summary
    assert "`no-latest-tag`" in summary
    (comment,) = github.state.comments.values()
    assert "Check runs are not permitted here" in comment["body"]
    assert report.posted is not None and report.posted.via == "status"
    assert run.events[0].details["posted"] == "status"


def test_a_fork_whose_token_may_write_nothing_says_so_in_the_step_summary(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:latest"), fork=True)
    github.state.read_only = True

    report = run(scene.root)

    assert not (github.state.check_runs or github.state.statuses or github.state.comments)
    summary = run.summary.read_text()
    assert "may not set a commit status either" in summary
    assert "may not comment on this pull request" in summary
    assert "❌ gitops-gate failed" in summary
    assert not report.outcome.passed


@pytest.mark.parametrize(
    ("refused", "permission"),
    [({"check-runs", "statuses"}, "checks: write"), ({"comments"}, "pull-requests: write")],
    ids=["checks", "comments"],
)
def test_a_refusal_outside_a_fork_names_the_missing_permission(
    tmp_path: Path, github: GitHubServer, run: Runner, refused: set[str], permission: str
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.state.refused = refused

    with pytest.raises(Refused) as raised:
        run(scene.root)

    line = raised.value.one_line()
    assert f"`{permission}`" in line and "403" in line and "\n" not in line
    assert raised.value.exit_code == 3
    assert [e.result for e in run.events] == ["degraded"]
    assert f"`{permission}`" in run.summary.read_text()  # the result is still shown


def test_a_bad_token_is_one_line_exit_3_without_the_token(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    wrong = "ghs_" + "W" * 36

    with pytest.raises(PermissionRefused) as raised:
        run(scene.root, token=wrong)

    line = raised.value.one_line()
    assert "401: Bad credentials" in line and raised.value.exit_code == 3
    assert wrong not in line and TOKEN not in line
    assert run.slept == []  # a 401 is never retried


@pytest.mark.parametrize(
    ("status", "headers", "waits"),
    [
        (502, {}, [1.0, 2.0]),
        (503, {"Retry-After": "3"}, [3.0, 3.0]),
        (403, {"Retry-After": "7"}, [7.0, 7.0]),
    ],
    ids=["502", "503-retry-after", "secondary-rate-limit"],
)
def test_5xx_and_secondary_rate_limits_are_retried_with_backoff(
    tmp_path: Path,
    github: GitHubServer,
    run: Runner,
    status: int,
    headers: dict[str, str],
    waits: list[float],
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.fail("POST", "/check-runs$", status, headers=headers, times=2)

    run(scene.root)

    assert run.slept == waits
    assert len(github.state.check_runs) == 1


def test_github_failing_on_every_attempt_is_one_line_exit_3(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.fail("POST", "/check-runs$", 502, times=99)

    with pytest.raises(GitHubError) as raised:
        run(scene.root)

    assert raised.value.one_line() == "GitHub failed to create the check run (502: Server Error)"
    assert run.slept == [1.0, 2.0, 4.0, 8.0]


def test_a_rate_limit_asking_for_longer_than_two_minutes_is_not_waited_for(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.fail("POST", "/check-runs$", 403, headers={"Retry-After": "3600"})

    with pytest.raises(GitHubError, match="secondary rate limit"):
        run(scene.root)

    assert run.slept == []


@pytest.mark.parametrize(
    ("method", "pattern"),
    [("POST", "/check-runs$"), ("PATCH", r"/check-runs/\d+$")],
    ids=["create", "append"],
)
def test_a_check_run_request_answered_502_after_it_took_effect_is_not_repeated(
    tmp_path: Path, github: GitHubServer, run: Runner, method: str, pattern: str
) -> None:
    docs = [
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: shop}}\n"
        "spec: {containers: [{name: c, image: 'app:latest'}]}\n"
        for i in range(70)
    ]
    scene = pull_request(tmp_path, github, {"clusters/staging/pods.yaml": "---\n".join(docs)})
    github.fail(method, pattern, 502, after=True)

    report = run(scene.root)

    (check_id,) = github.state.check_runs
    posted = github.annotations(check_id)
    assert posted == report.payload["output"]["annotations"]  # each once, in order
    assert sum(a["title"] == "policy/no-latest-tag" for a in posted) == 70
    assert run.slept == [1.0]
