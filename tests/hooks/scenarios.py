"""Changes a user commits to a generated repo, and the finding each must produce."""

from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from pathlib import Path

import pytest

DEPLOYMENT = "base/hello/deployment.yaml"

# The loader refuses this today; schema and policy checks add to it when they land.
DUPLICATE_KEY = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: hello\n"
    "data:\n  mode: fast\n  mode: slow\n"
)

PLAINTEXT_SECRET = (
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: hello\n"
    "type: Opaque\nstringData:\n  password: hunter2-but-longer-Xy9\n"
)

LATEST_POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\n"
    "spec: {containers: [{name: c, image: 'nginx:latest'}]}\n"
)


def _check_runs_policy() -> bool:
    """Whether `gitops-gate check` includes the policy check yet (it is being wired in)."""
    from gitops_gate import api

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pod.yaml").write_text(LATEST_POD)
        found = api.check([Path(tmp)], root=Path(tmp)).findings
    return any(f.rule == "no-latest-tag" for f in found)


# These findings come from `gitops-gate policy`, written in parallel with the hooks. Strict
# xfail: each marker lifts itself, and the test must pass, the day its dependency lands.
needs_policy = pytest.mark.xfail(
    importlib.util.find_spec("gitops_gate.commands.policy") is None,
    reason="waits on `gitops-gate policy` (no-latest-tag, no-plaintext-secrets)",
    strict=True,
)
needs_check_policy = pytest.mark.xfail(
    not _check_runs_policy(),
    reason="waits on `gitops-gate check` running the policy check",
    strict=True,
)


# Each environment pins the app's tag in its apps overlay (the base's tag is never deployed).
DEV_OVERLAY = "clusters/dev/apps/kustomization.yaml"


def with_latest_tag(repo: Path) -> str:
    """dev's apps overlay deploying the app's `latest` tag."""
    return (repo / DEV_OVERLAY).read_text().replace("newTag: 1.0.0", "newTag: latest")


def add_to_base(repo: Path, name: str) -> str:
    """base/hello/kustomization.yaml with name added to its resources."""
    text = (repo / "base/hello/kustomization.yaml").read_text()
    return text + f"  - {name}\n"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )
