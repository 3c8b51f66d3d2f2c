"""Every consumer of kustomization references (graph, hooks, loader) sees the same ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.graph.scan import scan
from gitops_gate.hooks.affected import affected_by_kustomize_references
from gitops_gate.manifests.kustomization import is_kustomization_file, refs
from gitops_gate.manifests.loader import LoadOptions, patch_targets
from tests.helpers.tree import write_tree

CONFIG = "version: 1\nenvironments:\n  dev: {paths: [clusters/dev]}\n"
HEAD = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n"
PATCH = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n"
BASE = {
    "common/base/kustomization.yaml": HEAD + "resources: [cm.yaml]\n",
    "common/base/cm.yaml": CM,
}
COMPONENT = {
    "common/comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
    "kind: Component\nresources: [cm.yaml]\n",
    "common/comp/cm.yaml": CM,
}

# (the kustomization's fields, the files there, the changed file, whether it is a patch); the
# path named is the changed file, or for a folder-valued field the folder holding it
CASES = [
    ("resources: [../../common/cm.yaml]", {"common/cm.yaml": CM}, "common/cm.yaml", False),
    ("resources: [../../common/base]", BASE, "common/base/cm.yaml", False),
    ("bases: [../../common/base]", BASE, "common/base/cm.yaml", False),
    ("components: [../../common/comp]", COMPONENT, "common/comp/cm.yaml", False),
    ("crds: [../../common/crd.json]", {"common/crd.json": "{}"}, "common/crd.json", False),
    (
        "patches: [{path: ../../common/patch.yaml}]",
        {"common/patch.yaml": PATCH},
        "common/patch.yaml",
        True,
    ),
    (
        "patchesStrategicMerge: [../../common/patch.yaml]",
        {"common/patch.yaml": PATCH},
        "common/patch.yaml",
        True,
    ),
    (
        "patchesJson6902: [{path: ../../common/patch.yaml, target: {kind: ConfigMap, name: cm}}]",
        {"common/patch.yaml": "- {op: add, path: /data/c, value: d}\n"},
        "common/patch.yaml",
        True,
    ),
    (
        "configMapGenerator: [{name: app, files: [conf=../../common/app.conf]}]",
        {"common/app.conf": "a=b\n"},
        "common/app.conf",
        False,
    ),
    (
        "configMapGenerator: [{name: app, envs: [../../common/app.env]}]",
        {"common/app.env": "A=b\n"},
        "common/app.env",
        False,
    ),
    (
        "secretGenerator: [{name: app, files: [../../common/token.txt]}]",
        {"common/token.txt": "not a secret\n"},
        "common/token.txt",
        False,
    ),
    (
        "replacements: [{path: ../../common/replacement.yaml}]",
        {"common/replacement.yaml": "source: {kind: ConfigMap, name: cm}\ntargets: []\n"},
        "common/replacement.yaml",
        False,
    ),
    (
        "helmCharts: [{name: app, valuesFile: ../../common/values.yaml}]",
        {"common/values.yaml": "replicas: 2\n"},
        "common/values.yaml",
        False,
    ),
]


@pytest.mark.parametrize(
    ("fields", "files", "changed", "is_patch"), CASES, ids=[c[0].split(":")[0] for c in CASES]
)
def test_each_consumer_sees_the_same_reference(
    tmp_path: Path, fields: str, files: dict[str, str], changed: str, is_patch: bool
) -> None:
    kfile = "clusters/dev/kustomization.yaml"
    root = write_tree(tmp_path, {".gitops-gate.yaml": CONFIG, kfile: HEAD + fields + "\n", **files})
    config = load_config(root)
    named = {r.target for r in refs(kfile, _body(root / kfile))}
    assert named & {changed, changed.rpartition("/")[0]}
    assert build(scan(root, config), config).affected_environments([changed]) == ["dev"]
    assert affected_by_kustomize_references(root, [changed], config) == ["dev"]
    set_apart = patch_targets(root, [kfile], LoadOptions())
    assert (changed in set_apart) is is_patch


def test_an_inline_strategic_merge_patch_is_no_path(tmp_path: Path) -> None:
    inline = "patchesStrategicMerge:\n- |-\n  kind: ConfigMap\n  metadata: {name: cm}\n"
    root = write_tree(
        tmp_path, {".gitops-gate.yaml": CONFIG, "clusters/dev/kustomization.yaml": HEAD + inline}
    )
    config = load_config(root)
    assert (
        list(
            refs("clusters/dev/kustomization.yaml", _body(root / "clusters/dev/kustomization.yaml"))
        )
        == []
    )
    graph = build(scan(root, config), config)
    assert [f.rule for f in graph.findings] == []


def test_remote_entries_are_refs_marked_remote_and_reach_no_file(tmp_path: Path) -> None:
    body = {"resources": ["https://github.com/example/app//deploy?ref=v1", "github.com/x/y/z"]}
    found = list(refs("clusters/dev/kustomization.yaml", body))
    assert [(r.target, r.remote) for r in found] == [
        ("https://github.com/example/app//deploy?ref=v1", True),
        ("github.com/x/y/z", True),
    ]


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("kustomization.yaml", True),
        ("a/b/kustomization.yml", True),
        ("a/Kustomization", True),
        ("a/kustomization.yaml.bak", False),
        ("a/my-kustomization.yaml", False),
    ],
)
def test_kustomization_file_names(rel: str, expected: bool) -> None:
    assert is_kustomization_file(rel) is expected


def _body(path: Path) -> object:
    import yaml

    return yaml.safe_load(path.read_text())
