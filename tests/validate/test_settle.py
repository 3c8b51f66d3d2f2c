"""Files kubeconform settles alone: the same findings, counts and records as loading them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_gate.validate import settle
from gitops_gate.validate.options import ValidateOptions
from gitops_gate.validate.paths import validate_paths
from tests.helpers.data import CRDS, FIXTURES, also_over, corpus_root, standalone
from tests.helpers.tree import write_tree
from tests.validate.test_paths import DEPLOY

CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  a: b\n"
NESTED = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  a: b\nx:\n"

HOSTILE = {
    ".git/HEAD": "",
    "plain.yaml": CM.format(name="plain") + "---\n" + DEPLOY.format(name="web", port=80),
    "also.yml": "---\n" + CM.format(name="yml"),
    "invalid.yaml": DEPLOY.format(name="bad", port='"eighty"'),
    "duplicate.yaml": CM.format(name="dup") + "metadata:\n  name: again\n",
    "quoted-duplicate.yaml": CM.format(name="q") + '  "a": c\n',
    "spaced-quoted-duplicate.yaml": CM.format(name="sq") + "  'a'\t : c\n",
    "number-and-string.yaml": CM.format(name="n") + '  "1": x\n  1: y\n',
    "tagged-duplicate.yaml": CM.format(name="t") + "  !!str 1: x\n  1: y\n",
    "flow-duplicate.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f}\n"
    'data: {"1":a, 1: b}\n',
    "carriage-returns.yaml": CM.format(name="cr").replace("\n", "\r"),
    "next-line.yaml": CM.format(name="nel") + "  b: c\x85  d: e\n",
    # Keys whose hashes collide (multiples of 2**61-1): yaml-rs would take minutes on 5 MB.
    "colliding-keys.yaml": CM.format(name="c")
    + "".join(f"  {hex(k * (2**61 - 1))}: v\n" for k in range(1, 1000)),
    "complex-key.yaml": CM.format(name="k") + "  ? [a, b]\n  : c\n",
    "flow-number-keys.yaml": CM.format(name="f") + "  x: {1:, 2:}\n",
    "sequence-key.yaml": CM.format(name="s") + "  [1]: a\n",
    "spaced-sequence-key.yaml": CM.format(name="ss") + "  {a: 1} : a\n",
    "marks.yaml": "--- \n" + CM.format(name="m1") + "---\t\n" + CM.format(name="m2") + "---",
    "nan-keys.yaml": CM.format(name="nan") + "  .nan: a\n  .nan: b\n",
    "mixed-case-nan-keys.yaml": CM.format(name="nan2") + "  .Nan: a\n  .Nan: b\n",
    "anchors.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: &n anchored}\n"
    "data: {a: *n}\n",
    "bomb.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n"
    + "".join(f"  k{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9) if i else 'x'}]\n" for i in range(8)),
    "deep-block.yaml": NESTED + "".join(" " * (i + 1) + "y:\n" for i in range(400)),
    "deep-compact.yaml": NESTED + "  " + "- " * 300 + "z\n",
    "deep-flow.yaml": NESTED + "  " + "[" * 300 + "]" * 300 + "\n",
    "flux.yaml": CM.format(name="${CLUSTER_NAME}-settings"),
    "list.yaml": "apiVersion: v1\nkind: List\nitems:\n  - "
    + CM.format(name="i").replace("\n", "\n    "),
    "empty-doc.yaml": "---\n---\n" + CM.format(name="after-empty"),
    "trailing.yaml": CM.format(name="trailing") + "---\n",
    "top-level-list.yaml": "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: l}\n",
    "yes-no.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: yn}\ndata:\n  a: on\n",
    "missing-kind.yaml": "apiVersion: v1\nmetadata: {name: nokind}\n",
    "generate-name.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: gen-}\n",
    "twins.yaml": DEPLOY.format(name="twin", port=80)
    + "---\n"
    + DEPLOY.format(name="twin", port=81),
    "directive.yaml": "%YAML 1.1\n---\n" + CM.format(name="directive"),
    "latin1.yaml": "",
    "comments.yaml": "# nothing here\n",
    "unknown-kind.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n",
    "crd-user.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
    "metadata: {name: apps, namespace: flux-system}\n"
    "spec: {interval: 10m, path: ./apps, prune: true, sourceRef: {kind: GitRepository, name: x}}\n",
    "overlay/kustomization.yaml": "resources: [../plain.yaml]\npatches:\n  - path: ../patch.yaml\n",
    "patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
    "spec: {replicas: 3}\n",
    ".github/workflows/ci.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ci}\n",
}


def _seen(root: Path, monkeypatch: pytest.MonkeyPatch, *, settling: bool, **extra: Any) -> Any:
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    if not settling:
        monkeypatch.setattr(settle, "available", lambda: False)
    result = validate_paths(
        [root], engine="subprocess", overrides={"cache": False, "crd_dirs": (CRDS,), **extra}
    )
    monkeypatch.undo()
    return _what_a_user_sees(result)


def _what_a_user_sees(result: Any, *, from_cache: bool = True) -> Any:
    """Findings, counts (without how many came from a cache, if not from_cache) and every
    file's record."""
    summary = result.summary.to_json()
    if not from_cache:
        summary.pop("cached"), summary.pop("unchangedFiles")
    return (
        [(f.rule, f.severity, f.message, f.path, f.line) for f in result.findings],
        summary,
        sorted((r.to_json() for r in result.loaded.files), key=lambda r: r["path"]),
    )


