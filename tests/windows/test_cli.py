"""`gitops-gate windows` as a user runs it: text, JSON, the week, and one-line errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate import cli
from tests.conftest import Run

SAMPLE = str(Path(cli.__file__).parent / "sample")


def test_text(cli: Callable[..., Run]) -> None:
    run = cli("windows", SAMPLE, "--at", "2025-01-04T12:00")
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert lines[0] == "At 2025-01-04 12:00 UTC:"
    assert "production  manual-only  until 2025-01-06 06:00 UTC (in 1d 18h), then allowed" in lines
    assert (
        '    appproject/production#0: allow "0 6 * * Mon-Fri" for 12h (UTC), manual sync allowed'
        "  (argocd/projects/production.yaml:13)"
    ) in lines


def test_json_for_an_app(cli: Callable[..., Run]) -> None:
    run = cli("windows", SAMPLE, "--app", "shop-*", "--at", "2025-01-06 07:00", "--format", "json")
    data = json.loads(run.out)
    assert data["schemaVersion"] == 1
    [subject] = data["subjects"]
    assert (subject["kind"], subject["name"], subject["state"], subject["until"]) == (
        "application",
        "shop-production",
        "allowed",
        "2025-01-06T18:00:00+00:00",
    )


def test_at_with_a_zone(cli: Callable[..., Run]) -> None:
    run = cli("windows", SAMPLE, "--env", "production", "--at", "2025-01-06T06:30 Europe/Berlin")
    lines = run.out.splitlines()
    assert lines[:2] == [
        "At 2025-01-06 05:30 UTC:",
        "production  manual-only  until 2025-01-06 06:00 UTC (in 30m), then allowed",
    ]


def test_week_in_the_terminal_and_as_svg(cli: Callable[..., Run], tmp_path: Path) -> None:
    svg = tmp_path / "week.svg"
    run = cli("windows", SAMPLE, "--at", "2025-01-06T12:00", "--week", "--output", str(svg))
    lines = run.out.splitlines()
    monday = next(line for line in lines if line.startswith("production  Mon 01-06"))
    assert monday.endswith("▒" * 12 + "█" * 24 + "▒" * 12)
    assert any(line.endswith("Sat 01-11  " + "▒" * 48) for line in lines)
    root = ET.parse(svg).getroot()  # noqa: S314 - our own output
    tips = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}title")]
    names = "appproject/production#0, env/production#0"
    assert f"allowed 2025-01-06 06:00 UTC to 2025-01-06 18:00 UTC ({names})" in tips


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--at", "next tuesday"], "gitops-gate: cannot read time 'next tuesday' (use ISO 8601"),
        (["--at", "2025-01-01T00:00 Mars/Base"], "gitops-gate: unknown time zone 'Mars/Base'"),
        (["--env", "qa"], "gitops-gate: no environment named 'qa' (known: dev, production)"),
        (["--app", "nope"], "gitops-gate: no Application matches 'nope' (known: shop-production)"),
        (["--output", "x.svg"], "gitops-gate: --output draws the week (add --week)"),
        (["--format", "xml"], "gitops-gate: unknown format 'xml'"),
    ],
)
def test_usage_errors(cli: Callable[..., Run], args: list[str], message: str) -> None:
    run = cli("windows", SAMPLE, *args)
    assert run.code == 2
    assert run.err.startswith(message)


def test_bad_config_window_is_exit_2_with_file_and_line(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / ".gitops-gate.yaml").write_text(
        "environments:\n  prod:\n    paths: [clusters/prod]\n    syncWindows:\n"
        "      - kind: deny\n        schedule: '0 22 * * Sat-Sun'\n        duration: 1h\n"
    )
    run = cli("windows", str(tmp_path))
    assert run.code == 2
    assert run.err == (
        "gitops-gate: .gitops-gate.yaml:6: syncWindows[0] of prod: invalid schedule "
        "'0 22 * * Sat-Sun': day of week range 'Sat-Sun' starts after it ends\n"
    )


def test_names_from_the_repo_cannot_drive_the_terminal(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # YAML's "\e" is ESC: printed as is, "\e[2J" would clear the screen of whoever runs this.
    (tmp_path / "project.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\n"
        'metadata: {name: "evil\\e[2Jproject", namespace: argocd}\n'
        "spec:\n  syncWindows:\n    - {kind: allow, schedule: '0 6 * * *', duration: 1h}\n"
    )
    run = cli("windows", str(tmp_path), "--at", "2025-01-04T12:00")
    assert "\x1b" not in run.out
    assert "evil\\x1b[2Jproject" in run.out


OVERRUN_CONFIG = """\
environments:
  production:
    paths: [prod]
    production: true
    syncWindows:
      - {kind: deny, name: evening, schedule: "0 18 * * *", duration: 2h, syncOverrun: true}
  staging:
    paths: [staging]
    syncWindows:
      - {kind: deny, name: evening, schedule: "0 18 * * *", duration: 2h}
