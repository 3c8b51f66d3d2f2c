"""`tools install`: build each missing pinned tool into the cache, atomically, and check it."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gitops_gate.errors import EnvironmentProblem, ToolError
from gitops_gate.tools import gobuild
from gitops_gate.tools.pins import PINS, Pin
from gitops_gate.tools.resolve import cache_dir, cached_path, pin_for, read_version

Progress = Callable[[str], None]
Status = Literal["present", "installed"]

GO_URL = "https://go.dev/dl/"
# The newest `go` line among the pins (conftest v0.71.1's go.mod).
MIN_GO = "1.26.8"


@dataclass(frozen=True, slots=True)
class InstallResult:
    """One tool after `install`: already present, or built just now (seconds is build time)."""

    name: str
    version: str
    path: Path
    status: Status
    seconds: float


def install(
    names: Sequence[str] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> list[InstallResult]:
    """Make every named tool (default: all) present in the cache at its pinned version."""
    pins = [pin_for(n) for n in dict.fromkeys(names)] if names else list(PINS.values())
    say = progress or (lambda _msg: None)
    needed = [p for p in pins if force or not is_installed(p)]
    go = gobuild.go_binary()
    if needed and go is None:
        raise go_missing(needed)
    results = []
    for pin in pins:
        if pin in needed and go is not None:
            results.append(_install_one(pin, go, force=force, say=say))
        else:
            results.append(_present(pin))
    return results


def is_installed(pin: Pin) -> bool:
    """True when the cache holds pin's binary and it reports the pinned version."""
    path = cached_path(pin)
    if not path.is_file():
        return False
    found = read_version(pin, path)
    return found is not None and pin.matches(found)


def go_missing(pins: Sequence[Pin]) -> EnvironmentProblem:
    """The one line for a machine without Go: how to get each tool, and what happens meanwhile."""
    each = "; ".join(f"{p.name} {p.version} from {p.release_url}" for p in pins)
    return EnvironmentProblem(
        "`go` is not on PATH, so the pinned tools cannot be built",
        hint=(
            f"install Go >= {MIN_GO} from {GO_URL} and rerun `gitops-gate tools install`, "
            f"or put each on PATH: {each}; until then the built-in engines are used"
        ),
    )


def _present(pin: Pin) -> InstallResult:
    return InstallResult(pin.name, pin.version, cached_path(pin), "present", 0.0)


def _install_one(pin: Pin, go: Path, *, force: bool, say: Progress) -> InstallResult:
    with _lock(pin):
        # Another process may have built it while we waited for the lock.
        if not force and is_installed(pin):
            return _present(pin)
        say(f"building {pin.name} {pin.version} ({pin.build.value}; this can take minutes)")
        started = time.monotonic()
        staged = Path(tempfile.mkdtemp(prefix=f".partial-{pin.dir_name}-", dir=cache_dir()))
        try:
            _build_checked(pin, go, staged)
            staged.chmod(0o755)  # mkdtemp made it private; the cache is shared by every clone
            _swap_in(staged, cached_path(pin).parent)
        finally:
            shutil.rmtree(staged, ignore_errors=True)
        seconds = time.monotonic() - started
        say(f"built {pin.name} {pin.version} in {seconds:.0f}s")
        return InstallResult(pin.name, pin.version, cached_path(pin), "installed", seconds)


def _build_checked(pin: Pin, go: Path, out_dir: Path) -> Path:
    try:
        binary = gobuild.build(pin, go, out_dir)
    except ToolError as e:
        log = _write_log(pin, e)
        raise EnvironmentProblem(
            f"building {pin.name} {pin.version} failed: {e.text()}",
            hint=f"full output in {log}; check the Go version and access to GOPROXY",
        ) from e
    found = read_version(pin, binary) if binary.is_file() else None
    if found is None or not pin.matches(found):
        raise EnvironmentProblem(
            f"the {pin.name} just built reports version {found or 'none'}, wanted {pin.version}",
            hint="this is a bug in gitops-gate's pins; please report it",
        )
    return binary


def _swap_in(staged: Path, target: Path) -> None:
    """Replace target with staged in two renames, so readers never see half a tool."""
    old = staged.with_name(staged.name + ".old")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _write_log(pin: Pin, error: ToolError) -> Path:
    log = cache_dir() / "logs" / f"{pin.dir_name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(" ".join(error.cmd) + "\n\n" + error.stderr)
    return log


@contextlib.contextmanager
def _lock(pin: Pin) -> Iterator[None]:
    """One builder per tool across processes (parallel test workers call ensure_tool)."""
    root = cache_dir()
    root.mkdir(parents=True, exist_ok=True)
    with (root / f".{pin.name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
