"""`conftest verify` runs every policy's own tests (the case tables) and they all pass."""

from __future__ import annotations

import pytest

from gitops_gate._run import run
from tests.helpers.toolchain import ensure_tool
from tests.policy.cases import POLICIES


@pytest.mark.slow
def test_conftest_verify_passes_on_the_library() -> None:
    conftest = ensure_tool("conftest")
    done = run([conftest, "verify", "--no-color", "-p", POLICIES], timeout=300, ok_codes=(0, 1))
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 failures" in done.stdout
