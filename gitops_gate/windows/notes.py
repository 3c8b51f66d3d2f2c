"""Findings for AppProject windows Argo CD reads differently from how they are written."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_gate.findings import Finding, Severity
from gitops_gate.windows.model import SyncWindow
from gitops_gate.windows.sources import CHECK, RULE


def note_findings(windows: Sequence[SyncWindow]) -> list[Finding]:
    """An error for each window Argo CD cannot parse, a warning for each note on the rest."""
    findings = []
    for window in windows:
        if window.broken:
            findings.append(_finding(window, Severity.ERROR, _blocks(window)))
        findings += [_finding(window, Severity.WARNING, note) for note in window.notes]
    return findings


def _blocks(window: SyncWindow) -> str:
    return (
        f"{window.broken}: Argo CD cannot parse this window, so while it exists it refuses "
        "every sync of the Applications it matches, manual ones too (fix or remove it)"
    )


def _finding(window: SyncWindow, severity: Severity, text: str) -> Finding:
    o = window.origin
    message = f"sync window {window.name}: {text}"
    return Finding(RULE, severity, message, CHECK, o.path, o.line, o.resource)
