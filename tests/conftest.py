"""Shared fixtures: a run that leaves the user's caches and git config alone, and a CLI runner."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from gitops_gate.cli import main
from tests.helpers import toolchain
from tests.helpers.isolation import Isolation, isolate

_ISOLATION = pytest.StashKey[tuple[Isolation, pytest.MonkeyPatch]]()


def pytest_configure(config: pytest.Config) -> None:
    # Started here, not in a fixture: collecting some modules already runs a check (see
    # tests/hooks/scenarios.py), and that must not fill the user's cache either.
    patch = pytest.MonkeyPatch()
    root = Path(tempfile.mkdtemp(prefix="gitops-gate-tests-"))
    config.stash[_ISOLATION] = (isolate(root, patch), patch)


def pytest_unconfigure(config: pytest.Config) -> None:
    isolation, patch = config.stash[_ISOLATION]
    patch.undo()
    shutil.rmtree(isolation.root, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    toolchain.running = item  # before fixtures: some build a tool while they are set up


@pytest.fixture(scope="session", autouse=True)
def isolation(pytestconfig: pytest.Config) -> Isolation:
    """The run's own XDG cache/state/config folders and git config, for the whole session.

    Every gitops-gate cache (results, schemas, secrets, render, config-valid, crds) lands in
    a temp folder removed at the end; the pinned tools stay in the user's tools folder
    (GITOPS_GATE_TOOLS_DIR), so each is built once per machine, not once per run.
    """
    return pytestconfig.stash[_ISOLATION][0]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run `gitops-gate ARGS...` in-process, as a user would, and return code, stdout, stderr."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--corpus",
        action="append",
        default=[],
        metavar="DIR",
        help="also run the corpus tests over every corpus in DIR, one per subfolder, beside "
        "those in tests/data; may be given more than once",
    )
