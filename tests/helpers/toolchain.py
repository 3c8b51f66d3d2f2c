"""Pinned binaries for tests: build one on demand with `tools install` and return its path."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.errors import GateError
from gitops_gate.tools import install

# The test being set up or run, kept by tests/conftest.py: `slow` must mean exactly "needs a
# pinned tool", so a test that gets one without the mark fails and says so.
running: pytest.Item | None = None


def ensure_tool(name: str) -> Path:
    """The cached binary for the pinned tool name, built now if the cache lacks it.

    Tests that call this are slow the first time on a machine (minutes for kube-apiserver);
    mark them `@pytest.mark.slow`. Without Go the test fails with the one-line reason.
    """
    if running is not None and running.get_closest_marker("slow") is None:
        pytest.fail(f"needs the pinned {name}: mark the test @pytest.mark.slow", pytrace=False)
    try:
        (result,) = install([name])
    except GateError as e:
        pytest.fail(f"cannot get the pinned {name}: {e.one_line()}", pytrace=False)
    return result.path
