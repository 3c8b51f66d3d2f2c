"""The comment stays within GitHub's 65,536 limit in bytes, and repo text cannot forge markup."""

from __future__ import annotations

import re
from pathlib import Path

from tests.helpers.github_server import GitHubServer
from tests.prcheck.conftest import Runner
from tests.prcheck.scene import BASE_FILES, pull_request

LIMIT = 65_536


def _config_maps(env: str, count: int, value: str) -> dict[str, str]:
    docs = [
        f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}, namespace: shop}}\n"
        f"data:\n  text: {value}{i}\n"
        for i in range(count)
    ]
    return {f"clusters/{env}/maps.yaml": "---\n".join(docs)}


def test_a_huge_multibyte_diff_is_cut_per_environment_within_the_byte_limit(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    euro = "€" * 120  # three bytes each: a character count would overshoot
    base = _config_maps("staging", 300, "old") | _config_maps("production", 2, "old")
    scene = pull_request(
        tmp_path, github,
        _config_maps("staging", 300, euro) | _config_maps("production", 2, "new"),
        base={**BASE_FILES, **base},
    )  # fmt: skip

    run(scene.root)

    (comment,) = github.state.comments.values()
    body = comment["body"]
    assert len(body.encode("utf-8")) <= LIMIT
    assert "Diffs left out to stay within GitHub's comment limit: staging." in body
    assert "+  text: new1" in body  # production's diff still fits whole


def test_repo_controlled_text_cannot_ping_people_or_inject_html(
    tmp_path: Path, github: GitHubServer, run: Runner
) -> None:
    hostile = "<img src=x onerror=alert(1)> @admins"
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\n"
        f"spec:\n  containers:\n    - name: '{hostile}'\n      image: app:latest\n"
    )
    scene = pull_request(tmp_path, github, {"clusters/production/pod.yaml": pod})

    run(scene.root)

    body = next(iter(github.state.comments.values()))["body"]
    # A fenced code block shows its text as it is: only what lies outside one can act.
    prose = re.sub(r"```diff\n.*?\n```", "", body, flags=re.DOTALL)
    assert "\\<img src=x onerror=alert(1)\\> @\u2060admins" in prose
    assert "<img" not in prose.replace("\\<img", "")
    assert "@admins" not in prose
