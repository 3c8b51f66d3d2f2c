"""The event a `check --audit` run records: its verdict, counts by rule, waivers, overrides,
and hashes of the policy set and config it was judged by."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gitops_gate.audit.actor import current_actor, head_revision
from gitops_gate.audit.event import AuditEvent
from gitops_gate.config.model import Config
from gitops_gate.findings import Finding, Severity, Waiver

OVERRIDE_RULE = "window-override"
BLOCKED_RULE = "window-blocked"


def check_event(
    *,
    config: Config,
    findings: Sequence[Finding],
    failed: bool,
    policies: Mapping[str, str],
    changed: Sequence[str] | None = None,
    base: str | None = None,
) -> AuditEvent:
    """The audit event of one check run over config's repository."""
    environments = _environments(config, findings, changed)
    return AuditEvent(
        action="check",
        result=_result(findings, failed),
        actor=current_actor(config.root),
        environment=environments[0] if len(environments) == 1 else None,
        revision=head_revision(config.root),
        objects=tuple(sorted({str(f.resource) for f in findings if f.resource})),
        reason=next((o["reason"] for o in _overrides(findings)), None),
        links={"base": base} if base else {},
        details=_details(config, findings, policies, environments),
    )


def _result(findings: Sequence[Finding], failed: bool) -> str:
    blocked = any(f.rule == BLOCKED_RULE and f.severity >= Severity.ERROR for f in findings)
    return "blocked" if failed and blocked else "failure" if failed else "success"


def _details(
    config: Config, findings: Sequence[Finding], policies: Mapping[str, str], envs: list[str]
) -> dict[str, Any]:
    live = [f for f in findings if f.waiver is None]
    return {
        "counts": dict(Counter(f.severity.label for f in live)),
        "rules": dict(sorted(Counter(f.rule for f in live).items())),
        "waivers": [_waiver(f, f.waiver) for f in findings if f.waiver is not None],
        "overrides": _overrides(findings),
        "environments": envs,
        "failLevel": config.fail_level.label,
        "policySet": policy_set_hash(policies),
        "config": config_hash(config.path),
    }


def _waiver(f: Finding, w: Waiver) -> dict[str, Any]:
    where = str(f.resource) if f.resource else f.location
    return {
        "rule": f.rule,
        "object": where,
        "reason": w.reason,
        "owner": w.owner,
        "expires": w.expires,
    }


def _overrides(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "environment": f.extra.get("environment"),
            "windows": list(f.extra.get("windows") or []),
            "reason": str(f.extra.get("override")),
        }
        for f in findings
        if f.rule == OVERRIDE_RULE
    ]


def _environments(
    config: Config, findings: Sequence[Finding], changed: Sequence[str] | None
) -> list[str]:
    """The environments the run judged: those a changed file or a finding's file is in."""
    files = set(changed or ()) | {f.path for f in findings if f.path}
    if changed is None and not findings:
        return [e.name for e in config.environments]
    return sorted({e.name for rel in files for e in config.environments_of(rel)})


def policy_set_hash(policies: Mapping[str, str]) -> str:
    """SHA-256 over every policy module's path and text, in path order."""
    h = hashlib.sha256()
    for path in sorted(policies):
        h.update(f"{path}\0{policies[path]}\0".encode())
    return h.hexdigest()


def config_hash(path: Path | None) -> str | None:
    """SHA-256 of the config file's bytes; None when the repo has none."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path else None
    except OSError:
        return None
