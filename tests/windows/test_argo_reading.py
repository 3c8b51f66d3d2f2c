"""AppProject windows Argo CD reads differently from how they are written: kept, and said so.

A window Argo CD cannot parse blocks every sync of what it matches (manual too); an
unknown time zone is UTC; a duration of zero or less never opens; a schedule that never
fires is open all the time; `from`/`until` are not in its schema. Each gets a finding.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load, load_text
from gitops_gate.windows import State, check, decide
from gitops_gate.windows.notes import note_findings
from gitops_gate.windows.sources import project_windows
from tests.windows.build import utc

PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: prod
spec:
  syncWindows:
  - kind: {kind}
    schedule: '{schedule}'
    duration: {duration}
    applications: ['*']
    {extra}
"""

# 2025-01-06 is a Monday; every case is judged at 10:00 UTC.
CASES = [
    # (id, kind, schedule, duration, extra, finding severity, message, state at 10:00)
    (
        "bad hour",
        "allow",
        "0 25 * * *",
        "1h",
        "",
        "error",
        "invalid schedule '0 25 * * *': hour '25' is outside 0-23: Argo CD cannot parse",
        State.DENIED,
    ),
    (
        "day of week 7",
        "deny",
        "* 10 * * 7",
        "1h",
        "",
        "error",
        "day of week '7' is outside 0-6",
        State.DENIED,
    ),
    (
        "descriptor",
        "deny",
        "@daily",
        "1h",
        "manualSync: true",
        "error",
        "Argo CD does not accept descriptors such as '@daily'",
        State.DENIED,  # manualSync does not help: CanSync fails
    ),
    (
        "bad duration",
        "allow",
        "* 10 * * *",
        "1d",
        "",
        "error",
        "unknown unit 'd' in duration '1d'",
        State.DENIED,
    ),
    (
        "unknown zone",
        "deny",
        "0 9 * * *",
        "2h",
        "timeZone: Mars/Olympus",
        "warning",
        "unknown time zone 'Mars/Olympus': Argo CD evaluates the window in UTC",
        State.DENIED,  # 09:00-11:00 UTC, so open at 10:00
    ),
    (
        "zero duration allow",
        "allow",
        "* * * * *",
        "0s",
        "",
        "warning",
        "duration 0m is not positive: Argo CD keeps the window but it never opens",
        State.DENIED,
    ),
    (
        "negative duration allow",
        "allow",
        "* * * * *",
        "-1h",
        "manualSync: true",
        "warning",
        "never opens (an allow window then blocks every sync it matches)",
        State.MANUAL_ONLY,
    ),
    (
        "negative duration deny",
        "deny",
        "* * * * *",
        "-1h",
        "",
        "warning",
        "never opens",
        State.ALLOWED,
    ),
    (
        "never fires",
        "deny",
        "0 0 30 2 *",
        "1h",
        "",
        "warning",
        "schedule '0 0 30 2 *' never fires: Argo CD treats the window as open all the time",
        State.DENIED,
    ),
    (
        "from",
        "deny",
        "0 9 * * *",
        "2h",
        "from: '2030-01-01'",
        "warning",
        "Argo CD ignores 'from': the window applies on every date",
        State.DENIED,
    ),
]


@pytest.mark.parametrize(
    ("kind", "schedule", "duration", "extra", "severity", "message", "state"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_window_is_read_as_argo_cd_reads_it(
    kind: str,
    schedule: str,
    duration: str,
    extra: str,
    severity: str,
    message: str,
    state: State,
) -> None:
    text = PROJECT.format(kind=kind, schedule=schedule, duration=duration, extra=extra)
    [project] = load_text(text, "projects/prod.yaml").resources
    windows, dropped = project_windows(project)
    assert dropped == []
    [finding] = note_findings(windows)
    assert (finding.severity.label, finding.location) == (severity, "projects/prod.yaml:7")
    assert finding.message.startswith("sync window appproject/prod#0: ")
    assert message in finding.message
    decision = decide([windows], utc("2025-01-06 10:00"))
    assert decision.state is state


def test_broken_window_blocks_a_production_change_naming_its_line(tmp_path: Path) -> None:
    (tmp_path / ".gitops-gate.yaml").write_text(
        "environments:\n  production:\n    paths: [prod]\n    production: true\n"
    )
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "project.yaml").write_text(
        PROJECT.format(kind="allow", schedule="0 9 * * 1-5", duration="8 hours", extra="")
    )
    (tmp_path / "prod" / "app.yaml").write_text(
        textwrap.dedent("""\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop}
            spec: {project: prod, destination: {namespace: shop}}
            """)
    )
    config = load_config(tmp_path)
    resources = load([tmp_path], root=tmp_path).resources
    found = check(config, resources, changed=["prod/app.yaml"], at=utc("2025-01-06 10:00"))
    seen = {(f.rule, f.severity.label, f.location) for f in found}
    assert ("sync-windows", "error", "prod/project.yaml:7") in seen
    [blocked] = [f for f in found if f.rule == "window-blocked"]
    assert blocked.severity.label == "error"
    assert blocked.location == "prod/project.yaml:7"
    assert "production: blocked by window appproject/prod#0 with no change" in blocked.message
