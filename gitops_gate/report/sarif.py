"""SARIF 2.1.0 for code-scanning uploads: one run, one rule per check/rule, one result a finding."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.escape import block

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_INFO_URI = "https://github.com/gitops-gate/gitops-gate"


def render(
    findings: Sequence[Finding], *, tool_version: str, tool_name: str = "gitops-gate"
) -> str:
    """The SARIF log as sorted, indented JSON (stable across runs)."""
    ordered = sorted(findings, key=Finding.sort_key)
    rule_ids = sorted({_rule_id(f) for f in ordered})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    driver = {
        "name": tool_name,
        "version": tool_version,
        "informationUri": _INFO_URI,
        "rules": [{"id": r, "shortDescription": {"text": r}} for r in rule_ids],
    }
    results = [_result(f, index[_rule_id(f)]) for f in ordered]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2, sort_keys=True)


def _rule_id(f: Finding) -> str:
    return f"{f.check}/{f.rule}"


def _result(f: Finding, rule_index: int) -> dict[str, Any]:
    message = f"{f.resource}: {f.message}" if f.resource else f.message
    out: dict[str, Any] = {
        "ruleId": _rule_id(f),
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        # Code scanning shows the message to people: no bidi or control characters. Paths stay
        # exact (json.dumps escapes them) so the alert lands on the right file.
        "message": {"text": block(message)},
    }
    if f.path is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"}}
        if f.line is not None:
            physical["region"] = {"startLine": max(1, f.line)}
        out["locations"] = [{"physicalLocation": physical}]
    if f.waiver is not None:
        out["suppressions"] = [{"kind": "external", "justification": block(f.waiver.reason)}]
    return out
