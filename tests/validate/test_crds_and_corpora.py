"""CRDs from the repo or --crd-dir validate custom resources; real repos agree on both backends."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gitops_gate.findings import Severity
from gitops_gate.manifests.loader import load
from gitops_gate.validate import ValidateOptions, validate_resources
from gitops_gate.validate.builtin import BuiltinBackend
from gitops_gate.validate.kubeconform import KubeconformBackend
from tests.helpers.data import CRDS, corpus_root
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate

KUSTOMIZATION = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
"""


def test_flux_and_argo_crds_validate_their_resources(validate: Validate, tmp_path: Path) -> None:
    bad = KUSTOMIZATION.replace("prune: true", "prune: yes-please")
    root = write_tree(tmp_path / "repo", {"ok.yaml": KUSTOMIZATION, "bad.yaml": bad})
    findings, summary = validate([root], root, crd_dirs=(CRDS,))
    assert summary.crds >= 10
    assert [(f.path, f.line, f.rule) for f in findings] == [("bad.yaml", 7, "schema-invalid")]


def test_crds_taken_from_the_cache_still_validate_after_the_schema_folder_is_gone(
    validate: Validate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first run converts and caches the CRDs; the next ones read only their names from
    # the cache, and the last must read their schemas back to write the folder again.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = KUSTOMIZATION.replace("prune: true", "prune: yes-please")
    root = write_tree(tmp_path / "repo", {"ok.yaml": KUSTOMIZATION, "bad.yaml": bad})
    runs = [validate([root], root, crd_dirs=(CRDS,), cache=False)[0] for _ in range(2)]
    shutil.rmtree(tmp_path / "cache" / "gitops-gate" / "schemas")
    runs.append(validate([root], root, crd_dirs=(CRDS,), cache=False)[0])
    for findings in runs:
        assert [(f.path, f.line, f.rule) for f in findings] == [("bad.yaml", 7, "schema-invalid")]


def test_a_crd_dir_file_changed_in_place_is_read_again(
    validate: Validate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    crds = write_tree(
        tmp_path / "crds", {"widget.yaml": BROKEN_CRD.replace("type: 5", "type: object")}
    )
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: 7\n"
    root = write_tree(tmp_path / "repo", {"w.yaml": widget})
    (first,) = validate([root], root, crd_dirs=(crds,), cache=False)[0]
    assert (first.rule, first.line) == ("schema-invalid", 4)
    crd = crds / "widget.yaml"
    crd.write_text(crd.read_text().replace("spec: {type: object}", "spec: {type: integer}"))
    assert validate([root], root, crd_dirs=(crds,), cache=False)[0] == []


def test_strict_closes_crd_objects(validate: Validate, tmp_path: Path) -> None:
    extra = KUSTOMIZATION + "  pruneEverything: true\n"
    root = write_tree(tmp_path / "repo", {"k.yaml": extra})
    assert validate([root], root, crd_dirs=(CRDS,))[0] == []
    (f,) = validate([root], root, crd_dirs=(CRDS,), strict=True)[0]
    assert (f.rule, f.line, f.message) == (
        "schema-invalid",
        9,
        "spec.pruneEverything: unknown field 'pruneEverything'",
    )


def test_a_crd_in_the_checked_paths_is_used(validate: Validate, tmp_path: Path) -> None:
    crd = (CRDS / "flux" / "kustomize.toolkit.fluxcd.io_kustomizations.yaml").read_text()
    root = write_tree(tmp_path / "repo", {"crds/k.yaml": crd, "k.yaml": KUSTOMIZATION})
    findings, summary = validate([root], root)
    assert findings == []
    assert summary.no_schema == 0


BROKEN_CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: 5}
"""


def test_a_broken_crd_is_a_finding_and_its_resources_are_not_validated(
    validate: Validate, tmp_path: Path
) -> None:
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n"
    root = write_tree(tmp_path / "repo", {"crd.yaml": BROKEN_CRD, "w.yaml": widget})
    findings, _ = validate([root], root)
    assert sorted((f.path, f.rule, f.severity) for f in findings) == [
        ("crd.yaml", "crd-invalid", Severity.ERROR),
        # Kubernetes' own CRD schema says so too: `type` must be a string.
        ("crd.yaml", "schema-invalid", Severity.ERROR),
        ("w.yaml", "not-validated", Severity.WARNING),
    ]


@pytest.mark.slow
def test_both_backends_agree_on_real_repos(
    corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Overlay patches are partial objects, so real repos have findings: the same ones in both."""
    root = corpus_root(corpus)
    loaded = load([root], root=root)
    seen = {}
    for backend in (BuiltinBackend(), KubeconformBackend(ensure_tool("kubeconform"))):
        monkeypatch.setattr("gitops_gate.validate.run.pick", lambda engine="auto", b=backend: b)
        options = ValidateOptions(crd_dirs=(CRDS,), cache_dir=tmp_path / backend.name)
        findings, summary = validate_resources(loaded.resources, None, options=options)
        assert summary.resources > 0
        seen[backend.name] = sorted({(f.path, f.line, f.rule) for f in findings})
    assert seen["builtin"] == seen["kubeconform"]
