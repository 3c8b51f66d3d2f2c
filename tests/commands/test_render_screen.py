"""`check` screens what a render would refuse, without rendering: every kustomization reached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.tree import write_tree

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: shop}\n"
DEV = "clusters/dev/kustomization.yaml"


@pytest.mark.parametrize(
    ("files", "expected", "code"),
    [
        (
            {
                DEV: "resources:\n  - cm.yaml\n  - ../../node_modules/evil\n",
                "node_modules/evil/kustomization.yaml": "resources:\n  - https://x.test/a.yaml\n",
            },
            "node_modules/evil/kustomization.yaml:2: info: remote base https://x.test/a.yaml",
            0,
        ),
        (
            {
                ".gitignore": "hidden/\n",
                DEV: "resources:\n  - cm.yaml\n  - ../../hidden\n",
                "hidden/kustomization.yaml": "resources:\n  - github.com/evil/repo//base?ref=v1\n",
            },
            "hidden/kustomization.yaml:2: info: remote base github.com/evil/repo//base?ref=v1",
            0,
        ),
        (
            {DEV: "resources:\n  - cm.yaml\n  - ../../../../../etc\n"},
            f"{DEV}:3: error:",
            1,
        ),
    ],
    ids=["under-node_modules", "gitignored", "out-of-the-repo"],
)
def test_check_refuses_what_a_render_would(
    tmp_path: Path, cli: Callable[..., Run], files: dict[str, str], expected: str, code: int
) -> None:
    root = write_tree(tmp_path / "repo", {"clusters/dev/cm.yaml": CM, **files})

    run = cli("check", str(root))

    assert run.code == code  # a remote base is noted (fetched at deploy); a path out fails
    assert [line for line in run.out.splitlines() if line.startswith(expected)], run.out
    assert "[render/" in run.out


def test_a_repo_whose_kustomizations_stay_inside_has_no_render_finding(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    root = write_tree(
        tmp_path / "repo",
        {"clusters/dev/cm.yaml": CM, DEV: "resources:\n  - cm.yaml\n  - ../../base\n",
         "base/kustomization.yaml": "resources: []\n"},
    )  # fmt: skip

    run = cli("check", str(root), "--format", "json")

    assert "render/" not in run.out
    assert '"render"' in run.out  # the screen ran
