"""Windows of AppProjects whose Applications an ApplicationSet generates judge the
environments those Applications deploy (homelab: nothing was evaluated before)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import git
import pytest

from gitops_gate.cli import main
from tests.helpers.data import CORPORA

_PROJECTS = ("k8s/infrastructure/project.yaml", "k8s/infrastructure/infrastructure-project.yaml")
_PROD_CHANGE = "k8s/infrastructure/overlays/prod/rollout.yaml"
_SATURDAY, _MONDAY = "2026-12-05T12:00Z", "2026-12-07T12:00Z"


@pytest.fixture
def homelab(tmp_path: Path) -> Path:
    """The homelab corpus with its infrastructure project open on weekdays from 9 to 17."""
    root = tmp_path / "homelab"
    shutil.copytree(CORPORA / "theepicsaxguy__homelab", root)
    git.Repo.init(root)
    for rel in _PROJECTS:
        path = root / rel
        text = path.read_text()
        text = text.replace("schedule: '* * * * *'", "schedule: '0 9 * * 1-5'")
        text = text.replace("duration: 24h", "duration: 8h").replace(
            "manualSync: true", "manualSync: false"
        )
        path.write_text(text)
    return root


def _check(root: Path, at: str) -> int:
    argv = ["check", "--changed", _PROD_CHANGE, "--at", at, str(root / _PROD_CHANGE)]
    return main([*argv, "--format", "json"])


def test_a_production_change_outside_the_window_fails(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _check(homelab, _SATURDAY) == 1
    report = json.loads(capsys.readouterr().out)
    blocked = [f for f in report["findings"] if f["rule"] == "window-blocked"]
    assert [(f["message"].split(":")[0], f["severity"]) for f in blocked] == [("prod", "error")]
    assert blocked[0]["path"] in _PROJECTS
    assert _check(homelab, _MONDAY) == 0


def test_windows_shows_the_generated_applications_project(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["windows", str(homelab), "--env", "prod", "--at", _SATURDAY, "--format", "json"]
    assert main(argv) == 0
    [row] = json.loads(capsys.readouterr().out)["subjects"]
    assert (row["name"], row["state"]) == ("prod", "denied")
    assert {w["path"] for w in row["decidedBy"]} == set(_PROJECTS)
