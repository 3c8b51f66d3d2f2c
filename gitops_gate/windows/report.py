"""`gitops-gate windows` as a library call: load a repo, decide each environment or app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from gitops_gate.config import find_root, load_config
from gitops_gate.errors import UsageError
from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import LoadOptions, load
from gitops_gate.manifests.yamlsafe import Limits
from gitops_gate.windows.evaluate import Decision, decide
from gitops_gate.windows.glob import glob_match
from gitops_gate.windows.match import Target
from gitops_gate.windows.notes import note_findings
from gitops_gate.windows.sources import Windows, collect
from gitops_gate.windows.timeline import Lane, lane, week_start

if TYPE_CHECKING:
    from gitops_gate.config import Config

WEEK = 7


@dataclass(frozen=True, slots=True)
class Row:
    """One environment or Application and its decision."""

    kind: str  # "environment" or "application"
    name: str
    decision: Decision
    zone: ZoneInfo

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, **self.decision.to_json()}


@dataclass(frozen=True, slots=True)
class WindowsReport:
    """What `gitops-gate windows` shows: a row per subject, an optional week, skipped windows."""

    at: datetime
    zone: ZoneInfo
    rows: tuple[Row, ...]
    findings: tuple[Finding, ...]
    week: tuple[Lane, ...] | None = None
    week_start: datetime | None = None
    started: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schemaVersion": 1,
            "at": self.at.isoformat(),
            "started": self.started.isoformat() if self.started else None,
            "timeZone": self.zone.key,
            "subjects": [r.to_json() for r in self.rows],
            "findings": [f.to_json() for f in self.findings],
            "week": None,
        }
        if self.week is not None and self.week_start is not None:
            out["week"] = {
                "start": self.week_start.isoformat(),
                "days": WEEK,
                "lanes": [ln.to_json() for ln in self.week],
            }
        return out


def windows_report(
    paths: Sequence[Path],
    *,
    config_path: Path | None = None,
    env: str | None = None,
    app: str | None = None,
    at: datetime,
    week: bool = False,
    zone: ZoneInfo | None = None,
    started: datetime | None = None,
) -> WindowsReport:
    """Load the repo at paths (or the config's), then decide every chosen subject at `at`;
    with `started`, also whether a sync begun then may run on (Argo CD's syncOverrun)."""

    root = find_root(paths, config_path)
    config = load_config(root, config_path)
    limits = Limits(max_alias_expansion=config.max_alias_expansion, max_depth=config.max_depth)
    options = LoadOptions(config.exclude, max_file_bytes=config.max_file_bytes, limits=limits)
    loaded = load(list(paths) or [root], root=root, options=options)
    windows = collect(config, loaded.resources)
    subjects = _subjects(windows, config, env, app)
    shown = zone or _common_zone(windows)
    rows = tuple(
        Row(kind, name, decide(windows.groups(targets), at, started=started), shown)
        for kind, name, targets in subjects
    )
    findings = (*windows.findings, *note_findings(windows.all))
    if not week:
        return WindowsReport(at, shown, rows, findings, started=started)
    start = week_start(at, shown)
    lanes = tuple(lane(name, windows.groups(ts), start, WEEK) for _, name, ts in subjects)
    return WindowsReport(at, shown, rows, findings, lanes, start, started)


def _subjects(
    windows: Windows, config: Config, env: str | None, app: str | None
) -> list[tuple[str, str, list[Target]]]:
    environments = list(config.environments)
    if env is not None:
        environments = [e for e in environments if e.name == env]
        if not environments:
            known = ", ".join(e.name for e in config.environments) or "none"
            raise UsageError(f"no environment named {env!r}", hint=f"known: {known}")
    if app is None:
        return [("environment", e.name, windows.targets_of(e)) for e in environments]
    names = {e.name for e in environments}
    targets = [
        t
        for t in windows.targets
        if glob_match(app, t.name) and (env is None or names & set(t.environments))
    ]
    if not targets:
        known = ", ".join(sorted({t.name for t in windows.targets})) or "none"
        raise UsageError(f"no Application matches {app!r}", hint=f"known: {known}")
    return [("application", t.name, [t]) for t in targets]


def _common_zone(windows: Windows) -> ZoneInfo:
    """The windows' own zone when they share one, so times read as their authors wrote them."""
    zones = {w.zone.key for w in windows.all}
    return ZoneInfo(zones.pop()) if len(zones) == 1 else ZoneInfo("UTC")
