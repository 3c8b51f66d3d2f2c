"""Findings as check run annotations: file:line from the repository's top, worst first."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.escape import block, line

_LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "notice"}
MESSAGE_LIMIT = 60_000  # bytes: GitHub takes 64 KB a message, and four-byte characters exist
TITLE_LIMIT = 255


def worst_first(findings: Sequence[Finding]) -> list[Finding]:
    """Unwaived errors, warnings, notices, then waived findings; by place within each."""
    return sorted(findings, key=lambda f: (f.waiver is not None, -f.severity, f.sort_key()))


def annotations_of(findings: Sequence[Finding], prefix: str) -> list[dict[str, Any]]:
    """One annotation a finding that has a file; prefix is the config root's folder in the
    repository ("" at its top): GitHub places annotations by paths from the top."""
    out = []
    for f in worst_first(findings):
        if f.path is None:
            continue  # GitHub needs a file: these are in the summary
        where = f"{f.resource}: " if f.resource else ""
        waived = f" (waived: {f.waiver.reason})" if f.waiver else ""
        lineno = f.line or 1
        out.append(
            {
                "path": posixpath.join(prefix, f.path) if prefix else f.path,
                "start_line": lineno,
                "end_line": lineno,
                "annotation_level": "notice" if f.waiver else _LEVEL[f.severity],
                "title": line(f"{f.check}/{f.rule}")[:TITLE_LIMIT],
                "message": _cut(block(where + f.message + waived), MESSAGE_LIMIT),
            }
        )
    return out


def _cut(text: str, limit: int) -> str:
    """text within limit UTF-8 bytes, cut on a character."""
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", errors="ignore")
