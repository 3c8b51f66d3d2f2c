"""`conftest verify` runs every policy's own tests (the case tables) and they all pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_gate._run import run
from gitops_gate.cli import main
from tests.helpers.toolchain import ensure_tool
from tests.policy.cases import POLICIES


@pytest.mark.slow
def test_conftest_verify_passes_on_the_library() -> None:
    conftest = ensure_tool("conftest")
    done = run([conftest, "verify", "--no-color", "-p", POLICIES], timeout=300, ok_codes=(0, 1))
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failures" in done.stdout


TEMPLATE_POLICIES = POLICIES.parent / "templates" / "gitops-repo" / "policies"


@pytest.mark.slow
@pytest.mark.parametrize("folder", [POLICIES, TEMPLATE_POLICIES], ids=["library", "template"])
def test_policy_test_runs_the_library_and_template_tests(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_tool("conftest")
    code = main(["--format", "json", "policy", "test", str(folder), "--engine", "subprocess"])
    report = json.loads(capsys.readouterr().out)
    assert (code, report["passed"], report["engine"]) == (0, True, "conftest")
    assert len(report["tests"]) >= 3


def test_the_builtin_engine_never_passes_a_test_it_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = TEMPLATE_POLICIES
    code = main(["--format", "junit", "policy", "test", str(folder), "--engine", "builtin"])
    out = capsys.readouterr().out
    assert code == 1
    assert 'failures="3"' in out and "gitops-gate tools install" in out
