"""`gitops-gate tools doctor`: the table a user reads, with and without Go."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from gitops_gate.tools import PINS
from tests.conftest import Run
from tests.tools.conftest import FakeTool

Cli = Callable[..., Run]


def test_without_go_or_tools_the_table_lists_everything_missing_and_how_to_get_it(
    cli: Cli, private_cache: Path, bare_path: Path
) -> None:
    result = cli("tools", "doctor")

    assert result.code == 3
    lines = result.out.splitlines()
    assert lines[0].split() == ["TOOL", "WANTED", "FOUND", "PATH", "STATUS"]
    assert [line.split() for line in lines[1 : 1 + len(PINS)]] == [
        [name, pin.version, "-", "-", "missing"] for name, pin in PINS.items()
    ]
    (advice,) = lines[1 + len(PINS) :]
    assert advice.startswith("`go` is not on PATH, so the pinned tools cannot be built")
    assert "kube-apiserver v1.33.13 from https://dl.k8s.io/" in advice
    assert advice.endswith("until then the built-in engines are used)")


def test_the_table_shows_found_versions_paths_and_where_they_came_from(
    cli: Cli, private_cache: Path, bare_path: Path, fake_tool: FakeTool
) -> None:
    for pin in PINS.values():
        if pin.name != "kustomize":
            fake_tool(private_cache / pin.dir_name, pin.name)
    stale = fake_tool(bare_path, "kustomize", "v5.4.3")
    on_path = fake_tool(bare_path, "etcd")
    (private_cache / PINS["etcd"].dir_name / "etcd").unlink()

    result = cli("tools", "doctor")

    assert result.code == 3
    rows = {
        line.split()[0]: line.split()[1:] for line in result.out.splitlines()[1 : 1 + len(PINS)]
    }
    assert rows["conftest"] == [
        "v0.71.1",
        "0.71.1",
        str(private_cache / "conftest-v0.71.1" / "conftest"),
        "ok",
    ]
    assert rows["kustomize"] == ["v5.8.2", "v5.4.3", str(stale), "wrong", "version"]
    assert rows["etcd"] == ["v3.5.24", "3.5.24", str(on_path), "ok", "(path)"]
    assert result.out.splitlines()[-1] == (
        "`go` is not on PATH, so the pinned tools cannot be built (install Go >= 1.26.8 from "
        "https://go.dev/dl/ and rerun `gitops-gate tools install`, or put each on PATH: "
        "kustomize v5.8.2 from "
        "https://github.com/kubernetes-sigs/kustomize/releases/tag/kustomize%2Fv5.8.2; "
        "until then the built-in engines are used)"
    )


def test_all_present_exits_0_and_json_is_stable(
    cli: Cli, private_cache: Path, bare_path: Path, fake_tool: FakeTool
) -> None:
    for pin in PINS.values():
        fake_tool(private_cache / pin.dir_name, pin.name)

    text = cli("tools", "doctor")
    first = cli("tools", "doctor", "--format", "json")
    second = cli("tools", "doctor", "--format", "json")

    assert text.code == first.code == 0
    assert text.out.splitlines()[-1] == "go: not found (not needed: every tool is present)"
    assert first.out == second.out
    payload = json.loads(first.out)
    assert list(payload) == ["schemaVersion", "tools"]
    assert payload["tools"][4] == {
        "found": "v1.33.13",
        "path": str(private_cache / "kube-apiserver-v1.33.13" / "kube-apiserver"),
        "source": "cache",
        "status": "ok",
        "tool": "kube-apiserver",
        "wanted": "v1.33.13",
    }
