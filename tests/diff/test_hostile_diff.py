"""A credential a PR writes outside a Secret (a ConfigMap, a HelmRelease's values) is a secret
finding in `check`; the diff, and so the PR comment, must not show it either."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.tree import commit, make_repo

OLD = "Kx7" + "vQ2mLp9ZrT4wNa8sYe3"
NEW = "Jd4" + "rW8tZk2LmB6cVn1hGf9"
CONFIG = "version: 1\nenvironments:\n  dev:\n    paths: [clusters/dev]\n"


def _files(password: str) -> dict[str, str]:
    return {
        ".gitops-gate.yaml": CONFIG,
        "clusters/dev/cm.yaml": (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app, namespace: default}\n"
            f"data:\n  DB_PASSWORD: {password}\n  secretName: app-db\n  level: debug\n"
        ),
        "clusters/dev/release.yaml": (
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
            "metadata: {name: db, namespace: default}\n"
            "spec:\n  chart: {spec: {chart: db}}\n"
            f"  values:\n    auth:\n      rootPassword: {password}-root\n"
            "      existingSecret: ''\n      apiToken: ${API_TOKEN}\n"
        ),
    }


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_a_credential_under_a_password_key_is_masked_in_the_diff(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    repo = make_repo(tmp_path / "repo", _files(OLD))
    commit(repo, _files(NEW), "rotate the database password")
    monkeypatch.chdir(tmp_path / "repo")

    run = cli("diff", "--base", "main~1", "--format", fmt)

    shown = run.out + run.err
    assert OLD not in shown and NEW not in shown, shown
    assert "DB_PASSWORD" in shown and "rootPassword" in shown  # still said to have changed
