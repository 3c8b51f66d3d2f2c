"""Fixtures for the toolchain tests: the `tools` command registered, a private tool cache."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate import cli
from gitops_gate.tools.pins import PINS, Pin

# What each pinned binary prints for its version command, as captured from real builds.
VERSION_OUTPUT = {
    "conftest": "Conftest: {bare}\nOPA: 1.10.1\n",
    "kubeconform": "{version}\n",
    "kustomize": "{version}\n",
    "etcd": "etcd Version: {bare}\nGit SHA: Not provided (use ./build instead of go build)\n"
    "Go Version: go1.26.8\nGo OS/Arch: linux/amd64\n",
    "kube-apiserver": "Kubernetes {version}\n",
    "gitleaks": "{version}\n",
}


@pytest.fixture(autouse=True)
def _tools_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # Register the command the way cli.py does, in case cli.py does not list it yet.
    if "tools" not in cli._COMMAND_MODULES:
        monkeypatch.setattr(cli, "_COMMAND_MODULES", (*cli._COMMAND_MODULES, "tools"))


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh XDG_CACHE_HOME; returns the tools directory inside it.

    Go's build cache defaults to $XDG_CACHE_HOME/go-build: keep it where it was, so a build
    into the private tool cache reuses compiled packages instead of starting cold.
    """
    gocache = _go_build_cache()
    if gocache:
        monkeypatch.setenv("GOCACHE", gocache)
    monkeypatch.delenv("GITOPS_GATE_TOOLS_DIR", raising=False)  # the suite's shared tools
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "xdg-cache" / "gitops-gate" / "tools"


# Looked up at import, before any fixture narrows PATH.
_GO = shutil.which("go")


@functools.cache
def _go_build_cache() -> str | None:
    go = _GO
    if go is None:
        return None
    done = subprocess.run([go, "env", "GOCACHE"], capture_output=True, text=True, check=True)
    return done.stdout.strip() or None


@pytest.fixture
def bare_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PATH with only a private bin dir and the system's /usr/bin:/bin (no go, no tools)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"]))
    return bin_dir


FakeTool = Callable[..., Path]


@pytest.fixture
def fake_tool() -> FakeTool:
    """Write an executable script at dir/name that prints a version as the real tool does."""

    def write(directory: Path, name: str, version: str | None = None) -> Path:
        pin: Pin = PINS[name]
        version = version or pin.version
        text = VERSION_OUTPUT[name].format(version=version, bare=version.removeprefix("v"))
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        path.write_text(f"#!/bin/sh\ncat <<'EOF'\n{text}EOF\n")
        path.chmod(0o755)
        return path

    return write
