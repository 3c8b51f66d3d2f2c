"""A patch target a PR writes is a regular expression kustomize (RE2) matches in linear time;
tracing a field back to it must not backtrack for ever in Python's re."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree

pytestmark = pytest.mark.slow
NAME = "a" * 40
DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {NAME}}}
spec:
  selector: {{matchLabels: {{app: a}}}}
  template:
    metadata: {{labels: {{app: a}}}}
    spec:
      containers:
      - {{name: a, image: 'nginx:1.0'}}
"""


@pytest.mark.parametrize("target", [f"(a*)*b|{NAME}", f"a*a*a*a*a*a*a*a*a*a*a*b|{NAME}"])
def test_a_backtracking_patch_target_does_not_hang_the_check(tmp_path: Path, target: str) -> None:
    ensure_tool("kustomize")
    patch = (
        f"resources: [../../base]\npatches:\n- target: {{kind: Deployment, name: '{target}'}}\n"
        "  patch: |\n    - op: replace\n      path: /spec/template/spec/containers/0/image\n"
        "      value: nginx:latest\n"
    )
    root = write_tree(tmp_path / "repo", {
        ".gitops-gate.yaml": "version: 1\nenvironments:\n  dev: {paths: [clusters/dev]}\n",
        "base/d.yaml": DEPLOYMENT,
        "base/kustomization.yaml": "resources: [d.yaml]\n",
        "clusters/dev/kustomization.yaml": patch,
    })  # fmt: skip

    # SIGTERM cannot stop a regex in C: the run is killed at the timeout, and fails the test.
    done = subprocess.run(
        [sys.executable, "-m", "gitops_gate", "check", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 1, done.stderr
    assert "nginx:latest" in done.stdout  # what dev deploys is still judged
