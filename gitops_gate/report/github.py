"""GitHub Actions workflow commands: `::error file=...,line=...::message`, one line a finding."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.escape import github_data, github_property

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(findings: Sequence[Finding]) -> str:
    """Annotations GitHub shows on the changed lines; waived findings become notices."""
    lines = []
    for f in sorted(findings, key=Finding.sort_key):
        command = "notice" if f.waiver is not None else _COMMAND[f.severity]
        props = [f"title={github_property(f'{f.check}/{f.rule}')}"]
        if f.path is not None:
            props.insert(0, f"file={github_property(f.path)}")
            if f.line is not None:
                props.insert(1, f"line={f.line}")
        where = f"{f.resource}: " if f.resource else ""
        waived = f" (waived: {f.waiver.reason})" if f.waiver else ""
        lines.append(f"::{command} {','.join(props)}::{github_data(where + f.message + waived)}")
    return "\n".join(lines)
