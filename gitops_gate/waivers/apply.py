"""Apply waivers to findings: each one used is reported on its finding, each refused says why."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence
from pathlib import Path
from types import EllipsisType

from gitops_gate.findings import Finding
from gitops_gate.manifests.model import Resource
from gitops_gate.waivers.annotation import collect
from gitops_gate.waivers.file import from_file
from gitops_gate.waivers.model import INVALID, WaiverRule, problem

DEFAULT_MAX_DAYS = 90
# Rules the checks besides policy report: a waiver may name them (policy ids come from the set).
CHECK_RULES = frozenset(
    "alias-bomb crd-invalid dependency-cycle duplicate-key duplicate-object file-too-large "
    "gate-changed invalid-encoding invalid-yaml missing-apiversion missing-dependency missing-kind "
    "missing-path missing-reference no-schema not-an-object not-validated not-yaml "
    "path-not-found path-outside-root policy-changed policy-error recursive-alias remote-base "
    "remote-chart render-plugin unreadable-kustomization secrets-not-scanned "
    "render-failed render-timeout schema-error schema-invalid secret-detected symlink-escape "
    "sync-windows too-deep unresolved-variable window-blocked window-manual-only "
    "window-override invalid-metadata invalid-postbuild referenced-not-checked symlink-loop "
    "budget-exceeded api-deprecated api-removed".split()
)


def apply_waivers(
    findings: Sequence[Finding],
    resources: Sequence[Resource],
    root: Path,
    *,
    known_rules: Collection[str],
    today: str | dt.date | None = None,
    longest: int = DEFAULT_MAX_DAYS,
    file_text: str | EllipsisType | None = ...,
) -> list[Finding]:
    """Findings with waiver set where one applies, plus a finding per refused waiver (and why).

    file_text: the waivers file as the checked change's base ref has it (see from_file).
    """
    day = _today(today)
    found, problems = collect(resources)
    file_rules, file_problems = from_file(root, file_text)
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


def _today(today: str | dt.date | None) -> dt.date:
    if isinstance(today, dt.date):
        return today
    return dt.date.fromisoformat(today) if today else dt.date.today()
