"""A change is diffed with its base's settings: it cannot hide itself from its own diff."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.diff.fixtures import deployment, three_envs
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

pytestmark = pytest.mark.slow
HIDE_CONTAINERS = "version: 1\ndiff: {ignorePaths: [/spec/template/spec/containers]}\n"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _images(cli: Callable[..., Any], base: str) -> dict[str, Any]:
    run = cli("diff", "--base", base, "--format", "json")
    assert run.code == 0, run.err
    return {e["environment"]: e["images"] for e in json.loads(run.out)["environments"]}


def test_ignore_paths_added_by_the_change_do_not_hide_its_image_change(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    repo = make_repo(root, three_envs())
    commit(repo, {
        ".gitops-gate.yaml": HIDE_CONTAINERS,
        "web/base/web.yaml": deployment("web", "nginx:1.28"),
    }, "a new image, hidden")  # fmt: skip
    monkeypatch.chdir(root)

    images = _images(cli, "main~1")

    assert images["production"] == [{"old": "nginx:1.27", "new": "nginx:1.28"}]


def test_ignore_paths_of_the_base_still_apply(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    repo = make_repo(root, {**three_envs(), ".gitops-gate.yaml": HIDE_CONTAINERS})
    commit(repo, {"web/base/web.yaml": deployment("web", "nginx:1.28")}, "a new image")
    monkeypatch.chdir(root)

    assert _images(cli, "main~1") == {"dev": [], "production": [], "staging": []}
