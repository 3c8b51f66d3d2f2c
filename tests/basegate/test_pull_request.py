"""One pull request tries issue 15's sections 1-3 at once; `check --base` fails on each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.basegate.test_attacks import (
    CONFIG,
    MONDAY,
    _check,
    _errors,
    _pull_request,
)
from tests.conftest import Run
from tests.helpers.manifests import deployment

DEPLOYED = "clusters/production/vendor/extra.yaml"  # gitignored, but listed: it is deployed
PULL_REQUEST = {
    # 1. the gate's own config switched off the rule that would catch it
    ".gitops-gate.yaml": CONFIG + "policy:\n  disable: [no-latest-tag]\n",
    # 2. a render reaching out of the repository, 3. a file the walk would skip
    "clusters/production/kustomization.yaml": (
        "resources:\n  - deploy.yaml\n  - ../../../../../../etc\n  - vendor/extra.yaml\n"
    ),
    ".gitignore": "vendor/\n",
    DEPLOYED: deployment("app:latest", name="extra"),
}


def test_a_pull_request_trying_sections_1_to_3_fails_check_on_each(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    _pull_request(tmp_path, PULL_REQUEST)

    code, found = _check(cli, tmp_path, "--base", "main", "--at", MONDAY)

    assert code == 1
    assert [f["path"] for f in _errors(found, "gate-changed")] == [".gitops-gate.yaml"]
    outside = _errors(found, "path-outside-root")
    assert [(f["path"], f["line"]) for f in outside] == [
        ("clusters/production/kustomization.yaml", 3)
    ]
    assert [f["path"] for f in _errors(found, "no-latest-tag")] == [DEPLOYED]
