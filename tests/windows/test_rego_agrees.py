"""The Rego `sync-windows` rule and the windows check read every schedule and duration alike.

Both follow robfig/cron v3 as Argo CD configures it and Go's time.ParseDuration: a window
the check keeps as broken (Argo CD cannot parse it) is an error from the rule too, and a
duration the check warns about (zero or less) is a warning from the rule.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.policy.builtin import BuiltinEngine
from gitops_gate.policy.context import timezones
from gitops_gate.policy.protocol import PolicyData, PolicyInput
from gitops_gate.policy.source import load_policies
from gitops_gate.windows.model import ARGO, Origin, WindowError, parse_window

SCHEDULES = [
    "0 22 * * Mon-Fri",
    "+5 * * * *",
    "005 * * * *",
    "1,,15 * * * *",
    "*-5 * * * *",
    "? * * * *",
    "*/15 0,12 */2 * 1-5",
    "5/20 * * * *",
    "0 0 * * mon/2",
    "0 0 * JAN-mar *",
    "0 0 * * 7",
    "@daily",
    "@every 1h",
    "60 * * * *",
    "0 0 0 * *",
    "0 0 * 13 *",
    "0 0 * * Fri-Mon",
    "*/0 * * * *",
    "*/+2 * * * *",
    "1-2-3 * * * *",
    "*/2/3 * * * *",
    "-5 * * * *",
    "5- * * * *",
    "a * * * *",
    "0 0 * * Monday",
    "* * *",
    "0 0 10 1 * *",
    "",
    "TZ=UTC 0 0 * * *",
]
DURATIONS = ["1h", "1h30m", ".5h", "5.h", "+1h", "-1h", "0", "0s", "11", "1d", "33mm", "", "1 hour"]


PAIRS = [(s, "1h") for s in SCHEDULES] + [("0 22 * * *", d) for d in DURATIONS]


@functools.cache
def _rego_all() -> dict[str, dict[str, set[str]]]:
    """Every pair through the built-in engine at once: {input id: {"deny"|"warn": fields}}."""
    inputs = [PolicyInput(str(i), _project(s, d)) for i, (s, d) in enumerate(PAIRS)]
    data = PolicyData({"gitops_gate": {"config": {"rules": {}}, "timezones": timezones()}}, {})
    policies = load_policies(Path("/nonexistent"), builtin=True)
    result = BuiltinEngine().evaluate(policies, inputs, data)
    found: dict[str, dict[str, set[str]]] = {p.id: {"deny": set(), "warn": set()} for p in inputs}
    for o in result.outcomes:
        if o.namespace == "gitops_gate.sync_windows":
            field = str(o.metadata.get("pointer", "")).rsplit("/", 1)[-1]
            found[o.input_id][o.rule].add(field)
    return found


def _project(schedule: str, duration: str) -> dict[str, Any]:
    window = {"kind": "deny", "schedule": schedule, "duration": duration, "clusters": ["*"]}
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "AppProject",
        "metadata": {"name": "p"},
        "spec": {"syncWindows": [window]},
    }


def _rego(schedule: str, duration: str) -> dict[str, set[str]]:
    """The fields the rule finds fault with, as {"deny": {...}, "warn": {...}}."""
    return _rego_all()[str(PAIRS.index((schedule, duration)))]


def _python(schedule: str, duration: str) -> dict[str, set[str]]:
    raw: dict[str, Any] = {
        "kind": "deny",
        "schedule": schedule,
        "duration": duration,
        "clusters": ["*"],
    }
    found: dict[str, set[str]] = {"deny": set(), "warn": set()}
    try:
        w = parse_window(raw, name="w", origin=Origin("p.yaml", 1, "/"), dialect=ARGO)
    except WindowError as e:
        found["deny"].add(e.field)
        return found
    if w.broken:
        found["deny"].add("schedule" if "schedule" in w.broken else "duration")
    if any("not positive" in n for n in w.notes):
        found["warn"].add("duration")
    return found


@pytest.mark.parametrize("schedule", SCHEDULES, ids=repr)
def test_schedules_read_alike(schedule: str) -> None:
    assert _rego(schedule, "1h") == _python(schedule, "1h")


@pytest.mark.parametrize("duration", DURATIONS, ids=repr)
def test_durations_read_alike(duration: str) -> None:
    assert _rego("0 22 * * *", duration) == _python("0 22 * * *", duration)
