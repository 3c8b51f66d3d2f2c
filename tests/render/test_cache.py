"""The render cache: a truncated or edited entry is rendered again, never trusted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.cachedir import read_json
from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.manifests.loader import load
from gitops_gate.render import RenderCache, RenderSettings, Target
from gitops_gate.render.many import render_many
from tests.diff.fixtures import three_envs
from tests.helpers.tree import write_tree
from tests.render.test_render import kustomize


def _forge_replicas(data: bytes) -> bytes:
    """The payload says 9 replicas; the checksum is still the one of 2."""
    return data.replace(b'"replicas":2', b'"replicas":9')


@pytest.mark.slow
@pytest.mark.parametrize(
    "damage",
    [lambda data: data[: len(data) // 3], _forge_replicas, lambda data: b"{}"],
    ids=["truncated", "edited", "replaced"],
)
def test_a_damaged_render_is_rendered_again(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    root = write_tree(tmp_path / "repo", three_envs())
    config = load_config(root)
    staging = config.environment("staging")
    assert staging is not None
    target = Target(staging, root, build(load([root], root=root), config))
    cache = RenderCache(tmp_path / "render")

    def replicas() -> tuple[bool, object]:
        (out,) = render_many([target], kustomize(), RenderSettings(timeout=60), cache=cache)
        web = next(o for k, o in out.objects.items() if k.kind == "Deployment")
        return out.cached, web["spec"]["replicas"]

    assert replicas() == (False, 2)
    assert replicas() == (True, 2)
    (entry,) = (tmp_path / "render").glob("*.json")
    entry.write_bytes(damage(entry.read_bytes()))
    assert entry.read_bytes() != b"" and read_json(entry) is None
    assert replicas() == (False, 2)
    assert read_json(entry) is not None  # rewritten whole by that render
    assert replicas() == (True, 2)
