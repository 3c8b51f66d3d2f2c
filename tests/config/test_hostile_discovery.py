"""Discovery reads ApplicationSets a PR wrote: their generators are bounded, never trusted."""

from __future__ import annotations

import time
from pathlib import Path

from gitops_gate.config import load_config
from tests.helpers.tree import write_tree

APP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"


def _appset(generators: str, name: str = "boom") -> str:
    return (
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\n"
        f"metadata: {{name: {name}, namespace: argocd}}\n"
        f"spec:\n  generators:\n{generators}"
        "  template:\n    metadata: {name: 'x-{{env}}-{{region}}'}\n"
        "    spec:\n      project: default\n"
        "      source: {repoURL: 'https://example.invalid/r.git', path: 'apps/{{env}}'}\n"
        "      destination: {server: 'https://kubernetes.default.svc'}\n"
    )


def _list(key: str, n: int, indent: str) -> str:
    items = "".join(f"{indent}    - {key}: {key[0]}{i}\n" for i in range(n))
    return f"{indent}- list:\n{indent}    elements:\n" + items


def test_a_matrix_of_two_huge_lists_is_cut_short_with_a_notice(tmp_path: Path) -> None:
    # 2,000 x 2,000 elements: four million Applications took 40 s and 2 GB before the cut.
    matrix = "  - matrix:\n      generators:\n"
    matrix += _list("env", 2000, "      ") + _list("region", 2000, "      ")
    repo = write_tree(tmp_path, {"argocd/set.yaml": _appset(matrix), "apps/e1/cm.yaml": APP})

    started = time.monotonic()
    config = load_config(repo)

    assert time.monotonic() - started < 20
    assert [e.name for e in config.environments] == ["e1"]
    assert any(n.startswith("argocd/set.yaml:") and "first 1000" in n for n in config.notices), (
        config.notices
    )
