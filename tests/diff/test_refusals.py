"""A PR cannot make `diff` fetch or read outside the repository, whatever the loader skips."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.render import sandbox
from tests.diff.fixtures import three_envs
from tests.helpers.loopback import serving
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

pytestmark = pytest.mark.slow

DEV = "web/overlays/dev/kustomization.yaml"
PATCHES = "namespace: dev\npatches:\n  - path: replicas.yaml\n"
# Ways a committed kustomization is hidden from the loader (and so from the graph).
HIDDEN = [
    pytest.param("node_modules/evil", {}, id="node_modules"),
    pytest.param("evil", {".gitignore": "evil/\n"}, id="gitignored"),
    pytest.param("evil", {".gitops-gate.yaml": "exclude:\n  - evil/**\n"}, id="excluded"),
    pytest.param(
        "evil", {".gitops-gate.yaml": "limits:\n  maxFileBytes: 300\n"}, id="over-maxFileBytes"
    ),
]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def diff(tmp_path: Path, cli: Callable[..., Any], head: dict[str, str]) -> tuple[Any, Any]:
    r = make_repo(tmp_path / "repo", three_envs())
    commit(r, head, "the PR")
    run = cli("diff", str(tmp_path / "repo"), "--base", "main~1", "--format", "json")
    return run, json.loads(run.out)


def found(data: dict[str, Any]) -> list[str]:
    each = [f for e in data["environments"] for f in e["findings"]]
    return sorted({f"{f['rule']} {f['path']}:{f.get('line')}" for f in each})


@pytest.mark.parametrize(("folder", "extra"), HIDDEN)
def test_a_hidden_kustomization_is_screened_and_nothing_is_fetched(
    tmp_path: Path, cli: Callable[..., Any], folder: str, extra: dict[str, str]
) -> None:
    with serving() as server:
        evil = f"resources:\n  - {server.url}\n" + "#" * 400 + "\n"
        up = "../../../" + folder
        run, data = diff(tmp_path, cli, {
            f"{folder}/kustomization.yaml": evil,
            DEV: f"resources:\n  - ../../base\n  - {up}\n{PATCHES}",
            **extra,
        })  # fmt: skip

    assert server.seen == []
    assert "fetched-from-the-network" not in run.out
    assert found(data) == [f"remote-base {folder}/kustomization.yaml:2"]
    assert run.code == 1  # a refused render fails the run, --exit-code or not


@pytest.mark.parametrize(
    "target", ["../../../../../../../../etc", "../../../..", "../../../../../repo/web/base"]
)
def test_a_path_out_of_the_repository_is_refused(
    tmp_path: Path, cli: Callable[..., Any], target: str
) -> None:
    run, data = diff(tmp_path, cli, {DEV: f"resources:\n  - ../../base\n  - {target}\n{PATCHES}"})

    assert found(data) == [f"path-outside-root {DEV}:3"]
    assert run.code == 1
    assert [e["counts"] for e in data["environments"] if e["environment"] == "dev"] == [
        {"added": 0, "removed": 0, "changed": 0}
    ]


@pytest.mark.parametrize(
    ("config", "code"), [("diff: {}\n", 3), ("diff:\n  allowUnsandboxedRender: true\n", 0)]
)
def test_no_sandbox_refuses_to_render_unless_the_config_allows_it(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, config: str, code: int
) -> None:
    monkeypatch.setattr(sandbox, "candidates", list)  # as on a host with neither userns nor seccomp
    monkeypatch.setattr(sandbox, "_found", [])
    r = make_repo(tmp_path / "repo", {**three_envs(), ".gitops-gate.yaml": config})
    commit(r, {DEV: f"resources:\n  - ../../base\n{PATCHES}namePrefix: x-\n"}, "the PR")

    run = cli("diff", str(tmp_path / "repo"), "--base", "main~1")

    assert run.code == code
    if code:
        assert run.err.splitlines() == [
            "gitops-gate: kustomize cannot be cut off from the network here (no user namespaces,"
            " no seccomp); refusing to render (set diff.allowUnsandboxedRender: true in the"
            " config to render without it)"
        ]
    else:
        assert "dev: 2 added, 2 removed" in run.out
