"""The PyGithub client: one per run, its base URL, no retries of its own, the token kept out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from github import Auth, Github
from github.Repository import Repository

from gitops_gate.github import retry
from gitops_gate.github.errors import GitHubError

T = TypeVar("T")
DEFAULT_API_URL = "https://api.github.com"
TIMEOUT = 30  # seconds a request may take


@dataclass(frozen=True, slots=True)
class GitHub:
    """A repository on GitHub (or GitHub Enterprise) and how calls to it are retried."""

    api: Github
    name: str  # owner/name
    policy: retry.Policy

    @property
    def repo(self) -> Repository:
        """The repository, lazily: no request until a call needs one."""
        return self.api.get_repo(self.name)

    def call(self, what: str, permission: str, op: Callable[[], T]) -> T:
        """op with retries; errors are one line naming `permission` on a 403."""
        return retry.call(self.policy, what, permission, op)


def connect(
    token: str,
    repo: str,
    *,
    api_url: str | None = None,
    sleep: Callable[[float], None] | None = None,
    attempts: int = 5,
) -> GitHub:
    """A client for repo (owner/name) at api_url (default api.github.com).

    PyGithub's own retries are off (ours honour Retry-After and look before re-creating), as
    is its pause between writes: a run makes a handful, and a secondary rate limit is retried.
    """
    if not token:
        raise GitHubError(
            "no GitHub token", hint="set GITHUB_TOKEN, or name the variable with --token-env"
        )
    owner, _, name = repo.partition("/")
    if not owner or not name or "/" in name:
        raise GitHubError(f"{repo!r} is not owner/name", hint="pass --repo owner/name")
    api = Github(
        auth=Auth.Token(token),
        base_url=(api_url or DEFAULT_API_URL).rstrip("/"),
        timeout=TIMEOUT,
        retry=None,
        per_page=100,
        seconds_between_requests=None,
        seconds_between_writes=None,
        lazy=True,
    )
    scrub = _scrubber(token)
    policy = retry.Policy(attempts=attempts, scrub=scrub)
    if sleep is not None:
        policy = retry.Policy(attempts=attempts, sleep=sleep, scrub=scrub)
    return GitHub(api, repo, policy)


def _scrubber(token: str) -> Callable[[str], str]:
    """Hides the token in text GitHub sent back (a server may echo a request)."""
    return lambda text: text.replace(token, "***")
