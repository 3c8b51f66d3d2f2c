"""Flux post-build: a postBuild of the wrong shape is a finding on the Kustomization."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tree import write_tree
from tests.render.test_render import APP, FLUX, VARS, kubectl, render


@pytest.mark.parametrize(
    ("post_build", "says"),
    [
        (
            "substitute: [1, 2]",
            "postBuild.substitute is not a mapping of variable names to strings",
        ),
        ("substitute: {replicas: [4]}", "postBuild.substitute has a value that is not a string"),
        ("substituteFrom: 3", "postBuild.substituteFrom is not a list"),
    ],
    ids=["substitute-a-list", "substitute-value-a-list", "substitute-from-a-number"],
)
def test_post_build_of_the_wrong_shape_is_a_finding(
    tmp_path: Path, post_build: str, says: str
) -> None:
    flux = FLUX.split("  postBuild:\n")[0] + f"  postBuild:\n    {post_build}\n"
    write_tree(tmp_path, {
        "clusters/prod/apps.yaml": flux,
        "clusters/prod/vars.yaml": VARS,
        "apps/kustomization.yaml": "resources: [app.yaml]\n",
        "apps/app.yaml": APP,
    })  # fmt: skip

    objects, findings = render(tmp_path, "prod", kubectl)

    assert findings == [f"apps/kustomization.yaml:1: Kustomization flux-system/apps: {says}"]
    assert "Deployment.apps team/web-${tier}" in objects
