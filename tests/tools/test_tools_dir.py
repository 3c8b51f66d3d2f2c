"""GITOPS_GATE_TOOLS_DIR: the pinned tools live where it says, whatever XDG_CACHE_HOME says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.tools import PINS, cache_dir, resolve
from tests.conftest import Run
from tests.tools.conftest import FakeTool


def test_the_tools_dir_wins_over_the_xdg_cache(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bare_path: Path,
    fake_tool: FakeTool,
    cli: Callable[..., Run],
) -> None:
    tools = tmp_path / "shared-tools"
    monkeypatch.setenv("GITOPS_GATE_TOOLS_DIR", str(tools))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "elsewhere"))
    binary = fake_tool(tools / PINS["kubeconform"].dir_name, "kubeconform")

    found = resolve("kubeconform")
    doctor = cli("tools", "doctor")

    assert cache_dir() == tools
    assert (found.path, found.source) == (binary, "cache")
    row = next(line for line in doctor.out.splitlines() if line.startswith("kubeconform"))
    assert str(binary) in row and "v0.8.0" in row
    assert not (tmp_path / "elsewhere" / "gitops-gate" / "tools").exists()


def test_a_tools_dir_under_home_is_expanded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITOPS_GATE_TOOLS_DIR", "~/gate-tools")

    assert cache_dir() == Path.home() / "gate-tools"


def test_a_relative_tools_dir_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Run]
) -> None:
    monkeypatch.setenv("GITOPS_GATE_TOOLS_DIR", "tools")

    result = cli("tools", "doctor")

    assert result.code == 2
    assert result.err.strip() == (
        "gitops-gate: GITOPS_GATE_TOOLS_DIR='tools' is not an absolute path "
        "(give a full path such as ~/.cache/gitops-gate/tools, or unset it)"
    )
