"""`validate_paths`: unchanged files skipped on a warm run, kubeconform on the user's own files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.validate.paths import validate_paths
from tests.helpers.data import CRDS, FIXTURES, also_over, corpus_root, standalone
from tests.helpers.tree import write_tree

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{{containerPort: {port}}}]
"""
WIDGET_CRD = """\
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
            spec: {type: object, properties: {size: {type: integer}}}
"""
WIDGET = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n"


def _repo(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "repo",
        {
            ".git/HEAD": "",
            "apps/good.yaml": DEPLOY.format(name="good", port=80),
            "apps/bad.yaml": DEPLOY.format(name="bad", port='"eighty"'),
            "widgets/w.yaml": WIDGET,
            "values.yaml": "a: 1\n",
        },
    )


def _seen(result: object) -> list[tuple[str | None, int | None, str, str]]:
    findings = result.findings  # type: ignore[attr-defined]
    return [(f.path, f.line, f.rule, f.message) for f in findings]


def test_a_warm_run_skips_unchanged_files_with_the_same_findings(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    cache = {"cache_dir": tmp_path / "cache"}
    cold = validate_paths([root], engine="builtin", overrides=cache)
    warm = validate_paths([root], engine="builtin", overrides=cache)
    assert _seen(warm) == _seen(cold)
    assert ("apps/bad.yaml", 12, "schema-invalid") in [f[:3] for f in _seen(cold)]
    assert (cold.summary.unchanged_files, warm.summary.unchanged_files) == (0, 4)
    assert warm.summary.cached == 3
    assert warm.summary.to_json() | {"cached": 0, "unchangedFiles": 0} == cold.summary.to_json()


def test_an_edited_file_is_validated_again(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    cache = {"cache_dir": tmp_path / "cache"}
    validate_paths([root], engine="builtin", overrides=cache)
    (root / "apps/good.yaml").write_text(DEPLOY.format(name="good", port="[]"))
    warm = validate_paths([root], engine="builtin", overrides=cache)
    assert warm.summary.unchanged_files == 3
    assert ("apps/good.yaml", 12, "schema-invalid") in [f[:3] for f in _seen(warm)]


def test_a_crd_in_the_repo_changes_the_schema_set(tmp_path: Path) -> None:
    """w.yaml's bytes stay the same, but once its CRD is there it has a schema to fail."""
    root = _repo(tmp_path)
    cache = {"cache_dir": tmp_path / "cache"}
    before = validate_paths([root], engine="builtin", overrides=cache)
    assert ("widgets/w.yaml", "no-schema") in [(f[0], f[2]) for f in _seen(before)]
    (root / "crds.yaml").write_text(WIDGET_CRD)
    after = validate_paths([root], engine="builtin", overrides=cache)
    assert after.summary.unchanged_files == 0
    assert ("widgets/w.yaml", 4, "schema-invalid") in [f[:3] for f in _seen(after)]
    again = validate_paths([root], engine="builtin", overrides=cache)
    assert again.summary.unchanged_files == 4  # all but the CRD file, which is always read
    assert _seen(again) == _seen(after)


def test_no_cache_means_nothing_is_skipped(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    options = {"cache_dir": tmp_path / "cache", "cache": False}
    validate_paths([root], engine="builtin", overrides=options)
    assert validate_paths([root], engine="builtin", overrides=options).summary.cached == 0
    assert not (tmp_path / "cache").exists()


SAME_NAME_TWICE = (
    DEPLOY.format(name="twin", port=80) + "---\n" + DEPLOY.format(name="twin", port='"eighty"')
)


@pytest.mark.slow
@also_over("kubeconform-fixtures", "same-name-twice")
def test_kubeconform_on_the_users_files_agrees_with_builtin(corpus: str, tmp_path: Path) -> None:
    """kubeconform reads the files itself; its results map back by file, kind, apiVersion and
    name, and documents it cannot tell apart go through our copies: the findings match."""
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    if corpus == "same-name-twice":
        root = write_tree(tmp_path / "r", {".git/HEAD": "", "twins.yaml": SAME_NAME_TWICE})
    else:
        root = FIXTURES if corpus == "kubeconform-fixtures" else corpus_root(corpus)
        root = standalone(root, tmp_path)
    seen = {}
    for engine in ("builtin", "subprocess"):
        options = {"cache": False, "crd_dirs": (CRDS,)}
        result = validate_paths([root], engine=engine, overrides=options)
        seen[engine] = sorted({(f.path, f.line, f.rule) for f in result.findings}, key=str)
    assert seen["builtin"] == seen["subprocess"]
    if corpus == "same-name-twice":
        assert [f[1:] for f in seen["builtin"]] == [(25, "schema-invalid")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "files",
    [{"values.yaml": "replicas: 2\n"}, {"web.yaml": DEPLOY.format(name="web", port=80)}],
    ids=["no-resources", "one-resource"],
)
def test_a_kubeconform_failure_is_reported_when_no_resource_is_left_to_map(
    files: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubeconform runs over every YAML file: with nothing left to map back (no resources) or
    something, its failure stops the run instead of passing it clean."""
    from gitops_gate.errors import ToolError
    from gitops_gate.validate.kubeconform import KubeconformBackend
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    root = write_tree(tmp_path / "r", {".git/HEAD": "", **files})

    def crashed(self: KubeconformBackend, store: object, paths: list[Path]) -> None:
        raise ToolError(["kubeconform"], 2, "panic: out of memory")

    monkeypatch.setattr(KubeconformBackend, "run", crashed)
    with pytest.raises(ToolError):
        validate_paths([root], engine="subprocess", overrides={"cache": False})
