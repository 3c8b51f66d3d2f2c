"""One GitHub call, retried on 5xx and rate limits with backoff, honouring `Retry-After`."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests
from github import GithubException

from gitops_gate.github.errors import GitHubError, PermissionRefused, Refused

T = TypeVar("T")
RETRIED = frozenset({500, 502, 503, 504})
# GitHub asks for at least a minute after a secondary rate limit; longer than this, a CI job
# is better off failing with a message than sitting idle.
MAX_WAIT = 120.0


@dataclass(frozen=True, slots=True)
class Policy:
    """How often and how long to retry; `sleep` is swapped in tests to keep them fast."""

    attempts: int = 5
    backoff: float = 1.0
    sleep: Callable[[float], None] = field(default=time.sleep)
    scrub: Callable[[str], str] = field(default=lambda text: text)


def call(policy: Policy, what: str, permission: str, op: Callable[[], T]) -> T:
    """op(), retried while GitHub says try again; a refusal is a one-line GitHubError.

    `what` says what op does ("create the check run"), `permission` what a 403 lacks. Each
    attempt runs op from its start, so an op that looks before it creates (the comment) never
    creates twice when a POST's answer was lost.
    """
    for attempt in range(1, policy.attempts + 1):
        try:
            return op()
        except GithubException as e:
            wait = _wait(e, attempt, policy)
            if wait is None or attempt == policy.attempts:
                raise _error(e, what, permission, policy.scrub) from None
        except requests.RequestException as e:
            wait = policy.backoff * 2 ** (attempt - 1)
            if attempt == policy.attempts:
                raise GitHubError(
                    f"cannot reach the GitHub API to {what}: {type(e).__name__}",
                    hint="check GITHUB_API_URL and the network",
                ) from None
        policy.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _wait(e: GithubException, attempt: int, policy: Policy) -> float | None:
    """Seconds to wait before retrying e, or None when it must not be retried."""
    headers = {k.lower(): v for k, v in (e.headers or {}).items()}
    if e.status in RETRIED or (e.status in (403, 429) and _rate_limited(e, headers)):
        after = _retry_after(headers)
        wait = after if after is not None else policy.backoff * 2 ** (attempt - 1)
        return wait if wait <= MAX_WAIT else None
    return None


def _rate_limited(e: GithubException, headers: Mapping[str, Any]) -> bool:
    message = _message(e).lower()
    return (
        "retry-after" in headers
        or "rate limit" in message
        or str(headers.get("x-ratelimit-remaining")) == "0"
    )


def _retry_after(headers: Mapping[str, Any]) -> float | None:
    value = headers.get("retry-after")
    if value is not None:
        try:
            return max(0.0, float(value))
        except ValueError:
            return None
    reset = headers.get("x-ratelimit-reset")
    if str(headers.get("x-ratelimit-remaining")) == "0" and reset is not None:
        try:
            return max(0.0, float(reset) - time.time())
        except ValueError:
            return None
    return None


def _message(e: GithubException) -> str:
    data = e.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return ""


def _error(
    e: GithubException, what: str, permission: str, scrub: Callable[[str], str]
) -> Exception:
    detail = scrub(" ".join(_message(e).split())[:200]) or "no message"
    if e.status == 401:
        return PermissionRefused(
            f"GitHub rejected the token while trying to {what} (401: {detail})",
            status=401,
            hint="pass a valid token: GITHUB_TOKEN in Actions, or --token-env VAR",
        )
    headers = {k.lower(): v for k, v in (e.headers or {}).items()}
    if e.status == 403 and not _rate_limited(e, headers):
        return Refused(what, permission, detail)
    if e.status == 404:
        return GitHubError(
            f"GitHub found nothing to {what} (404: {detail})",
            status=404,
            hint=f"check --repo and --pr, and that the token has `{permission}`",
        )
    return GitHubError(f"GitHub failed to {what} ({e.status}: {detail})", status=e.status)
