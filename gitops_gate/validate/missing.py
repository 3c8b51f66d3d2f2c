"""Missing schemas, summarised once per kind: 438 warnings for five CRDs hid everything else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gitops_gate.findings import Finding

RULE = "no-schema"
HINT = "add its CRD with --crd-dir or validate.crdDirs, or list the kind in validate.skipKinds"


def summarise(findings: Sequence[Finding]) -> list[Finding]:
    """findings with each kind's no-schema findings folded into one, where the first stood.

    Runs after the per-file result cache has stored and returned per-resource findings, so a
    cached file still counts towards its kind's total."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.rule == RULE:
            groups.setdefault(_what(f), []).append(f)
    out: list[Finding] = []
    for f in findings:
        if f.rule != RULE:
            out.append(f)
        elif (group := groups.get(_what(f))) is not None and group[0] is f:
            out.append(_folded(group))
    return out


def _what(finding: Finding) -> str:
    """`no schema for HelmRelease helm.toolkit.fluxcd.io/v2`: the kind, without the hint."""
    return f"{finding.severity.label} {finding.message.split(' (', 1)[0]}"


def _folded(group: list[Finding]) -> Finding:
    if len(group) == 1:
        return group[0]
    first = min(group, key=lambda f: (f.path or "", f.line or 0))
    what = first.message.split(" (", 1)[0]
    message = f"{what} ({len(group)} resources, first at {first.location}): {HINT}"
    locations = sorted({f.location for f in group})
    return replace(first, message=message, extra={**first.extra, "locations": locations})
