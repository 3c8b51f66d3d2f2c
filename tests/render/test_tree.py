"""DiskTree's remembered, string-built lookups say what a fresh pathlib lstat says."""

from __future__ import annotations

import stat
from pathlib import Path

from gitops_gate.render.tree import DiskTree
from tests.helpers.tree import write_tree


def _lstat_kind(path: Path) -> str | None:
    """The definition: pathlib's lstat of root / rel, each time."""
    try:
        mode = path.lstat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISLNK(mode):
        return "link"
    return "dir" if stat.S_ISDIR(mode) else "file"


def test_every_kind_is_what_pathlib_says(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "repo", {"base/app/kustomization.yaml": "resources: []\n", "top.yaml": "a: 1\n"}
    )
    (root / "linked").symlink_to("base")
    (root / "base/app/file-link.yaml").symlink_to("kustomization.yaml")
    (root / "gone").symlink_to("nowhere")
    rels = [
        ".", "", "base", "base/", "base/app", "base/app/kustomization.yaml", "top.yaml",
        "top.yaml/x", "linked", "linked/", "linked/app", "base/app/file-link.yaml", "gone",
        "gone/", "missing", "base//app", "./base", "base/./app", "base/../top.yaml",
    ]  # fmt: skip
    tree = DiskTree(root)
    for _ in range(2):  # the second round is answered from what the first looked up
        assert [tree.kind(r) for r in rels] == [_lstat_kind(root / r) for r in rels]
    assert tree.kind("linked/") == "link"  # a trailing slash never follows the link
