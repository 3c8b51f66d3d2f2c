"""`gitops-gate windows` over hostile project, window and Application names: text and SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.tree import write_tree

PROJECT = r"p\n[bold]x</title><script>alert(1)</script>\e[2J\u202e"
REPO = {
    "project.yaml": f"""apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {{name: "{PROJECT}", namespace: argocd}}
spec:
  destinations: [{{namespace: "*", server: "*"}}]
  syncWindows:
    - kind: allow
      schedule: '0 6 * * *'
      duration: 1h
      applications: ["*"]
      description: "d\\n@someone\\e[31m"
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {{name: "app\\nPassed\\e[31m", namespace: argocd}}
spec:
  project: "{PROJECT}"
  destination: {{namespace: default, server: https://kubernetes.default.svc}}
  source: {{repoURL: https://example.com/repo.git, path: app}}
"""
}
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SHOWN_APP = "app\\nPassed\\x1b[31m"
SHOWN_PROJECT = "p\\n[bold]x</title><script>alert(1)</script>\\x1b[2J\\u202e"


@pytest.fixture
def week(cli: Callable[..., Run], tmp_path: Path) -> tuple[Run, Path]:
    svg = tmp_path / "week.svg"
    root = write_tree(tmp_path / "repo", REPO)
    run = cli(
        "windows", str(root), "--app", "*", "--at", "2025-01-04T12:00", "--week",
        "--output", str(svg),
    )  # fmt: skip
    return run, svg


def test_text_shows_names_literally_on_their_own_lines(week: tuple[Run, Path]) -> None:
    run, _ = week
    lines = run.out.splitlines()

    assert (run.code, run.err) == (0, "") and not RAW.search(run.out)
    assert lines[1].startswith(f"{SHOWN_APP}  denied ")
    assert lines[2].startswith(f"    appproject/{SHOWN_PROJECT}#0: allow ")
    assert lines[2].endswith(" - d\\n@someone\\x1b[31m  (project.yaml:7)")
    days = [ln for ln in lines if re.search(r"  (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d-\d\d  ", ln)]
    assert len(days) == 7 and days[0].startswith(f"{SHOWN_APP}  Sat 01-04  ")
    assert len({len(d) for d in days}) == 1  # the escaped name pads like any other


def test_svg_is_well_formed_and_runs_nothing(week: tuple[Run, Path]) -> None:
    _, svg = week
    root = ET.parse(svg).getroot()  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"

    assert not list(root.iter(f"{ns}script"))
    assert [t.text for t in root.iter(f"{ns}text") if t.get("x") == "4"] == [SHOWN_APP]
    tips = [t.text or "" for t in root.iter(f"{ns}title")]
    assert any(f"(appproject/{SHOWN_PROJECT}#0)" in tip for tip in tips)
