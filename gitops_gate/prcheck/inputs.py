"""Where a PR check's inputs come from: GitHub Actions' variables, or the command line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_gate.errors import UsageError

DEFAULT_TOKEN_ENV = "GITHUB_TOKEN"  # noqa: S105 - a variable name, not a token


@dataclass(frozen=True, slots=True)
class Inputs:
    """The repository and pull request to check, and how to reach GitHub."""

    repo: str  # owner/name
    number: int
    token: str = ""  # kept out of repr: it must never be shown
    api_url: str | None = None
    step_summary: Path | None = None
    event_pull: Mapping[str, Any] | None = None  # the event's `pull_request`, when it is ours
    run_url: str | None = None  # this Actions run, for the commit status's link

    def __repr__(self) -> str:
        return f"Inputs(repo={self.repo!r}, number={self.number})"


def read_inputs(
    environ: Mapping[str, str],
    *,
    repo: str | None = None,
    number: int | None = None,
    token_env: str | None = None,
) -> Inputs:
    """Inputs from the command line first, then Actions' GITHUB_* variables."""
    event = _event_pull(environ.get("GITHUB_EVENT_PATH"))
    repo = repo or environ.get("GITHUB_REPOSITORY")
    if not repo:
        raise UsageError("no repository", hint="pass --repo owner/name or set GITHUB_REPOSITORY")
    if number is None and event is not None:
        number = int(event.get("number") or 0) or None
    if number is None:
        raise UsageError(
            "no pull request", hint="pass --pr N, or run on a pull_request event in Actions"
        )
    if event is not None and event.get("number") != number:
        event = None  # another pull request's event: read ours from the API
    summary = environ.get("GITHUB_STEP_SUMMARY")
    return Inputs(
        repo=repo,
        number=number,
        token=environ.get(token_env or DEFAULT_TOKEN_ENV, ""),
        api_url=environ.get("GITHUB_API_URL") or None,
        step_summary=Path(summary) if summary else None,
        event_pull=event,
        run_url=_run_url(environ),
    )


def _event_pull(path: str | None) -> Mapping[str, Any] | None:
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise UsageError(
            f"cannot read GITHUB_EVENT_PATH {path}: {type(e).__name__}",
            hint="run in GitHub Actions, or unset it and pass --repo and --pr",
        ) from None
    pull = data.get("pull_request") if isinstance(data, dict) else None
    return pull if isinstance(pull, dict) else None


def _run_url(environ: Mapping[str, str]) -> str | None:
    server, repo, run = (
        environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    )
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else None
