"""Shared fixtures: a CLI runner that captures what a user sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from gitops_gate.cli import main


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
