"""Waivers: exempt one rule for one resource, with a reason and an expiry, and say so."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_gate.config import Config
from gitops_gate.findings import Finding, Severity, Waiver
from gitops_gate.manifests.model import Resource

ANNOTATION = "gitops-gate.io/waive"
WAIVERS_FILE = ".gitops-gate-waivers.yaml"
CHECK = "waivers"
INVALID = "waiver-invalid"
DEFAULT_MAX_DAYS = 90
# Rules the checks besides policy report: a waiver may name them (policy ids come from the set).
CHECK_RULES = frozenset(
    "alias-bomb crd-invalid dependency-cycle duplicate-key duplicate-object file-too-large "
    "invalid-encoding invalid-yaml missing-apiversion missing-dependency missing-kind "
    "missing-path missing-reference no-schema not-an-object not-validated not-yaml "
    "path-not-found path-outside-root policy-changed policy-error recursive-alias remote-base "
    "render-failed render-timeout schema-error schema-invalid secret-detected symlink-escape "
    "sync-windows too-deep unresolved-variable window-blocked window-manual-only "
    "window-override".split()
)
_ANNOTATED = re.compile(r"^\s*(?P<rule>[a-z0-9][\w.-]*)\s*:\s*(?P<rest>.+)$")


@dataclass(frozen=True, slots=True)
class WaiverRule:
    """A waiver as written: which rule, which one resource (or file), why, whose, until when."""

    rule: str
    selector: dict[str, str]
    waiver: Waiver
    expires: dt.date
    path: str
    line: int | None

    def covers(self, finding: Finding) -> bool:
        """Exact match on every selector field; no namespace named means none set."""
        if finding.rule != self.rule:
            return False
        key = finding.resource
        values = {
            "kind": key.kind if key else None,
            "name": key.name if key else None,
            "namespace": (key.namespace or None) if key else None,
            "group": key.group if key else None,
            "path": finding.path,
        }
        if "name" in self.selector and "namespace" not in self.selector and values["namespace"]:
            return False
        return all(values[k] == v for k, v in self.selector.items())


def max_days(config: Config) -> int:
    """`waivers.maxDays` of the config: the longest a waiver may run from today."""
    section = config.raw.get("waivers")
    value = section.get("maxDays") if isinstance(section, dict) else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_DAYS


def apply_waivers(
    findings: Sequence[Finding],
    resources: Sequence[Resource],
    root: Path,
    *,
    known_rules: Collection[str],
    today: str | dt.date | None = None,
    longest: int = DEFAULT_MAX_DAYS,
) -> list[Finding]:
    """Findings with waiver set where one applies, plus a finding per refused waiver (and why)."""
    from gitops_gate.waivers_file import from_file

    day = _today(today)
    found, problems = collect(resources)
    file_rules, file_problems = from_file(root)
    live = []
    for w in found + file_rules:
        why = refusal(w, day, longest, CHECK_RULES | set(known_rules))
        if why is None:
            live.append(w)
        else:
            problems.append(problem(w.path, w.line, why[1], rule=why[0]))
    out = []
    for f in findings:
        match = next((w for w in live if w.covers(f)), None)
        out.append(dataclasses.replace(f, waiver=match.waiver) if match else f)
    return out + problems + file_problems


def refusal(
    w: WaiverRule, day: dt.date, longest: int, known: Collection[str]
) -> tuple[str, str] | None:
    """(rule, message) saying why this waiver does not apply today, or None when it does."""
    if w.rule not in known:
        why = f"waiver names unknown rule {w.rule!r}: it would exempt nothing (check its spelling)"
        return INVALID, why
    if w.expires < day:
        return "waiver-expired", f"waiver of {w.rule} expired on {w.expires}"
    if w.expires > day + dt.timedelta(days=longest):
        why = (
            f"waiver of {w.rule} expires {w.expires}, more than {longest} days from {day} "
            "(waivers.maxDays): renew it nearer the time instead"
        )
        return INVALID, why
    return None


def collect(resources: Sequence[Resource]) -> tuple[list[WaiverRule], list[Finding]]:
    """Every waiver in resource annotations, and what is wrong with any."""
    rules: list[WaiverRule] = []
    problems: list[Finding] = []
    for res in resources:
        text = ((res.body.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)
        if text is None:
            continue
        line = res.line_of(["metadata", "annotations", ANNOTATION])
        for entry in str(text).splitlines() or [""]:
            found = _annotation(entry, res, line) if entry.strip() else None
            if isinstance(found, Finding):
                problems.append(found)
            elif found is not None:
                rules.append(found)
    return rules, problems


def _annotation(entry: str, res: Resource, line: int) -> WaiverRule | Finding:
    match = _ANNOTATED.match(entry)
    if match is None:
        why = f"waiver {entry.strip()!r} is not 'rule: reason; expires=YYYY-MM-DD'"
        return problem(res.path, line, why)
    reason, fields = _fields(match.group("rest"))
    expires = parse_date(fields.get("expires"))
    if not reason or expires is None:
        why = f"waiver of {match.group('rule')} needs a reason and expires=YYYY-MM-DD"
        return problem(res.path, line, why)
    # The resource it sits on, exactly: an annotation cannot reach past its own resource.
    selector = {"kind": res.key.kind, "name": res.key.name, "path": res.path}
    if res.key.namespace:
        selector["namespace"] = res.key.namespace
    waiver = Waiver(reason, str(expires), fields.get("owner"), f"{res.path}:{line}")
    return WaiverRule(match.group("rule"), selector, waiver, expires, res.path, line)


def _fields(rest: str) -> tuple[str, dict[str, str]]:
    fields = {}
    reason = []
    for part in (p.strip() for p in rest.split(";")):
        key, sep, value = part.partition("=")
        if sep and key.strip() in ("expires", "owner"):
            fields[key.strip()] = value.strip()
        elif part:
            reason.append(part)
    return "; ".join(reason), fields


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _today(today: str | dt.date | None) -> dt.date:
    if isinstance(today, dt.date):
        return today
    return dt.date.fromisoformat(today) if today else dt.date.today()


def problem(path: str, line: int | None, message: str, *, rule: str = INVALID) -> Finding:
    return Finding(rule, Severity.ERROR, message, CHECK, path, line)
