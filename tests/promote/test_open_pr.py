"""--open-pr: the branch pushed to a real bare remote, the pull request opened on a local GitHub."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import git
import pytest

from tests.conftest import Run
from tests.helpers.github_server import GitHubServer, serving
from tests.helpers.tree import commit
from tests.promote.conftest import CONFIG, IMAGE, overlay, root_of

TOKEN = "ghs_" + "p" * 36
LABELS = "promotion:\n  labels: [promotion, needs-approval]\n"


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubServer]:
    with serving(TOKEN) as server:
        for name, value in {"GITHUB_REPOSITORY": "acme/gitops", "GITHUB_TOKEN": TOKEN,
                            "GITHUB_API_URL": server.url}.items():  # fmt: skip
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def remote(seeds: git.Repo, tmp_path: Path) -> git.Repo:
    commit(seeds, {".gitops-gate.yaml": CONFIG + LABELS}, "label promotions")
    bare = git.Repo.init(tmp_path / "remote.git", bare=True)
    seeds.create_remote("origin", str(tmp_path / "remote.git"))
    seeds.git.push("origin", "main")
    return bare


def _only_pull(github: GitHubServer) -> dict[str, object]:
    [pull] = github.state.pulls.values()
    return pull


def test_promote_opens_a_labelled_pull_request_with_the_promotion_diff(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    root = str(root_of(seeds))
    run = cli("promote", "--root", root, "--from", "staging", "--to", "production", "--open-pr",
              "--format", "json")  # fmt: skip
    assert run.code == 0, run.err
    out = json.loads(run.out)
    pull = _only_pull(github)
    assert out["pullRequest"] == pull["html_url"] == "https://github.example/acme/gitops/pull/1"
    assert pull["title"] == f"promote production from staging: {IMAGE} v1.1.0 -> v1.2.0-rc.1"
    assert (pull["head"]["ref"], pull["base"]["ref"]) == (out["branch"], "main")  # type: ignore[index]
    assert [label["name"] for label in pull["labels"]] == ["promotion", "needs-approval"]  # type: ignore[attr-defined]
    body = str(pull["body"])
    assert "### gitops-gate diff: `staging` → `production`" in body
    assert f"`{IMAGE}`: `v1.1.0` → `v1.2.0-rc.1`" in body  # the list of moves
    assert f"image: {IMAGE}:v1.2.0-rc.1" in body  # the rendered diff itself
    assert remote.commit(out["branch"]).hexsha == out["commit"]  # pushed before the PR


def test_set_image_and_revert_bodies_hold_the_diff_their_commit_makes(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    root = str(root_of(seeds))
    done = cli("set-image", "--root", root, "--env", "dev", f"{IMAGE}=v1.2.0-dev.7", "--open-pr")
    assert done.code == 0, done.err
    assert "Pull request: https://github.example/acme/gitops/pull/1" in done.out
    body = str(github.state.pulls[1]["body"])
    base = seeds.commit("main").hexsha[:12]
    heading = f"### gitops-gate diff: `{base}` → `gitops-gate/set-image/dev/web-v1.2.0-dev.7`"
    assert heading in body and f"+      - image: {IMAGE}:v1.2.0-dev.7" in body

    commit(seeds, {"clusters/dev/kustomization.yaml": overlay("v1.2.0-dev.8")}, "bump dev")
    seeds.git.push("origin", "main")
    undone = cli("revert", "--root", root, "--env", "dev", "--open-pr", "--format", "json")
    assert undone.code == 0, undone.err
    pull = github.state.pulls[2]
    assert json.loads(undone.out)["pullRequest"] == pull["html_url"]
    assert str(pull["title"]).startswith("revert ")
    assert f"-      - image: {IMAGE}:v1.2.0-dev.8" in str(pull["body"])


def test_the_pull_request_is_in_the_audit_event_links(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    root = str(root_of(seeds))
    assert cli("set-image", "--root", root, "--env", "dev", f"{IMAGE}=v2", "--open-pr").code == 0
    [row] = [json.loads(line) for line in cli("audit", "export", root).out.splitlines()]
    assert row["event"]["links"]["pullRequest"] == github.state.pulls[1]["html_url"]
    assert row["event"]["result"] == "success"


def test_a_403_is_one_line_naming_the_permission_exit_3_and_the_token_is_never_shown(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    github.state.refused.add("pulls")
    root = str(root_of(seeds))
    run = cli("set-image", "--root", root, "--env", "dev", f"{IMAGE}=v3", "--open-pr")
    assert run.code == 3
    [line] = run.err.strip().splitlines()
    assert "pull-requests: write" in line and "403" in line
    assert not github.state.pulls
    assert [h.name for h in remote.heads] == ["gitops-gate/set-image/dev/web-v3", "main"]
    [row] = [json.loads(x) for x in cli("audit", "export", root).out.splitlines()]
    assert row["event"]["result"] == "degraded" and "pull-requests: write" in row["event"]["reason"]
    shown = [run.out, run.err, cli("audit", "export", root).out]
    shown += [json.dumps(r.body) for r in github.state.requests]
    assert not [s for s in shown if TOKEN in s]


def test_no_token_is_refused_before_anything_is_written(
    seeds: git.Repo,
    remote: git.Repo,
    github: GitHubServer,
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    run = cli("set-image", "--root", str(root_of(seeds)), "--env", "dev", f"{IMAGE}=v4",
              "--open-pr")  # fmt: skip
    assert run.code == 3
    assert run.err.strip() == (
        "gitops-gate: no GitHub token in GITHUB_TOKEN (set it, or name the variable with"
        " --token-env)"
    )
    assert [h.name for h in seeds.heads] == ["main"] and not github.state.requests


def test_repo_token_env_api_url_and_pr_base_from_the_command_line(
    seeds: git.Repo,
    remote: git.Repo,
    github: GitHubServer,
    cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_API_URL"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("DEPLOY_TOKEN", TOKEN)
    seeds.git.push("origin", "main:release")
    run = cli("set-image", "--root", str(root_of(seeds)), "--env", "dev", f"{IMAGE}=v5",
              "--open-pr", "--repo", "acme/gitops", "--token-env", "DEPLOY_TOKEN",
              "--api-url", github.url, "--pr-base", "release")  # fmt: skip
    assert run.code == 0, run.err
    assert _only_pull(github)["base"]["ref"] == "release"  # type: ignore[index]


def test_a_label_that_is_not_a_string_is_a_config_error_before_anything_is_written(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    commit(seeds, {".gitops-gate.yaml": CONFIG + "promotion:\n  labels: [promotion, 3]\n"}, "bad")
    run = cli("set-image", "--root", str(root_of(seeds)), "--env", "dev", f"{IMAGE}=v6",
              "--open-pr")  # fmt: skip
    assert run.code == 2
    assert run.err.strip() == (
        "gitops-gate: .gitops-gate.yaml:12: promotion.labels.1: 3 is not of type 'string'"
    )
    assert [h.name for h in remote.heads] == ["main"] and not github.state.requests


def test_a_create_whose_answer_was_lost_opens_one_pull_request(
    seeds: git.Repo, remote: git.Repo, github: GitHubServer, cli: Callable[..., Run]
) -> None:
    github.fail("POST", r"/pulls$", 502, after=True)  # GitHub stored it, then answered 502
    run = cli("set-image", "--root", str(root_of(seeds)), "--env", "dev", f"{IMAGE}=v7",
              "--open-pr", "--format", "json")  # fmt: skip
    assert run.code == 0, run.err
    assert json.loads(run.out)["pullRequest"] == _only_pull(github)["html_url"]
    assert len(github.sent("POST", r"/pulls$")) == 1
