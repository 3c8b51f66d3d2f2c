"""The GitHub Action and the template's workflow that uses it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from gitops_gate._version import __version__
from tests.scaffold.generate import generate

ROOT = Path(__file__).resolve().parents[2]


def _steps(action: dict[str, Any]) -> list[dict[str, Any]]:
    return list(action["runs"]["steps"])


def test_the_action_installs_this_version_and_runs_pr_check() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())

    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["version"]["default"] == __version__
    steps = _steps(action)
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert "gitops-gate pr-check" in steps[-1]["run"]


def test_no_input_is_pasted_into_a_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())

    scripts = [s["run"] for s in _steps(action) if "run" in s]
    assert scripts and not [s for s in scripts if re.search(r"\$\{\{", s)]


def test_the_generated_workflow_runs_the_action_with_the_permissions_it_needs(
    tmp_path: Path,
) -> None:
    root = generate(tmp_path / "repo")

    workflow = yaml.safe_load((root / ".github/workflows/gitops-gate.yml").read_text())

    job = workflow["jobs"]["pr-check"]
    assert job["permissions"] == {
        "contents": "read", "checks": "write", "pull-requests": "write", "statuses": "write",
    }  # fmt: skip
    checkout, action = job["steps"]
    assert checkout["with"] == {
        "fetch-depth": 0, "ref": "${{ github.event.pull_request.head.sha }}",
    }  # fmt: skip
    assert action["uses"] == f"gitops-gate/gitops-gate@v{__version__}"
    assert workflow["permissions"] == {"contents": "read"}  # every other job reads only
    assert "labeled" in workflow[True]["pull_request"]["types"]  # YAML 1.1 reads `on` as True
    assert job["concurrency"]["cancel-in-progress"] is True
