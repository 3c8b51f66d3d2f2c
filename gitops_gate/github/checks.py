"""The check run (annotations 50 a request, as GitHub takes them) and the commit status."""

from __future__ import annotations

import uuid
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
    update repeats title and summary, which GitHub requires with annotations. A request whose
    answer was lost may still have taken effect: a retried create first looks for the run by
    this run's external_id, and a retried append first reads how many annotations are in.
    """
    output = dict(payload["output"])
    parts = batches(output.pop("annotations", []))
    mark = uuid.uuid4().hex
    first = {**payload, "external_id": mark, "output": {**output, "annotations": parts[0]}}
    run = gh.call("create the check run", CHECKS_WRITE, _create(gh, first, mark))
    done = len(parts[0])
    for part in parts[1:]:
        gh.call(
            "add annotations to the check run", CHECKS_WRITE, _append(gh, run, output, part, done)
        )
        done += len(part)
    return str(run.html_url or run.url)


def _create(gh: GitHub, body: dict[str, Any], mark: str) -> Callable[[], CheckRun]:
    tries = 0

    def op() -> CheckRun:
        nonlocal tries
        tries += 1
        if tries > 1:
            commit = gh.repo.get_commit(body["head_sha"])
            for run in commit.get_check_runs(check_name=body["name"]):
                if run.external_id == mark:
                    return run
        return gh.repo.create_check_run(**body)

    return op


def _append(
    gh: GitHub, run: CheckRun, output: dict[str, Any], part: list[Any], before: int
) -> Callable[[], None]:
    tries = 0

    def op() -> None:
        nonlocal tries
        tries += 1
        if tries > 1 and gh.repo.get_check_run(run.id).output.annotations_count > before:
            return  # the lost answer's append went through: sending it again would double it
        run.edit(output={**output, "annotations": part})

    return op


def post_status(gh: GitHub, sha: str, *, state: str, description: str, url: str | None) -> None:
    """A commit status named `gitops-gate` on sha: the fallback where check runs are refused."""
    text = description if len(description) <= STATUS_DESCRIPTION else description[:139] + "…"
    extra = {"target_url": url} if url else {}

    def op() -> None:
        gh.repo.get_commit(sha).create_status(
            state=state, description=text, context="gitops-gate", **extra
        )

    gh.call("set the commit status", STATUSES_WRITE, op)
