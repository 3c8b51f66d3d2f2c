"""`gitops-gate diff` shows no Secret value: not where Flux substitutes it, not in kubectl's
last-applied copy, not in kustomize's error about a generator literal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git
import pytest

from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

pytestmark = pytest.mark.slow

TOKEN = "ghp_" + "Zq8vN3xLp2Rt7WmKa1b2c3d4e5f6g7h8i9j0"
OLD_PASSWORD = "Vb7" + "xQ2mLk9PzR4tWn8sYc3dHf6jGa1eUo5i"
NEW_PASSWORD = "Pq4" + "rT8wZx2LmN6bVc1kJh9sDf3gAe7yUo5i"
LITERAL = "Hn3" + "kW8pQz5RtY2mXc7vBn4jLs6dFg9aSe1u"
CONFIG = "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev]\n"
FLUX = """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  path: ./apps
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - {kind: Secret, name: vars}
"""
APP = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: default}\n"
    "data:\n  url: postgres://app@db/${PASSWORD}\n  token: ${TOKEN}\n  replicas: '${N}'\n"
)


def _vars(password: str, n: int) -> str:
    applied = json.dumps({"stringData": {"PASSWORD": password, "TOKEN": TOKEN}})
    return (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\n"
        f"  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{applied}'\n"
        f"stringData:\n  PASSWORD: {password}\n  TOKEN: {TOKEN}\n  N: '{n}'\n"
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    r = make_repo(root, {
        ".gitops-gate.yaml": CONFIG,
        "clusters/dev/kustomization.yaml": "resources: [vars.yaml, flux.yaml]\n",
        "clusters/dev/vars.yaml": _vars(OLD_PASSWORD, 1),
        "clusters/dev/flux.yaml": FLUX,
        "apps/kustomization.yaml": "resources: [app.yaml]\n",
        "apps/app.yaml": APP,
    })  # fmt: skip
    commit(r, {"clusters/dev/vars.yaml": _vars(NEW_PASSWORD, 2)}, "rotate")
    monkeypatch.chdir(root)
    return root


def _assert_hidden(text: str) -> None:
    for value in (TOKEN, OLD_PASSWORD, NEW_PASSWORD, LITERAL):
        assert value not in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_substituted_and_last_applied_values_are_never_shown(
    repo: Path, cli: Callable[..., Any], fmt: str
) -> None:
    run = cli("diff", "--base", "main~1", "--format", fmt)

    assert run.code == 0, run.err
    shown = run.out + run.err
    _assert_hidden(shown)
    assert "postgres://app@db/<redacted>" in shown  # substituted, then hidden
    assert "+  replicas: 2" in shown  # a value too short to hide (MIN_LENGTH) is still diffed
    assert "last-applied-configuration: <masked, changed>" in shown


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_generator_literal_without_a_key_is_not_quoted_from_kustomize(
    repo: Path, cli: Callable[..., Any], fmt: str
) -> None:
    generator = f"secretGenerator:\n  - name: s\n    literals:\n      - {LITERAL}\n"
    commit(
        git.Repo(repo),
        {"apps/kustomization.yaml": "resources: [app.yaml]\n" + generator},
        "a broken generator",
    )

    run = cli("diff", "--base", "main~1", "--format", fmt)

    shown = run.out + run.err
    assert "invalid literal source" in shown and "redacted" in shown, shown
    _assert_hidden(shown)
