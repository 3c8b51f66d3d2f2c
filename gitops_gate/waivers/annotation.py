"""`gitops-gate.io/waive` annotations: each waives one rule for the resource it sits on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from gitops_gate.findings import Finding, Waiver
from gitops_gate.manifests.model import Resource
from gitops_gate.waivers.model import ANNOTATION, WaiverRule, parse_date, problem

_ANNOTATED = re.compile(r"^\s*(?P<rule>[a-z0-9][\w.-]*)\s*:\s*(?P<rest>.+)$")


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
