"""`tools doctor`: for each pinned tool, what is wanted, what is found where, and if it fits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from gitops_gate.errors import GateError
from gitops_gate.tools import gobuild
from gitops_gate.tools.pins import PINS, Pin
from gitops_gate.tools.resolve import Candidate, Source, candidates

Status = Literal["ok", "missing", "wrong version"]


@dataclass(frozen=True, slots=True)
class DoctorRow:
    """One line of the doctor's table."""

    tool: str
    wanted: str
    found: str | None
    path: Path | None
    source: Source | None
    status: Status

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "wanted": self.wanted,
            "found": self.found,
            "path": str(self.path) if self.path else None,
            "source": self.source,
            "status": self.status,
        }


@dataclass(frozen=True, slots=True)
class GoStatus:
    """The Go toolchain `tools install` would build with, if any."""

    path: Path | None
    version: str | None


def doctor() -> list[DoctorRow]:
    """One row per pinned tool, reporting the binary resolve() would use (or the nearest miss)."""
    return [_row(pin) for pin in PINS.values()]


def go_status() -> GoStatus:
    go = gobuild.go_binary()
    if go is None:
        return GoStatus(None, None)
    try:
        return GoStatus(go, gobuild.go_version(go))
    except GateError:
        return GoStatus(go, None)


def _row(pin: Pin) -> DoctorRow:
    found = candidates(pin.name)
    good = [c for c in found if c.version is not None and pin.matches(c.version)]
    if good:
        return _from(pin, good[0], "ok")
    if found:
        return _from(pin, found[0], "wrong version")
    return DoctorRow(pin.name, pin.version, None, None, None, "missing")


def _from(pin: Pin, cand: Candidate, status: Status) -> DoctorRow:
    return DoctorRow(
        pin.name, pin.version, cand.version or "unknown", cand.path, cand.source, status
    )
