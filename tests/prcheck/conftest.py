"""Fixtures of the PR check tests: a local GitHub, and pr_check called as the CLI would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.audit.event import AuditEvent
from gitops_gate.prcheck import Inputs, Report, pr_check
from gitops_gate.windows.when import parse_moment
from tests.helpers.github_server import GitHubServer, serving
from tests.prcheck.scene import MONDAY, NUMBER, TOKEN


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with serving(TOKEN) as server:
        yield server


class Runner:
    """pr_check against the local GitHub, recording audit events and the waits it slept."""

    def __init__(self, server: GitHubServer, tmp_path: Path) -> None:
        self.server = server
        self.events: list[AuditEvent] = []
        self.slept: list[float] = []
        self.summary = tmp_path / "step-summary.md"

    def __call__(self, root: Path, *, at: str = MONDAY, **kwargs: Any) -> Report:
        inputs = Inputs(
            "acme/gitops", NUMBER, kwargs.pop("token", TOKEN), self.server.url, self.summary
        )
        return pr_check(
            root, inputs, audit=self.events.append, at=parse_moment(at),
            sleep=self.slept.append, **kwargs,
        )  # fmt: skip


@pytest.fixture
def run(github: GitHubServer, tmp_path: Path) -> Callable[..., Report]:
    return Runner(github, tmp_path)
