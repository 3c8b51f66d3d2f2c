"""The gate's own config is a PR's file too: linked out of the repository, it is not read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.helpers.tree import write_tree


def test_a_config_linked_out_of_the_repository_is_refused_unread(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    # The file outside would lower the gate: only warnings would fail, never this error.
    outside = write_tree(tmp_path / "outside", {"cfg.yaml": "version: 1\nfailLevel: info\n"})
    root = write_tree(tmp_path / "repo", {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\n"})
    (root / ".gitops-gate.yaml").symlink_to(outside / "cfg.yaml")

    run = cli("check", str(root))

    assert run.code == 2, run.out
    assert run.err == (
        "gitops-gate: .gitops-gate.yaml: the config is a link that leaves the repository;"
        " it was not read (commit the config itself)\n"
    )