def _hostile(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", HOSTILE)
    (root / "latin1.yaml").write_bytes(CM.format(name="caf\xe9").encode("latin-1"))
    return root


@pytest.mark.slow
@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"strict": True},
        {"skip_kinds": frozenset({"Deployment"})},
        {"reject_kinds": frozenset({"v1/ConfigMap"})},
        {"ignore_missing_schemas": True},
    ],
    ids=["default", "strict", "skip", "reject", "ignore-missing"],
)
def test_hostile_files_give_what_loading_them_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overrides: dict[str, Any]
) -> None:
    root = _hostile(tmp_path)
    settled = _seen(root, monkeypatch, settling=True, **overrides)
    loaded = _seen(root, monkeypatch, settling=False, **overrides)
    assert settled == loaded
    assert {f[3] for f in loaded[0]} >= {"duplicate.yaml", "bomb.yaml", "deep-block.yaml"}


@pytest.mark.slow
@also_over("kubeconform-fixtures")
def test_corpora_give_what_loading_them_gives(
    corpus: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = FIXTURES if corpus == "kubeconform-fixtures" else corpus_root(corpus)
    root = standalone(root, tmp_path)
    assert _seen(root, monkeypatch, settling=True) == _seen(root, monkeypatch, settling=False)


@pytest.mark.parametrize(
    ("name", "settles"),
    [
        ("plain.yaml", True),
        ("also.yml", True),
        ("generate-name.yaml", True),
        ("duplicate.yaml", False),
        ("quoted-duplicate.yaml", False),
        ("number-and-string.yaml", False),
        ("tagged-duplicate.yaml", False),
        ("colliding-keys.yaml", False),
        ("complex-key.yaml", False),
        ("flow-number-keys.yaml", True),  # too few keys to collide; yaml-rs reads them as we do
        ("sequence-key.yaml", False),
        ("nan-keys.yaml", False),
        ("mixed-case-nan-keys.yaml", False),
        ("flow-duplicate.yaml", False),
        ("carriage-returns.yaml", False),
        ("next-line.yaml", False),
        ("anchors.yaml", False),
        ("bomb.yaml", False),
        ("deep-block.yaml", False),
        ("deep-compact.yaml", False),
        ("deep-flow.yaml", False),
        ("flux.yaml", False),
        ("list.yaml", False),
        ("empty-doc.yaml", False),
        ("trailing.yaml", False),
        ("top-level-list.yaml", False),
        ("missing-kind.yaml", False),
        ("directive.yaml", False),
        ("latin1.yaml", False),
        ("comments.yaml", False),
    ],
)
def test_only_plain_objects_are_screened_for_settling(
    tmp_path: Path, name: str, settles: bool
) -> None:
    root = _hostile(tmp_path)
    found = settle.screen(name, (root / name).read_bytes(), _load_options(), ValidateOptions())
    assert (found is not None) is settles


def test_a_document_nested_past_any_stack_never_reaches_the_fast_parser() -> None:
    # yaml-rs overflows its stack on ~100,000 nested block collections (it kills the process):
    # the screen must stop such a file before it gets there. 200 KB, far below the size limit.
    # A lone carriage return is a line break to yaml-rs too.
    abyss = NESTED + "  " + "- " * 100_000 + "z\n"
    for data in (abyss.encode(), abyss.replace("\n", "\r").encode()):
        assert settle.screen("abyss.yaml", data, _load_options(), ValidateOptions()) is None


def _load_options() -> Any:
    from gitops_gate.manifests.loader import LoadOptions

    return LoadOptions()


@pytest.mark.slow
def test_a_warm_run_says_what_the_settling_cold_run_said(tmp_path: Path) -> None:
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    root = _hostile(tmp_path)
    options = {"cache": True, "cache_dir": tmp_path / "cache", "crd_dirs": (CRDS,)}
    cold = validate_paths([root], engine="subprocess", overrides=options)
    warm = validate_paths([root], engine="subprocess", overrides=options)
    assert warm.summary.unchanged_files > 0
    assert _what_a_user_sees(warm, from_cache=False) == _what_a_user_sees(cold, from_cache=False)


def test_document_marks_are_found_as_the_multiline_pattern_finds_them(corpora: Path) -> None:
    import re

    pattern = re.compile(r"^---(?:[ \t]|$)", re.MULTILINE)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in corpora.rglob("*.yaml")]
    texts += [*HOSTILE.values(), "---", "----\n---", "a---\n--- x\n---\t\n---", "\n---\n----"]
    for text in texts:
        matches = [m.start() for m in pattern.finditer(text)]
        assert settle._marks(text) == (len(matches), matches[0] if matches else len(text)), text


@pytest.mark.slow
def test_plain_files_kubeconform_calls_valid_are_never_parsed_by_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The point of settling: without it every test above would still pass, loading all."""
    from tests.helpers.toolchain import ensure_tool

    ensure_tool("kubeconform")
    from gitops_gate.manifests import loader

    root = _hostile(tmp_path)
    parsed: list[str] = []
    real = loader.load_walked

    def spy(candidates: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.extend(c.rel for c in candidates)
        return real(candidates, *args, **kwargs)

    monkeypatch.setattr(loader, "load_walked", spy)
    validate_paths([root], engine="subprocess", overrides={"cache": False, "crd_dirs": (CRDS,)})
    assert {"plain.yaml", "also.yml", "generate-name.yaml"}.isdisjoint(parsed)
    assert {"duplicate.yaml", "invalid.yaml", "overlay/kustomization.yaml"} <= set(parsed)
