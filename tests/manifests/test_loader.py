"""What the loader accepts and how it classifies files, with provenance for every field."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.manifests.loader import load, load_text
from gitops_gate.manifests.model import FileKind
from tests.helpers.tree import write_tree

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
        - name: sidecar
          image: envoy:v1
"""


@pytest.mark.parametrize(
    ("pointer", "line"),
    [
        ("", 1),
        ("/metadata/name", 4),
        ("/spec/template/spec/containers/0/image", 11),
        ("/spec/template/spec/containers/1", 12),
        ("/spec/template/spec/containers/1/image", 13),
        ("/spec/template/spec/containers/7/image", 9),
        ("/spec/replicas", 6),
    ],
)
def test_field_path_maps_to_its_line(pointer: str, line: int) -> None:
    (resource,) = load_text(DEPLOYMENT, "web.yaml").resources
    assert resource.line_of(pointer) == line


def test_multi_document_and_list_items_keep_their_own_lines() -> None:
    text = (
        "# leading comment\n---\n" + DEPLOYMENT + "---\napiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n"
    )
    result = load_text(text, "all.yaml")

    assert [(str(r.key), r.index, r.item, r.line) for r in result.resources] == [
        ("Deployment.apps shop/web", 0, None, 3),
        ("ConfigMap a", 1, 0, 20),
        ("ConfigMap b", 1, 1, 23),
    ]
    assert result.findings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: a}\nx: &m 2\ndata: {k: *m}\n",
            {"k": 2},
        ),
        ("apiVersion: v1\t\nkind: ConfigMap\t\nmetadata: {name: a}\ndata:\n  k: v\t\n", {"k": "v"}),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: !Ref v\n", {"k": "v"}),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  5: x\n  3.14: y\n"
            "  true: z\n",
            {"5": "x", "3.14": "y", "true": "z"},
        ),
        (
            "base: &b {k: v}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"
            "data: {<<: *b, j: w}\n",
            {"j": "w", "k": "v"},
        ),
        (
            '{"apiVersion": "v1", "kind": "ConfigMap",\n\t"metadata": {"name": "a"},\n'
            '\t"data": {"k":"v"}}\n',
            {"k": "v"},
        ),
    ],
    ids=[
        "anchor-defined-twice",
        "trailing-tabs",
        "unknown-tag",
        "non-string-keys",
        "merge-key",
        "json-with-tabs",
    ],
)
def test_accepts_what_go_yaml_accepts(text: str, expected: dict[str, object]) -> None:
    result = load_text(text, "cm.yaml")

    assert result.findings == []
    assert [r.body["data"] for r in result.resources] == [expected]


def test_classifies_every_file_and_says_why_it_was_skipped(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "chart/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n{{- if .x }}\n",
            "chart/values.yaml": "replicas: 2\n",
            "k/kustomization.yaml": "resources: [a.yaml]\n",
            "k/a.yaml": DEPLOYMENT,
            "empty.yaml": "# nothing here\n---\n",
            "flux.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c-${cluster_name}\n",
            "tpl.yaml": "kind: {{ .Kind }}\nname: {{ .Name }}\n",
            "README.md": "# hi\n",
        },
    )

    result = load([tmp_path], root=tmp_path)

    kinds = {f.path: (f.kind, f.reason) for f in result.files}
    assert kinds["chart/Chart.yaml"][0] is FileKind.OTHER_YAML
    assert kinds["chart/templates/deploy.yaml"] == (
        FileKind.HELM_TEMPLATE,
        "Helm template: not YAML until rendered (helm template)",
    )
    assert kinds["chart/values.yaml"] == (
        FileKind.OTHER_YAML,
        "not a Kubernetes resource (no apiVersion or kind)",
    )
    assert kinds["k/kustomization.yaml"][0] is FileKind.KUSTOMIZATION
    assert kinds["k/a.yaml"][0] is FileKind.MANIFESTS
    assert kinds["empty.yaml"] == (FileKind.COMMENT_ONLY, "no documents: empty or only comments")
    assert kinds["tpl.yaml"][0] is FileKind.HELM_TEMPLATE
    assert kinds["README.md"] == (FileKind.NOT_YAML, "not YAML or JSON")
    (flux,) = [r for r in result.resources if r.path == "flux.yaml"]
    assert flux.substituted
    assert [k.path for k in result.kustomizations] == ["k/kustomization.yaml"]
    assert result.findings == []


def test_respects_gitignore_and_config_excludes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".gitignore": "ignored/\n*.secret.yaml\n",
            "sub/.gitignore": "local.yaml\n",
            "ignored/a.yaml": DEPLOYMENT,
            "x.secret.yaml": DEPLOYMENT,
            "sub/local.yaml": DEPLOYMENT,
            "sub/kept.yaml": DEPLOYMENT,
            "vendor/thing.yaml": DEPLOYMENT,
            "kept.yaml": DEPLOYMENT,
        },
    )

    from gitops_gate.manifests.loader import LoadOptions

    result = load([tmp_path], root=tmp_path, options=LoadOptions(exclude=("vendor/",)))

    assert sorted(f.path for f in result.files) == [
        ".gitignore",
        "kept.yaml",
        "sub/.gitignore",
        "sub/kept.yaml",
    ]


PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"


@pytest.mark.parametrize("named", ["tree", "file-alone"])
def test_kustomize_patches_are_set_apart_from_resources(tmp_path: Path, named: str) -> None:
    write_tree(
        tmp_path,
        {
            "base/kustomization.yaml": "resources: [web.yaml]\n",
            "base/web.yaml": DEPLOYMENT,
            "prod/kustomization.yaml": (
                "resources: [../base]\npatches:\n  - path: patches/replicas.yaml\n"
                "patchesStrategicMerge: [more.yaml]\n"
            ),
            "prod/patches/replicas.yaml": PATCH,
            "prod/more.yaml": PATCH,
        },
    )
    paths = [tmp_path] if named == "tree" else [tmp_path / "prod/patches/replicas.yaml"]

    result = load(paths, root=tmp_path)

    patches = {f.path: f.kind for f in result.files if f.kind is FileKind.PATCH}
    expected = {"prod/patches/replicas.yaml", "prod/more.yaml"}
    assert set(patches) == (expected if named == "tree" else {"prod/patches/replicas.yaml"})
    assert all(r.path == "base/web.yaml" for r in result.resources)
    assert {r.path for r in result.patches} == set(patches)
