"""pr-check posts one check run, every annotation, and one living comment to GitHub."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.github_server import GitHubServer
from tests.helpers.tree import commit
from tests.prcheck.conftest import Runner
from tests.prcheck.scene import BASE_FILES, DEPLOY, NUMBER, SATURDAY, image, pull_request

LATEST = DEPLOY.replace("{image}", "app:latest")


def _many_latest(count: int) -> dict[str, str]:
    """count Deployments on the latest tag in staging: count errors, one a document."""
    docs = [LATEST.replace("name: web", f"name: web{i}") for i in range(count)]
    return {"clusters/staging/many.yaml": "---\n".join(docs)}


def test_a_passing_change_posts_a_successful_check_and_one_comment(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))

    report = run(scene.root)

    (check,) = github.state.check_runs.values()
    assert (check["name"], check["head_sha"], check["status"], check["conclusion"]) == (
        "gitops-gate", scene.head_sha, "completed", "success",
    )  # fmt: skip
    (comment,) = github.state.comments.values()
    assert comment["body"].startswith("<!-- gitops-gate:pr-check -->\n")
    assert "`app:1.0.0` → `app:1.0.1`" in comment["body"]
    assert "| production | open |" in comment["body"]
    assert report.outcome.passed
    (event,) = run.events
    assert (event.action, event.result, event.revision) == ("pr-check", "success", scene.head_sha)
    assert event.links["pr"] == "https://github.example/acme/gitops/pull/7"


def test_every_annotation_is_posted_50_a_request_worst_first(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, {**_many_latest(120), **image("production", "app:1")})

    run(scene.root, at=SATURDAY)

    (check_id,) = github.state.check_runs
    posted = github.annotations(check_id)
    sizes = [len(r.body["output"]["annotations"]) for r in github.sent("POST|PATCH", "check-runs")]
    assert sizes == [50, 50, 22]
    assert len(posted) == 122  # 120 latest tags, the closed window and its clock-change warning
    levels = [a["annotation_level"] for a in posted]
    assert levels == sorted(levels, key=["failure", "warning", "notice"].index)
    lines = {(a["path"], a["start_line"]) for a in posted if a["title"] == "policy/no-latest-tag"}
    assert len(lines) == 120
    assert github.state.check_runs[check_id]["conclusion"] == "failure"


def test_the_comment_is_edited_on_the_next_run_never_duplicated(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:latest"))
    run(scene.root)
    first = next(iter(github.state.comments.values()))["body"]
    head = commit(scene.repo, image("production", "app:1.0.2"), "fix the tag")
    github.state.pulls[NUMBER]["head"]["sha"] = head

    run(scene.root)

    (comment,) = github.state.comments.values()
    assert "app:latest" in first and "❌" in first
    assert "`app:1.0.0` → `app:1.0.2`" in comment["body"] and "✅" in comment["body"]
    assert len(github.sent("PATCH", r"/issues/comments/")) == 1
    assert [c["conclusion"] for c in github.state.check_runs.values()] == ["failure", "success"]


def test_a_comment_posted_but_answered_502_is_edited_not_posted_again(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.fail("POST", r"/issues/\d+/comments$", 502, after=True)

    run(scene.root)

    assert len(github.state.comments) == 1
    assert len(github.sent("POST", r"/issues/\d+/comments$")) == 1
    assert run.slept == [1.0]


def test_a_marked_comment_someone_else_wrote_is_left_alone(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    scene = pull_request(tmp_path, github, image("production", "app:1.0.1"))
    github.state.comments[1] = {
        "id": 1, "url": f"{github.state.repo_url}/issues/comments/1", "html_url": "x",
        "body": "<!-- gitops-gate:pr-check -->\nI copied the marker", "_issue": NUMBER,
        "user": {"login": "mallory", "type": "User"}, "created_at": "", "updated_at": "",
    }  # fmt: skip

    run(scene.root)

    mine = [c for c in github.state.comments.values() if c["user"]["login"] != "mallory"]
    assert github.state.comments[1]["body"].endswith("I copied the marker")
    assert len(mine) == 1 and "gitops-gate passed" in mine[0]["body"]


def test_annotations_name_files_from_the_repository_top_when_the_config_is_in_a_folder(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    nested = {f"deploy/gitops/{rel}": text for rel, text in BASE_FILES.items()}
    change = {"deploy/gitops/clusters/production/deploy.yaml": LATEST}
    scene = pull_request(tmp_path, github, change, base=nested)

    run(scene.root / "deploy" / "gitops")

    (check_id,) = github.state.check_runs
    paths = {a["path"] for a in github.annotations(check_id)}
    assert "deploy/gitops/clusters/production/deploy.yaml" in paths
    assert all(p.startswith("deploy/gitops/") for p in paths)
