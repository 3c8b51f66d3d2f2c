"""Sync windows: Argo CD's CanSync rules, computed right across daylight-saving changes.

`decide(groups, at)` answers allowed, manual-only or denied for the Applications whose
matching windows are `groups`, names the windows that decided it and says when the answer
next changes. `collect(config, resources)` reads windows from AppProjects as Argo CD reads
them (one it cannot parse is kept as `broken` and blocks; one it ignores is a finding) and
from `.gitops-gate.yaml` environments (bad ones raise ConfigError).
`gate_findings` is what `check` calls. See `gitops_gate.windows.timing` for how occurrences
are placed in time and where that differs from Argo CD.
"""

from __future__ import annotations

from gitops_gate.windows.evaluate import Decision, Segment, State, decide, segments, verdict
from gitops_gate.windows.gate import check, environment_decision, gate_findings, override_label
from gitops_gate.windows.match import Target
from gitops_gate.windows.model import Kind, SyncWindow
from gitops_gate.windows.sources import Windows, collect

__all__ = [
    "Decision",
    "Kind",
    "Segment",
    "State",
    "SyncWindow",
    "Target",
    "Windows",
    "check",
    "collect",
    "decide",
    "environment_decision",
    "gate_findings",
    "override_label",
    "segments",
    "verdict",
]