"""


@pytest.mark.parametrize(
    ("started", "at", "production", "staging"),
    [
        (
            "2025-01-06T17:50",
            "2025-01-06T18:30",
            "runs on (every window now blocking it has syncOverrun)",
            "is stopped (a window now blocking it has no syncOverrun)",
        ),
        ("2025-01-06T18:10", "2025-01-06T18:30", "was not allowed to start", None),
        ("2025-01-06T17:00", "2025-01-06T17:30", "runs on (syncing is allowed now)", None),
    ],
    ids=["deny begins", "started closed", "still open"],
)
def test_started_answers_sync_overrun(
    cli: Callable[..., Run],
    tmp_path: Path,
    started: str,
    at: str,
    production: str,
    staging: str | None,
) -> None:
    (tmp_path / ".gitops-gate.yaml").write_text(OVERRUN_CONFIG)
    run = cli("windows", str(tmp_path), "--at", at, "--started", started)
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert lines[1] == f"Sync started {started.replace('T', ' ')} UTC"
    said = [line.strip() for line in lines if "a sync started then" in line]
    assert said[0] == f"a sync started then: {production}"
    assert said[1] == f"a sync started then: {staging or production}"
    data = json.loads(
        cli("windows", str(tmp_path), "--at", at, "--started", started, "--format", "json").out
    )
    assert data["started"] == started + ":00+00:00"
    overruns = {s["name"]: s["syncOverrun"] for s in data["subjects"]}
    assert overruns == {
        "production": production.startswith("runs on (every"),
        "staging": (staging or production).startswith("runs on (every"),
    }


def test_at_a_local_time_the_clocks_skip_says_so(cli: Callable[..., Run]) -> None:
    run = cli("windows", SAMPLE, "--env", "production", "--at", "2025-03-30T02:30 Europe/Berlin")
    assert run.code == 0
    assert run.out.splitlines()[0] == "At 2025-03-30 01:30 UTC:"
    assert " ".join(run.err.split()) == (
        "notice 2025-03-30 02:30 does not exist in Europe/Berlin (the clocks skip it); "
        "read as 2025-03-30 03:30 CEST"
    )


def test_globs_gobwas_refuses_do_not_crash(cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / ".gitops-gate.yaml").write_text(
        "environments:\n  production:\n    paths: [prod]\n    production: true\n"
    )
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "project.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: prod}\n"
        "spec:\n  syncWindows:\n  - {kind: deny, schedule: '* * * * *', duration: 1h,\n"
        "     applications: ['[z-a]*', '[!]', '[9-0]'], namespaces: ['[^p]*']}\n"
    )
    (tmp_path / "prod" / "app.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: zebra}\n"
        "spec: {project: prod, destination: {namespace: shop}}\n"
    )
    run = cli("windows", str(tmp_path), "--at", "2025-01-06T10:00")
    assert (run.code, run.err) == (0, "")
    assert "production  allowed" in run.out  # no glob matches "zebra" or "shop"
    (tmp_path / "prod" / "app.yaml").write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: zebra}\n"
        "spec: {project: prod, destination: {namespace: '^prod'}}\n"
    )
    run = cli("windows", str(tmp_path), "--at", "2025-01-06T10:00")
    assert "production  denied" in run.out  # `[^p]*` is "^ or p, then anything"
    run = cli("check", str(tmp_path), "--changed", "prod/app.yaml", "--at", "2025-01-06T10:00")
    assert run.code == 1  # blocked, not a crash (exit 3)
    assert "production: blocked by window appproject/prod#0" in run.out
