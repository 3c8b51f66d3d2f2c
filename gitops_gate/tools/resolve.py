"""Find a pinned binary (configured path, then the tool cache, then PATH) and check its version."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gitops_gate._run import run
from gitops_gate.cachedir import ResultCache, cache_root
from gitops_gate.errors import GateError, ToolNotFoundError, UsageError
from gitops_gate.tools.pins import PINS, Pin

Source = Literal["configured", "cache", "path"]

INSTALL_HINT = "run `gitops-gate tools install`"
_VERSION_TIMEOUT = 30.0
_VERSIONS = "tool-versions-1"  # the record's name: a new parse_version needs a new one


@dataclass(frozen=True, slots=True)
class ResolvedTool:
    """A binary whose version matches its pin."""

    name: str
    path: Path
    version: str
    source: Source


@dataclass(frozen=True, slots=True)
class Candidate:
    """A binary found on the search path, with the version it reports (None: unreadable)."""

    path: Path
    source: Source
    version: str | None


TOOLS_DIR_ENV = "GITOPS_GATE_TOOLS_DIR"


def cache_dir() -> Path:
    """Where installed tools live: outside any work tree, so every clone shares them.

    $GITOPS_GATE_TOOLS_DIR moves only the tools (minutes each to build) and leaves every other
    cache where XDG_CACHE_HOME says: a test run or a CI job gets fresh caches, not fresh builds.
    """
    chosen = os.environ.get(TOOLS_DIR_ENV, "")
    if not chosen:
        return cache_root() / "tools"
    path = Path(chosen).expanduser()
    if not path.is_absolute():
        raise UsageError(
            f"{TOOLS_DIR_ENV}={chosen!r} is not an absolute path",
            hint="give a full path such as ~/.cache/gitops-gate/tools, or unset it",
        )
    return path


def cached_path(pin: Pin) -> Path:
    """Where `tools install` puts the binary for pin."""
    return cache_dir() / pin.dir_name / pin.name


def pin_for(name: str) -> Pin:
    try:
        return PINS[name]
    except KeyError:
        raise UsageError(f"unknown tool {name!r}", hint=f"use one of: {', '.join(PINS)}") from None


def candidates(name: str, *, configured: Path | None = None) -> list[Candidate]:
    """Every binary for name in search order, with the version each reports."""
    return list(_candidates(name, configured))


def _candidates(name: str, configured: Path | None) -> Iterator[Candidate]:
    """candidates(), one at a time: resolve() stops asking versions at the first match."""
    pin = pin_for(name)
    places: list[tuple[Path | None, Source]] = [
        (configured, "configured"),
        (cached_path(pin), "cache"),
        (_on_path(pin.name), "path"),
    ]
    for path, source in places:
        if path is not None and _executable(path):
            yield Candidate(path, source, read_version(pin, path))


def find(name: str, *, configured: Path | None = None) -> ResolvedTool | None:
    """The binary resolve() would return, or None."""
    try:
        return resolve(name, configured=configured)
    except ToolNotFoundError:
        return None


def resolve(name: str, *, configured: Path | None = None) -> ResolvedTool:
    """The first binary in search order whose version matches the pin, or ToolNotFoundError."""
    pin = pin_for(name)
    if configured is not None and not _executable(configured):
        raise ToolNotFoundError(
            f"{name} is configured as {configured} but that is not an executable file",
            hint=f"fix the path or remove it to use the pinned {name} {pin.version}",
        )
    found: list[Candidate] = []
    for cand in _candidates(name, configured):
        if cand.version is not None and pin.matches(cand.version):
            return ResolvedTool(name, cand.path, cand.version, cand.source)
        found.append(cand)
        if cand.source == "configured":
            # A configured path is a decision: never silently replace it with another binary.
            break
    if not found:
        raise ToolNotFoundError(f"{name} {pin.version} was not found", hint=INSTALL_HINT)
    first = found[0]
    raise ToolNotFoundError(
        f"{name} at {first.path} is {first.version or 'of unknown version'}, wanted {pin.version}",
        hint=INSTALL_HINT if first.source != "configured" else "fix the configured path",
    )


def read_version(pin: Pin, path: Path) -> str | None:
    """The version the binary at path reports, or None if it reports none or cannot run."""
    stat = path.stat()
    # A rebuilt, replaced or edited binary differs in one of these: ctime cannot be set back.
    identity = (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    installed = path == cached_path(pin)
    return _read_version(pin.name, str(path), ":".join(map(str, identity)), installed)


@functools.lru_cache(maxsize=64)
def _read_version(name: str, path: str, identity: str, installed: bool) -> str | None:
    """Asked once per process; a binary `tools install` built is asked once for good.

    `conftest --version` costs about 24 CPU-ms (Go's package initialisation), which every
    `check` and every hook paid again. Only our own builds are remembered across processes: a
    script or shim elsewhere (asdf, mise, a docker wrapper) may report another version on
    every run without changing itself.
    """
    known = ResultCache(_VERSIONS, enabled=installed)
    key = f"{name}|{path}|{identity}"
    found = known.get(key)
    if isinstance(found, str):
        return found
    pin = PINS[name]
    try:
        done = run([path, *pin.version_args], timeout=_VERSION_TIMEOUT)
    except GateError:
        return None
    version = pin.parse_version(done.stdout + "\n" + done.stderr)
    if version is not None:  # an unreadable version is asked again next time
        # One entry per tool: an older build of it is gone, the other tools' entries stay.
        known.keep({k for k in known.entries if not k.startswith(f"{name}|")})
        known.put(key, version)
        known.save()
    return version


def _on_path(name: str) -> Path | None:
    where = shutil.which(name)
    return Path(where) if where else None


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
