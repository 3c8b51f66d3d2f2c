"""A repository by URL: cloned once into the cache and fetched each cycle, credentials from env.

A token goes to git as an HTTP header through GIT_CONFIG_* variables, an SSH key through
GIT_SSH_COMMAND: never in argv (other users see it in `ps`), a URL, a log or an error.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from gitops_gate._run import run_bytes
from gitops_gate.cachedir import cache_root
from gitops_gate.errors import ToolError, UsageError
from gitops_gate.git import environment, no_hooks_dir
from gitops_gate.reconcile.errors import TemporaryError

TOKEN_VAR = "GITOPS_GATE_GIT_TOKEN"  # noqa: S105 - the name of a variable, not its value
SSH_KEY_VAR = "GITOPS_GATE_GIT_SSH_KEY"  # a path to a private key file
TIMEOUT = 300.0
_URL = re.compile(r"^(https://|http://|ssh://|git@|file://)")
_USERINFO = re.compile(r"//[^/@\s]+@")


def is_url(source: str) -> bool:
    return bool(_URL.match(source))


def fetch(url: str, environ: Mapping[str, str] | None = None) -> Path:
    """The cache clone of url, brought up to date; its origin's refs are origin/<branch>."""
    if _USERINFO.search(url):
        raise UsageError(
            "the repository URL holds credentials", hint=f"put the token in ${TOKEN_VAR}"
        )
    env = _credentials(os.environ if environ is None else environ)
    folder = cache_root() / "reconcile" / "repos" / hashlib.sha256(url.encode()).hexdigest()[:16]
    if not (folder / ".git").is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        _git(folder.parent, env, "clone", "--no-checkout", "--quiet", url, folder.name)
    _git(folder, env, "fetch", "--prune", "--tags", "--quiet", "origin",
         "+refs/heads/*:refs/remotes/origin/*")  # fmt: skip
    return folder


def _credentials(environ: Mapping[str, str]) -> dict[str, str]:
    env = environment()
    token = environ.get(TOKEN_VAR)
    if token:
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        env |= {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "http.extraHeader",
                "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}"}  # fmt: skip
    key = environ.get(SSH_KEY_VAR)
    if key:
        ssh = f"ssh -i {shlex.quote(key)} -o IdentitiesOnly=yes -o BatchMode=yes"
        env["GIT_SSH_COMMAND"] = ssh
    env["GIT_TERMINAL_PROMPT"] = "0"  # a missing credential fails, never waits for a person
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> None:
    argv = ["git", "-c", f"core.hooksPath={no_hooks_dir()}", *args]
    try:
        run_bytes(argv, timeout=TIMEOUT, cwd=cwd, env=env)
    except ToolError as e:
        tail = _USERINFO.sub("//***@", e.stderr.strip().splitlines()[-1] if e.stderr else "")
        raise TemporaryError(f"git {args[0]} failed: {tail}", retry_after=10.0) from None
