"""Every check passes on a generated repo with no findings, and its example policy is live."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.toolchain import ensure_tool
from tests.scaffold.generate import ENGINES, generate

FINDING = re.compile(r": (error|warning|info): ")


@pytest.mark.parametrize("command", ["validate", "policy", "secrets", "check"])
@pytest.mark.parametrize("engine", ENGINES)
def test_each_check_passes_with_no_findings(
    engine: str, command: str, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    dest = generate(tmp_path / "repo", engine=engine)
    done = cli(command, str(dest))
    assert done.code == 0, done.out + done.err
    assert not FINDING.search(done.out + done.err), done.out


def test_the_example_policy_runs(tmp_path: Path, cli: Callable[..., Run]) -> None:
    dest = generate(tmp_path / "repo")
    deployment = dest / "base/hello/deployment.yaml"
    text = deployment.read_text()
    deployment.write_text(text.replace("    app.kubernetes.io/part-of: my-gitops\n", "", 1))
    done = cli("policy", str(dest))
    assert done.code == 1
    assert "base/hello/deployment.yaml:4: error:" in done.out
    assert "[policy/required-part-of-label]" in done.out


@pytest.mark.slow
def test_the_example_policy_tests_pass(tmp_path: Path) -> None:
    conftest = ensure_tool("conftest")
    dest = generate(tmp_path / "repo")
    done = subprocess.run(
        [str(conftest), "verify", "--no-color", "--policy", "policies"],
        cwd=dest,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 tests, 3 passed" in done.stdout
