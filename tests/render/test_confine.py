"""The screen before kustomize: what a rendered root may reach, read as committed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import git
import pytest

from gitops_gate import gitrefs
from gitops_gate.render.confine import MAX_BYTES, screen
from gitops_gate.render.tree import DiskTree, RawTree, SnapshotTree
from tests.helpers.tree import TESTER, write_tree

BASE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
LINK = "->"  # a file content starting with this becomes a symlink to the rest


def _write(root: Path, files: dict[str, str]) -> None:
    write_tree(root, {r: c for r, c in files.items() if not c.startswith(LINK)})
    for rel, content in files.items():
        if content.startswith(LINK):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).symlink_to(content.removeprefix(LINK))


@contextmanager
def disk(tmp: Path, files: dict[str, str]) -> Iterator[RawTree]:
    _write(tmp / "repo", files)
    yield DiskTree(tmp / "repo")


@contextmanager
def committed(tmp: Path, files: dict[str, str]) -> Iterator[RawTree]:
    """The files committed, then read back from the commit's objects (nothing checked out)."""
    root = tmp / "repo"
    repo = git.Repo.init(root, initial_branch="main")
    _write(root, files)
    repo.git.add("-A", "-f")  # ignored files too: they are committed, and kustomize reads them
    sha = repo.index.commit("c", author=TESTER, committer=TESTER).hexsha
    with gitrefs.snapshot(gitrefs.open_repo(root), sha) as snap:
        yield SnapshotTree(snap)


TREES = [pytest.param(disk, id="disk"), pytest.param(committed, id="commit")]
Trees = Callable[[Path, dict[str, str]], "contextmanager[RawTree]"]


def refused(tmp: Path, tree: Trees, files: dict[str, str], root: str = "app") -> list[str]:
    with tree(tmp, files) as t:  # type: ignore[attr-defined]
        return [f"{f.rule} {f.location}" for f in screen(t, [root])]


def app(resources: str, **more: str) -> dict[str, str]:
    return {"app/kustomization.yaml": f"resources:\n{resources}", "app/cm.yaml": BASE, **more}


def at(rule: str, line: int) -> list[str]:
    return [f"{rule} app/kustomization.yaml:{line}"]


HIDDEN = "resources:\n  - http://127.0.0.1:1/x.yaml\n"
CASES = [
    ("safe", app("  - cm.yaml\n  - ../base\n", **{"base/kustomization.yaml": "resources: []\n"}),
     []),
    ("remote", app("  - cm.yaml\n  - https://example.com/x.yaml\n"), at("remote-base", 3)),
    ("up-and-out", app("  - ../../../../etc\n"), at("path-outside-root", 2)),
    ("absolute", app("  - /etc/passwd\n"), at("path-outside-root", 2)),
    # kustomizations the loader skips are still read: node_modules, .gitignore'd, any size.
    ("node_modules",
     app("  - ../node_modules/x\n", **{"node_modules/x/kustomization.yaml": HIDDEN}),
     ["remote-base node_modules/x/kustomization.yaml:2"]),
    ("gitignored",
     app("  - ../ign\n", **{".gitignore": "ign/\n", "ign/kustomization.yaml": HIDDEN}),
     ["remote-base ign/kustomization.yaml:2"]),
    ("huge", app("  - ../big\n", **{"big/kustomization.yaml": HIDDEN + "#" * MAX_BYTES}),
     ["file-too-large big/kustomization.yaml"]),
    ("link-out", app("  - ../lnk\n", lnk="->../../.."), at("symlink-escape", 2)),
    ("link-abs", app("  - cm2.yaml\n", **{"app/cm2.yaml": "->/etc/hostname"}),
     at("symlink-escape", 2)),
    ("link-in", app("  - ../lnk\n", lnk="->base", **{"base/kustomization.yaml": HIDDEN}),
     ["remote-base base/kustomization.yaml:2"]),
    ("kustomization-link", {"app/kustomization.yaml": "->../../../k.yaml"},
     ["symlink-escape app/kustomization.yaml"]),
    ("plain-folder", {"app/cm.yaml": BASE, "app/sub/kustomization.yaml": HIDDEN},
     ["remote-base app/sub/kustomization.yaml:2"]),
    ("plain-folder-link", {"app/cm.yaml": BASE, "app/sub/kustomization.yaml": "->../../k.yaml",
                           "k.yaml": HIDDEN},
     ["remote-base app/sub/kustomization.yaml:2"]),
    ("patch-out", {"app/kustomization.yaml": "patches:\n  - path: ../../x.yaml\n"},
     at("path-outside-root", 2)),
    ("generator-file-out", {"app/kustomization.yaml": "configMapGenerator:\n  - name: a\n"
                            "    files: [k=../../../etc/passwd]\n"},
     at("path-outside-root", 3)),
    ("exec-function", app("  - cm.yaml\ntransformers:\n  - fn.yaml\n", **{"app/fn.yaml": (
        "apiVersion: x/v1\nkind: F\nmetadata:\n  name: f\n  annotations:\n"
        "    config.kubernetes.io/function: |\n      exec: {path: /bin/sh}\n")}),
     at("render-plugin", 4)),
    ("builtin-plugin", app("  - cm.yaml\ntransformers:\n  - l.yaml\n", **{"app/l.yaml": (
        "apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {a: b}\n")}),
     []),
    ("helm-repo", {"app/kustomization.yaml": "helmCharts:\n  - name: x\n    repo: https://c.io\n"},
     at("remote-chart", 2)),
    ("chart-home-out", {"app/kustomization.yaml": "helmGlobals:\n  chartHome: ../../..\n"},
     at("path-outside-root", 2)),
    ("openapi-url", {"app/kustomization.yaml": "openapi:\n  path: https://x.io/s.json\n"},
     at("remote-base", 2)),
]  # fmt: skip


@pytest.mark.parametrize("tree", TREES)
@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_refusals(tmp_path: Path, tree: Trees, files: dict[str, str], expected: list[str]) -> None:
    assert refused(tmp_path, tree, files) == expected


@pytest.mark.parametrize("tree", TREES)
def test_a_root_outside_the_repository_is_refused(tmp_path: Path, tree: Trees) -> None:
    assert refused(tmp_path, tree, app("  - cm.yaml\n"), root="../elsewhere") == [
        "path-outside-root ../elsewhere"
    ]


def test_a_snapshot_sits_alone_in_a_private_folder(tmp_path: Path) -> None:
    """`..` from a snapshot's top leads to an empty folder only its owner can open."""
    root = tmp_path / "repo"
    repo = git.Repo.init(root, initial_branch="main")
    write_tree(root, app("  - cm.yaml\n"))
    repo.git.add("-A")
    sha = repo.index.commit("c", author=TESTER, committer=TESTER).hexsha
    with gitrefs.snapshot(gitrefs.open_repo(root), sha) as snap:
        parent = snap.root.parent
        assert (sorted(p.name for p in parent.iterdir()), parent.stat().st_mode & 0o777) == (
            ["repo"],
            0o700,
        )
        assert sha[:12] not in str(snap.root)


def test_a_checkouts_git_folder_is_not_screened(tmp_path: Path) -> None:
    files = {".git/modules/x/kustomization.yaml": HIDDEN, "sub/kustomization.yaml": HIDDEN}
    assert refused(tmp_path, disk, files, root=".") == ["remote-base sub/kustomization.yaml:2"]
