"""ApplicationSets in the graph: a change to one reaches every environment it generates."""

from __future__ import annotations

import pytest

from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.graph.scan import scan
from tests.helpers.data import CORPORA

HOMELAB = CORPORA / "theepicsaxguy__homelab"


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["k8s/infrastructure/applicationsets/application-set.yaml"], ["dev", "prod", "staging"]),
        (["k8s/infrastructure/overlays/prod/rollout.yaml"], ["prod"]),
        (["k8s/applications/overlays/staging/patches/replicas.yaml"], ["staging"]),
    ],
    ids=["the-applicationset", "one-overlay", "a-patch"],
)
def test_what_a_change_reaches(changed: list[str], expected: list[str]) -> None:
    config = load_config(HOMELAB)
    graph = build(scan(HOMELAB, config), config)
    assert graph.affected_environments(changed) == expected
