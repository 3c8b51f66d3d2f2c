"""`check --changed FILE`: name the change when the paths checked are wider than it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run
from tests.helpers.tree import write_tree

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n"


def test_a_changed_file_outside_the_repo_is_a_one_line_usage_error(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    write_tree(tmp_path, {"cm.yaml": CM})

    run = cli("check", "--changed", "../../etc/passwd", str(tmp_path))

    assert run.code == 2
    assert run.err.strip().splitlines() == [
        "gitops-gate: --changed '../../etc/passwd' is not a path inside the repository "
        "(name files relative to the repository root)"
    ]


def test_changed_and_base_cannot_be_given_together(tmp_path: Path, cli: Callable[..., Run]) -> None:
    write_tree(tmp_path, {"cm.yaml": CM})

    run = cli("check", "--changed", "cm.yaml", "--base", "main", str(tmp_path))

    assert run.code == 2
    assert "not allowed with argument" in run.err
