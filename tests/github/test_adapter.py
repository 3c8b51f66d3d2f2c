"""The GitHub adapter over real HTTP: unreachable APIs, scrubbed tokens, pull requests opened."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from gitops_gate.github import GitHubError, connect
from gitops_gate.github.pulls import create_pull, label_author, read_pull
from gitops_gate.prcheck import read_inputs
from tests.helpers.github_server import GitHubServer, serving

TOKEN = "ghs_" + "A" * 36


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with serving(TOKEN) as server:
        yield server


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_api_is_one_line_after_retries() -> None:
    slept: list[float] = []
    gh = connect(TOKEN, "acme/gitops", api_url=f"http://127.0.0.1:{_closed_port()}",
                 sleep=slept.append)  # fmt: skip

    with pytest.raises(GitHubError) as raised:
        read_pull(gh, 1)

    assert raised.value.one_line() == (
        "cannot reach the GitHub API to read pull request #1: ConnectionError "
        "(check GITHUB_API_URL and the network)"
    )
    assert slept == [1.0, 2.0, 4.0, 8.0] and raised.value.exit_code == 3


def test_a_server_echoing_the_token_never_shows_it(github: GitHubServer) -> None:
    github.fail("GET", "/pulls/1$", 422, message=f"bad header: token {TOKEN}")
    gh = connect(TOKEN, "acme/gitops", api_url=github.url)

    with pytest.raises(GitHubError) as raised:
        read_pull(gh, 1)

    assert TOKEN not in raised.value.one_line() and "token ***" in raised.value.one_line()


@pytest.mark.parametrize(("token", "repo"), [("", "acme/gitops"), (TOKEN, "gitops")])
def test_a_missing_token_or_a_bad_repo_name_is_one_line(token: str, repo: str) -> None:
    with pytest.raises(GitHubError) as raised:
        connect(token, repo)

    assert raised.value.exit_code == 3 and "\n" not in raised.value.one_line()


def test_the_last_labeller_is_who_added_the_label(github: GitHubServer) -> None:
    github.add_pull(3, base_sha="a" * 40, head_sha="b" * 40)
    github.label(3, "override", by="alice")
    github.label(3, "other", by="bob")
    github.label(3, "override", by="carol")
    gh = connect(TOKEN, "acme/gitops", api_url=github.url)

    assert label_author(gh, 3, "override") == "carol"
    assert label_author(gh, 3, "missing") is None


def test_a_fork_is_a_head_in_another_repository(github: GitHubServer) -> None:
    github.add_pull(4, base_sha="a" * 40, head_sha="b" * 40, fork=True, labels=("x",))
    gh = connect(TOKEN, "acme/gitops", api_url=github.url)

    pull = read_pull(gh, 4)

    assert (pull.fork, pull.labels, pull.head_sha) == (True, ("x",), "b" * 40)


def test_promotion_can_open_a_pull_request(github: GitHubServer) -> None:
    gh = connect(TOKEN, "acme/gitops", api_url=github.url)

    pull = create_pull(gh, title="promote", body="to production", head="promote/1", base="main")

    (posted,) = github.sent("POST", "/pulls$")
    assert posted.body == {"title": "promote", "body": "to production",
                           "head": "promote/1", "base": "main"}  # fmt: skip
    assert pull.url == f"https://github.example/acme/gitops/pull/{pull.number}"


def test_the_inputs_never_show_the_token() -> None:
    inputs = read_inputs({"GITHUB_TOKEN": TOKEN}, repo="acme/gitops", number=3)

    assert inputs.token == TOKEN
    assert TOKEN not in repr(inputs) and TOKEN not in str(inputs)
