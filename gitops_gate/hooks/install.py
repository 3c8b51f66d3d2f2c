"""`gitops-gate hooks install`: plain git hooks for teams without the pre-commit framework."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gitops_gate import gitrefs
from gitops_gate._bundled import bundled
from gitops_gate.errors import UsageError

HOOKS = ("pre-commit", "pre-push")
MARKER = "installed by `gitops-gate hooks install`"
_PYTHON_LINE = re.compile(r"^GITOPS_GATE_PYTHON=.*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Installed:
    """One hook file written (or left alone) by install."""

    name: str
    path: Path
    written: bool
    reason: str = ""


def install(repo: Path, *, hooks: tuple[str, ...] = HOOKS, force: bool = False) -> list[Installed]:
    """Write the hooks into repo's hooks folder; an existing foreign hook is kept unless force."""
    unknown = [h for h in hooks if h not in HOOKS]
    if unknown:
        raise UsageError(f"unknown hook {unknown[0]!r}", hint=f"use one of: {', '.join(HOOKS)}")
    try:
        target = gitrefs.hooks_dir(gitrefs.open_repo(repo))
    except UsageError as e:
        raise UsageError(f"{repo} is not in a git repository", hint="run `git init` first") from e
    _make_folder(target)
    return [_install_one(name, target / name, force=force) for name in hooks]


def _make_folder(target: Path) -> None:
    """The hooks folder, made if missing; core.hooksPath naming a file (/dev/null, a common
    way to turn hooks off) or an unwritable place is a usage error, not a crash."""
    if target.exists() and not target.is_dir():
        raise UsageError(
            f"git's hooks folder {target} is not a folder (core.hooksPath?): git runs no hooks",
            hint="run `git config --unset core.hooksPath`, or point it at a folder",
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"cannot create git's hooks folder {target}: {e.strerror}") from e


def hook_text(name: str, python: str | None = None) -> str:
    """The hook script from hooks/, pointed at the Python that runs this gitops-gate."""
    text = (bundled("hooks") / name).read_text()
    return _PYTHON_LINE.sub(f"GITOPS_GATE_PYTHON={_quote(python or sys.executable)}", text)


def _install_one(name: str, path: Path, *, force: bool) -> Installed:
    there = path.exists() or path.is_symlink()
    if there and not force and MARKER not in _read(path):
        return Installed(name, path, False, "a hook is already there (use --force to replace it)")
    _replace(path, hook_text(name))
    return Installed(name, path, True)


def _replace(path: Path, text: str) -> None:
    """Write the hook as a new file renamed over path: a link there is replaced, never written
    through (a hook linked to a file elsewhere would have had that file overwritten)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        Path(tmp).chmod(0o755)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"
