"""A test run's own caches, state, config and git identity; only the pinned tools are shared."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitops_gate.cachedir import cache_root
from gitops_gate.tools.resolve import TOOLS_DIR_ENV, cache_dir

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}

# What `git rev-parse --local-env-vars` lists: inherited from a hook or an IDE, each would
# point the tests' git at the user's repository or config instead of their own.
_REPO_VARIABLES = (
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_CONFIG",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_PARAMETERS",
    "GIT_DIR",
    "GIT_GRAFT_FILE",
    "GIT_IMPLICIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_NO_REPLACE_OBJECTS",
    "GIT_OBJECT_DIRECTORY",
    "GIT_PREFIX",
    "GIT_REPLACE_REF_BASE",
    "GIT_SHALLOW_FILE",
    "GIT_WORK_TREE",
)


@dataclass(frozen=True)
class Isolation:
    """Where this run keeps what a user's machine would keep, and what it must leave alone."""

    root: Path  # holds the four below; removed when the run ends
    cache: Path  # XDG_CACHE_HOME for the run: results, schemas, secrets, render, crds, ...
    state: Path
    config: Path
    gitconfig: Path
    tools: Path  # the user's pinned tools, shared: each takes minutes to build
    user_cache: Path  # the user's own gitops-gate cache, which the run must not touch


def _xdg(name: str, default: str) -> Path:
    """The user's XDG base directory (a relative value is ignored, as the spec says)."""
    value = os.environ.get(name, "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


def isolate(root: Path, patch: pytest.MonkeyPatch) -> Isolation:
    """Point the process's environment at fresh folders under root; patch.undo() restores it."""
    user_cache, tools = cache_root(), cache_dir()  # read before XDG_CACHE_HOME moves
    _keep_build_caches(patch)
    dirs = {name: root / name for name in ("cache", "state", "config")}
    for name, path in dirs.items():
        path.mkdir(parents=True)
        patch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    gitconfig = root / "gitconfig"
    gitconfig.write_text("# the test run's global git config: nothing of the user's\n")
    for name in _REPO_VARIABLES:
        patch.delenv(name, raising=False)
    patch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    patch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name, value in IDENTITY.items():
        patch.setenv(name, value)
    patch.setenv(TOOLS_DIR_ENV, str(tools))
    return Isolation(
        root, dirs["cache"], dirs["state"], dirs["config"], gitconfig, tools, user_cache
    )


def _keep_build_caches(patch: pytest.MonkeyPatch) -> None:
    """Go and pip find their caches (and Go its settings) through the XDG folders: keep the
    user's, so a tool a test builds reuses compiled packages, the user's GOPROXY/GOFLAGS still
    apply, and a hook environment does not download every package again on each run."""
    if not os.environ.get("GOCACHE"):
        patch.setenv("GOCACHE", str(_xdg("XDG_CACHE_HOME", ".cache") / "go-build"))
    if not os.environ.get("GOENV"):
        patch.setenv("GOENV", str(_xdg("XDG_CONFIG_HOME", ".config") / "go" / "env"))
    if not os.environ.get("PIP_CACHE_DIR"):
        patch.setenv("PIP_CACHE_DIR", str(_xdg("XDG_CACHE_HOME", ".cache") / "pip"))
