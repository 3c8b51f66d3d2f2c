"""Waivers: exempt one rule for one resource, with a reason and an expiry, and say so."""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import EllipsisType
from typing import Any

from gitops_gate.findings import Finding, Severity, Waiver
from gitops_gate.manifests.model import Resource

ANNOTATION = "gitops-gate.io/waive"
WAIVERS_FILE = ".gitops-gate-waivers.yaml"
CHECK = "waivers"
_ANNOTATED = re.compile(r"^\s*(?P<rule>[a-z0-9][\w.-]*)\s*:\s*(?P<rest>.+)$")
_SELECTOR_KEYS = ("kind", "name", "namespace", "group", "path")


@dataclass(frozen=True, slots=True)
class WaiverRule:
    """A waiver as written: which rule, which resources, why, whose, until when."""

    rule: str
    selector: dict[str, str]
    waiver: Waiver
    expires: dt.date | None
    path: str
    line: int | None

    def covers(self, finding: Finding) -> bool:
        if finding.rule != self.rule:
            return False
        key = finding.resource
        values = {
            "kind": key.kind if key else None,
            "name": key.name if key else None,
            "namespace": key.namespace if key else None,
            "group": key.group if key else None,
            "path": finding.path,
        }
        return all(
            values[k] is not None and fnmatch.fnmatchcase(str(values[k]), pattern)
            for k, pattern in self.selector.items()
        )


def apply_waivers(
    findings: Sequence[Finding],
    resources: Sequence[Resource],
    root: Path,
    *,
    today: str | dt.date | None = None,
    file_text: str | EllipsisType | None = ...,
) -> list[Finding]:
    """Findings with waiver set where one applies, plus a finding per bad or expired waiver.

    file_text is the waivers file as the base ref of a checked change has it (None: it has
    none), so the change cannot waive its own findings; by default the file under root.
    """
    day = _today(today)
    rules, problems = collect(resources, root, file_text)
    live = []
    for w in rules:
        if w.expires is not None and w.expires < day:
            problems.append(_problem(w.path, w.line, f"waiver of {w.rule} expired on {w.expires}"))
        else:
            live.append(w)
    out = []
    for f in findings:
        match = next((w for w in live if w.covers(f)), None)
        out.append(dataclasses.replace(f, waiver=match.waiver) if match else f)
    return out + problems


def collect(
    resources: Sequence[Resource], root: Path, file_text: str | EllipsisType | None = ...
) -> tuple[list[WaiverRule], list[Finding]]:
    """Every waiver in resource annotations and the waivers file, and what is wrong with any."""
    rules: list[WaiverRule] = []
    problems: list[Finding] = []
    for res in resources:
        text = ((res.body.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION)
        if text is None:
            continue
        line = res.line_of(["metadata", "annotations", ANNOTATION])
        for entry in str(text).splitlines() or [""]:
            if entry.strip():
                _annotation(entry, res, line, rules, problems)
    file_rules, file_problems = _from_file(root, file_text)
    return rules + file_rules, problems + file_problems


def _annotation(
    entry: str, res: Resource, line: int, rules: list[WaiverRule], problems: list[Finding]
) -> None:
    match = _ANNOTATED.match(entry)
    if match is None:
        problems.append(
            _problem(
                res.path,
                line,
                f"waiver {entry.strip()!r} is not 'rule: reason; expires=YYYY-MM-DD'",
            )
        )
        return
    reason, fields = _fields(match.group("rest"))
    expires = _date(fields.get("expires"))
    if not reason or expires is None:
        problems.append(
            _problem(
                res.path,
                line,
                f"waiver of {match.group('rule')} needs a reason and expires=YYYY-MM-DD",
            )
        )
        return
    selector = {"kind": res.key.kind, "name": res.key.name, "path": res.path}
    if res.key.namespace:
        selector["namespace"] = res.key.namespace
    waiver = Waiver(reason, str(expires), fields.get("owner"), f"{res.path}:{line}")
    rules.append(WaiverRule(match.group("rule"), selector, waiver, expires, res.path, line))


def _fields(rest: str) -> tuple[str, dict[str, str]]:
    parts = [p.strip() for p in rest.split(";")]
    fields = {}
    reason = []
    for part in parts:
        key, sep, value = part.partition("=")
        if sep and key.strip() in ("expires", "owner"):
            fields[key.strip()] = value.strip()
        elif part:
            reason.append(part)
    return "; ".join(reason), fields


def _from_file(
    root: Path, text: str | EllipsisType | None
) -> tuple[list[WaiverRule], list[Finding]]:
    path = root / WAIVERS_FILE
    if text is ...:
        text = path.read_text(encoding="utf-8") if path.is_file() else None
    if text is None:
        return [], []
    import yaml

    try:
        body: Any = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [_problem(WAIVERS_FILE, line, f"not valid YAML: {getattr(e, 'problem', e)}")]
    entries = body.get("waivers") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return [], [_problem(WAIVERS_FILE, 1, "expected a top-level list 'waivers:'")]
    rules, problems = [], []
    for n, entry in enumerate(entries):
        rule = _file_entry(entry, n)
        if isinstance(rule, Finding):
            problems.append(rule)
        else:
            rules.append(rule)
    return rules, problems


def _file_entry(entry: Any, n: int) -> WaiverRule | Finding:
    where = f"waivers[{n}]"
    if not isinstance(entry, dict):
        return _problem(WAIVERS_FILE, None, f"{where} is not a mapping")
    missing = [k for k in ("rule", "resource", "reason", "owner", "expires") if not entry.get(k)]
    if missing:
        return _problem(WAIVERS_FILE, None, f"{where} lacks {', '.join(missing)}")
    selector = entry["resource"]
    if not isinstance(selector, dict) or not set(selector) <= set(_SELECTOR_KEYS):
        keys = ", ".join(_SELECTOR_KEYS)
        return _problem(WAIVERS_FILE, None, f"{where}.resource must be a mapping of {keys}")
    expires = _date(entry["expires"])
    if expires is None:
        return _problem(WAIVERS_FILE, None, f"{where}.expires is not a date (YYYY-MM-DD)")
    waiver = Waiver(str(entry["reason"]), str(expires), str(entry["owner"]), f"{WAIVERS_FILE}#{n}")
    sel = {k: str(v) for k, v in selector.items()}
    return WaiverRule(str(entry["rule"]), sel, waiver, expires, WAIVERS_FILE, None)


def _date(value: Any) -> dt.date | None:
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


def _problem(path: str, line: int | None, message: str) -> Finding:
    rule = "waiver-expired" if "expired" in message else "waiver-invalid"
    return Finding(rule, Severity.ERROR, message, CHECK, path, line)
