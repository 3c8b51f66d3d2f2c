"""The GitHub adapter: PyGithub behind our own calls, retries and one-line errors."""

from __future__ import annotations

from gitops_gate.github.client import GitHub, connect
from gitops_gate.github.errors import GitHubError, PermissionRefused, Refused

__all__ = ["GitHub", "GitHubError", "PermissionRefused", "Refused", "connect"]
