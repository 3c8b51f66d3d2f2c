"""The check run (annotations 50 a request, as GitHub takes them) and the commit status."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from github.CheckRun import CheckRun

from gitops_gate.github.client import GitHub

CHECKS_WRITE = "checks: write"
STATUSES_WRITE = "statuses: write"
BATCH = 50  # GitHub's most annotations per create or update request
STATUS_DESCRIPTION = 140  # GitHub's longest commit status description


def batches(annotations: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """The annotations in requests of at most BATCH, in order; one empty batch for none."""
    return [list(annotations[i : i + BATCH]) for i in range(0, len(annotations), BATCH)] or [[]]


def post_check_run(gh: GitHub, payload: Mapping[str, Any]) -> str:
    """Create the completed check run with the first batch, then append the others; its URL.

    payload is the create request's body with every annotation in output.annotations; each
    update repeats title and summary, which GitHub requires with annotations.
    """
    output = dict(payload["output"])
    parts = batches(output.pop("annotations", []))
    first = {**payload, "output": {**output, "annotations": parts[0]}}

    def create() -> CheckRun:
        return gh.repo.create_check_run(**first)

    run = gh.call("create the check run", CHECKS_WRITE, create)
    for part in parts[1:]:
        gh.call("add annotations to the check run", CHECKS_WRITE, _append(run, output, part))
    return str(run.html_url or run.url)


def _append(run: CheckRun, output: dict[str, Any], part: list[Any]) -> Callable[[], None]:
    return lambda: run.edit(output={**output, "annotations": part})


def post_status(gh: GitHub, sha: str, *, state: str, description: str, url: str | None) -> None:
    """A commit status named `gitops-gate` on sha: the fallback where check runs are refused."""
    text = description if len(description) <= STATUS_DESCRIPTION else description[:139] + "…"
    extra = {"target_url": url} if url else {}

    def op() -> None:
        gh.repo.get_commit(sha).create_status(
            state=state, description=text, context="gitops-gate", **extra
        )

    gh.call("set the commit status", STATUSES_WRITE, op)
