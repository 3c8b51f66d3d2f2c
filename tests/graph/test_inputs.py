"""An environment's inputs, found by bisection, are the files its definition names."""

from __future__ import annotations

import pytest

from gitops_gate.config import load_config
from gitops_gate.graph import RepoGraph
from gitops_gate.graph.model import DEPENDS_ON, node_id
from gitops_gate.graph.scan import scan
from gitops_gate.graph.shared import SharedGraph
from tests.helpers.data import CORPORA

NAMES = sorted(p.name for p in CORPORA.iterdir() if p.is_dir())


def _defined(rg: RepoGraph, env: str) -> list[str]:
    """Every file node above env, and every file of the repo under a folder node above it."""
    target = node_id("env", env)
    if target not in rg.graph:
        return []
    nodes = [rg.graph.nodes[n] for n in rg.graph.ancestors(target, skip=DEPENDS_ON)]
    out = {d["path"] for d in nodes if d["kind"] == "file"}
    for d in (d["path"] for d in nodes if d["kind"] == "dir"):
        out.update(f for f in rg.files if d == "." or f.startswith(d + "/"))
    return sorted(out)


@pytest.mark.parametrize("corpus", NAMES)
def test_inputs_are_the_files_the_definition_names(corpus: str) -> None:
    config = load_config(CORPORA / corpus)
    rg = SharedGraph(config).graph()
    assert rg.files == frozenset(f.path for f in scan(config.root, config).files)
    for env in [*config.environments, None]:
        name = env.name if env is not None else "no-such-environment"
        assert rg.inputs(name) == _defined(rg, name)
    assert any(rg.inputs(e.name) for e in config.environments) or not config.environments
