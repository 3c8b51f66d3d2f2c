"""A repository in the seeds' layout: one base, an overlay per environment pinning its tag."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from tests.helpers.tree import make_repo

IMAGE = "ghcr.io/acme/web"
CONFIG = """\
version: 1
validate:
  skipKinds: [HelmRelease]
environments:
  dev: {paths: [clusters/dev]}
  staging: {paths: [clusters/staging]}
  production:
    paths: [clusters/production]
    production: true
    autoSync: false
"""
DEPLOYMENT = f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: {IMAGE}:1.0.0  # every overlay pins its own tag
          resources:
            requests: {{cpu: 10m, memory: 16Mi}}
            limits: {{cpu: 100m, memory: 64Mi}}
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
"""


def overlay(tag: str, comment: str = "") -> str:
    return f"""\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base/web
images:
  # {comment or "the tag this environment runs"}
  - name: {IMAGE}
    newTag: {tag}  # moved by gitops-gate
"""


FILES = {
    ".gitops-gate.yaml": CONFIG,
    "base/web/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "base/web/deployment.yaml": DEPLOYMENT,
    "clusters/dev/kustomization.yaml": overlay("v1.2.0-dev.3", "dev follows every build"),
    "clusters/staging/kustomization.yaml": overlay("v1.2.0-rc.1"),
    "clusters/production/kustomization.yaml": overlay("v1.1.0"),
}


@pytest.fixture
def seeds(tmp_path: Path) -> git.Repo:
    return make_repo(tmp_path / "repo", FILES)


def root_of(repo: git.Repo) -> Path:
    return Path(str(repo.working_tree_dir))


def show(repo: git.Repo, ref: str, rel: str) -> str:
    return str(repo.git.show(f"{ref}:{rel}"))
