"""What a reviewer sees: the comment and the check run of a failing pull request, as snapshots."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.helpers.github_server import GitHubServer
from tests.prcheck.conftest import Runner
from tests.prcheck.scene import NUMBER, SATURDAY, image, pull_request


def _stable(text: str, shas: dict[str, str]) -> str:
    """Commit shas (which change with the clock) named by their role."""
    for sha, name in shas.items():
        text = text.replace(sha, f"<{name}>").replace(sha[:12], f"<{name}>")
    return text


def test_the_comment_and_check_run_of_a_failing_pull_request(
    tmp_path: Path, github: GitHubServer, run: Runner, snapshot: Any
) -> None:
    scene = pull_request(
        tmp_path, github, {**image("production", "app:latest"), **image("staging", "app:1.1")}
    )
    github.label(NUMBER, "gitops-gate/override-window", by="alice")
    shas = {scene.head_sha: "head", scene.base_sha: "base"}

    run(scene.root, at=SATURDAY)

    snapshot.snapshot_dir = Path(__file__).parent / "snapshots"
    (comment,) = github.state.comments.values()
    snapshot.assert_match(_stable(comment["body"], shas), "failing_pull_request_comment.md")
    (check_id,) = github.state.check_runs
    run_ = github.state.check_runs[check_id]
    shown = {k: run_[k] for k in ("name", "head_sha", "status", "conclusion", "output")}
    shown["annotations"] = github.annotations(check_id)
    text = json.dumps(shown, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    snapshot.assert_match(_stable(text, shas), "failing_pull_request_check_run.json")
