"""GitHub's refusals as GateErrors: one line, exit 3, never the token or PyGithub's types."""

from __future__ import annotations

from gitops_gate.errors import EnvironmentProblem


class GitHubError(EnvironmentProblem):
    """The GitHub API could not be reached or refused a call (exit 3)."""

    def __init__(self, message: str, *, status: int | None = None, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.status = status


class Refused(GitHubError):
    """A 403 that is not a rate limit: the token may not do this (a fork's read-only token)."""

    def __init__(self, what: str, permission: str, detail: str) -> None:
        super().__init__(
            f"GitHub refused to {what} (403: {detail})",
            status=403,
            hint=f"give the token `{permission}` in the workflow's permissions",
        )
        self.what = what
        self.permission = permission


class PermissionRefused(GitHubError):
    """A 401: the token is missing, expired or not a token at all."""
