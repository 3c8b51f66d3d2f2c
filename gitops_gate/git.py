"""The one way gitops-gate runs git: through _run, with a clean environment and no user hooks.

Plain `git` subprocesses, not GitPython: it cost ~40 ms to import and two `git version` runs
before the first real question, and everything asked here is one git command.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection
from pathlib import Path

from gitops_gate._run import CompletedBytes, run_bytes
from gitops_gate.cachedir import cache_root
from gitops_gate.errors import EnvironmentProblem, ToolNotFoundError

TIMEOUT = 120.0
# Inherited GIT_* variables are dropped (a hook's GIT_DIR or GIT_INDEX_FILE points at the
# user's repo and index), except these, which only say where git and its config live.
_KEPT = ("GIT_EXEC_PATH", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM")
# Whatever git records for us (a worktree's reflog, a commit) names the tool, not the user.
_IDENTITY = {
    "GIT_AUTHOR_NAME": "gitops-gate",
    "GIT_AUTHOR_EMAIL": "gitops-gate@localhost",
    "GIT_COMMITTER_NAME": "gitops-gate",
    "GIT_COMMITTER_EMAIL": "gitops-gate@localhost",
}


def git(
    cwd: Path,
    *args: str,
    stdin: bytes | None = None,
    ok_codes: Collection[int] = (0,),
    index: bool = False,
    user_hooks: bool = False,
) -> CompletedBytes:
    """Run `git args` in cwd; ToolError (a GateError) when it exits outside ok_codes.

    index keeps the index git handed our hook (GIT_INDEX_FILE): `git commit -a` stages into
    a temporary one. user_hooks leaves core.hooksPath alone, for asking where hooks live;
    otherwise it points at an empty folder, so no hook of the user's runs for what we do.
    """
    hooks = [] if user_hooks else ["-c", f"core.hooksPath={no_hooks_dir()}"]
    try:
        return run_bytes(
            ["git", *hooks, *args],
            timeout=TIMEOUT,
            ok_codes=ok_codes,
            cwd=cwd,
            env=environment(index=index),
            stdin=stdin,
        )
    except ToolNotFoundError as e:
        raise EnvironmentProblem("git was not found", hint="install git") from e


def environment(*, index: bool = False) -> dict[str, str]:
    """The GIT_* variables git runs with (the runner drops every other inherited one)."""
    env = {k: os.environ[k] for k in _KEPT if k in os.environ}
    handed = os.environ.get("GIT_INDEX_FILE")
    if index and handed:
        env["GIT_INDEX_FILE"] = str(Path(handed).resolve())
    return {**env, **_IDENTITY}


def no_hooks_dir() -> Path:
    """An empty folder for core.hooksPath (/dev/null as a hooks path fails on some setups)."""
    folder = cache_root() / "no-hooks"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            return folder
    except OSError:
        pass
    # Something was put there, or the cache is not writable: a fresh empty folder instead,
    # one per process (an empty folder in the temp dir is all it leaves behind).
    if not _FALLBACK:
        _FALLBACK.append(Path(tempfile.mkdtemp(prefix="gitops-gate-no-hooks-")))
    return _FALLBACK[0]


_FALLBACK: list[Path] = []


def text(done: CompletedBytes) -> str:
    """stdout as text (paths and shas; git writes them in the file system's encoding)."""
    return os.fsdecode(done.stdout)
