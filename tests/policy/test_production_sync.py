"""production-manual-sync on Flux's own examples: quiet by default, loud once a team opts in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.findings import Finding
from gitops_gate.manifests.loader import load
from gitops_gate.policy.run import evaluate
from gitops_gate.policy.source import load_policies
from tests.helpers.data import corpus_root

FLUX_CORPORA = ["fluxcd__flux2-kustomize-helm-example", "fluxcd__flux2-multi-tenancy"]


def _manual_sync(root: Path) -> list[Finding]:
    loaded = load([root], root=root)
    found = evaluate(load_policies(root), loaded.resources, load_config(root), engine="builtin")
    return [f for f in found if f.rule == "production-manual-sync"]


@pytest.mark.parametrize("corpus", FLUX_CORPORA)
def test_flux_examples_pass_without_an_explicit_autosync(corpus: str) -> None:
    assert _manual_sync(corpus_root(corpus)) == []


@pytest.mark.parametrize("corpus", FLUX_CORPORA)
def test_autosync_false_asks_flux_for_manual_syncs(corpus: str, tmp_path: Path) -> None:
    root = Path(shutil.copytree(corpus_root(corpus), tmp_path / corpus))
    (root / ".gitops-gate.yaml").write_text(
        "environments:\n  production:\n    paths: [clusters/production]\n    autoSync: false\n"
    )
    found = _manual_sync(root)
    assert found and all(f.message.startswith("Flux Kustomization ") for f in found)
    assert "drop autoSync: false from production in .gitops-gate.yaml" in found[0].message
