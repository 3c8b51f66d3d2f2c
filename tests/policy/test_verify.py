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


@pytest.mark.parametrize("engine", ["builtin", pytest.param("subprocess", marks=pytest.mark.slow)])
@pytest.mark.parametrize("folder", [POLICIES, TEMPLATE_POLICIES], ids=["library", "template"])
def test_policy_test_runs_the_library_and_template_tests(
    folder: Path, engine: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if engine == "subprocess":
        ensure_tool("conftest")
    code = main(["--format", "json", "policy", "test", str(folder), "--engine", engine])
    report = json.loads(capsys.readouterr().out)
    if engine == "builtin" and folder == POLICIES:
        # rego-cpp cannot evaluate the library's case tables under `with`: each says so.
        assert (code, report["passed"]) == (1, False)
        assert all("tools install" in t["detail"] for t in report["tests"] if not t["passed"])
    else:
        assert (code, report["passed"]) == (0, True)
    assert report["engine"] == ("conftest" if engine == "subprocess" else "builtin")
    assert len(report["tests"]) >= 3


FAILING = """\
package t_test

import rego.v1

kinds := {"Deployment"}

deny contains "x" if input.kind in kinds

test_denied if {
	count(deny) == 1 with input as {"kind": "Deployment"}
}

test_wrong if {
	1 == 2
}
"""


def test_the_builtin_engine_never_passes_a_test_it_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t_test.rego").write_text(FAILING)
    code = main(["--format", "junit", "policy", "test", str(tmp_path), "--engine", "builtin"])
    out = capsys.readouterr().out
    assert code == 1
    assert 'tests="2" failures="2"' in out and "gitops-gate tools install" in out
