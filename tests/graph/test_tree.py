"""The graph read from a commit's objects matches the graph of a checkout of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_gate import gitrefs
from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.graph.export import to_json
from gitops_gate.graph.scan import scan
from gitops_gate.graph.tree import scan_tree
from tests.diff.fixtures import three_envs
from tests.helpers.tree import make_repo

FLUX = """apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: web, namespace: flux-system}
spec:
  path: ./web/overlays/dev
  sourceRef: {kind: GitRepository, name: flux-system}
"""

EXTRA = {
    ".gitignore": "ignored/\n*.local.yaml\n",
    "ignored/kustomization.yaml": "resources: []\n",
    "web/base/x.local.yaml": "kind: ConfigMap\n",
    "clusters/dev/web.yaml": FLUX,
    "clusters/dev/notes.txt": "not YAML\n",
    "charts/demo/Chart.yaml": "name: demo\n",
    "charts/demo/templates/cm.yaml": "{{ .Values.x }}\n",
    "bad.yaml": b"\xff\xfe\x00not text",
}


@pytest.mark.parametrize("sub", ["", "web"], ids=["root", "sub-folder"])
def test_tree_graph_equals_checkout_graph(tmp_path: Path, sub: str) -> None:
    root = tmp_path / "repo"
    repo = make_repo(root, {**three_envs(), **EXTRA})
    (root / "web/overlays/dev-link").symlink_to("dev")
    (root / "web/base/link.yaml").symlink_to("web.yaml")
    repo.git.add("-A")
    repo.index.commit("links")
    where = root / sub
    config = load_config(where)

    with gitrefs.snapshot(gitrefs.open_repo(root), repo.head.commit.hexsha, sub) as snap:
        tree_config = load_config(snap.root)
        from_tree = build(scan_tree(snap, tree_config), tree_config)
        skeleton = snap.root
    from_checkout = build(scan(where, config), config)

    assert tree_config.environments == config.environments
    assert to_json(from_tree) == to_json(from_checkout)
    assert from_tree.files == from_checkout.files
    assert not skeleton.exists()


def test_snapshot_is_removed_when_the_caller_fails(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", three_envs())
    at = gitrefs.open_repo(tmp_path / "repo")

    with pytest.raises(RuntimeError), gitrefs.snapshot(at, repo.head.commit.hexsha) as snap:
        snap.write(["web/base/web.yaml"])
        where = snap.root
        raise RuntimeError

    assert not where.exists()
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == [".git", "web"]


def test_snapshot_writes_only_what_is_asked(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**three_envs(), ".gitignore": "x\n"})

    with gitrefs.snapshot(gitrefs.open_repo(tmp_path / "repo"), repo.head.commit.hexsha) as snap:
        assert sorted(p.name for p in snap.root.rglob("*") if p.is_file()) == [".gitignore"]
        assert not snap.covers("web/base")
        snap.write(["web/base/web.yaml", "web/base/kustomization.yaml", "web/base/secret.yaml"])
        assert snap.covers("web/base")
        assert (snap.root / "web/base/web.yaml").read_text() == three_envs()["web/base/web.yaml"]
        snap.write_all()
        copied = {p.relative_to(snap.root).as_posix() for p in snap.root.rglob("*") if p.is_file()}
    assert copied == {*three_envs(), ".gitignore"}
    shutil.rmtree(tmp_path / "repo")
