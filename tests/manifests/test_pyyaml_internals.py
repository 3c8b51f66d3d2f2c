"""PyYAML's internals that manifests/yamlsafe.py hooks into: each is there, used as we use it.

yamlsafe.py overrides the resolver hooks libyaml's composer calls (resolve, descend_resolver,
ascend_resolver) and calls SafeLoader.resolve on its own loader, overrides the pure-Python
Composer.compose_node and empties its `anchors` dict (an anchor defined twice), tells that
case by the text of libyaml's ComposerError, and builds scalars with SafeConstructor's
construct_yaml_* methods. None of that is documented API, so pyproject.toml pins PyYAML below
its next major release. When a test here fails after an upgrade, its message names what
changed: adapt yamlsafe.py, then widen the pin.
"""

from __future__ import annotations

import importlib.metadata
import inspect
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from gitops_gate.manifests import yamlsafe

ROOT = Path(__file__).resolve().parents[2]
WHY = "gitops_gate/manifests/yamlsafe.py relies on it: adapt it, then the pin in pyproject.toml"


def test_pyyaml_is_pinned_below_its_next_major_release() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = [
        Requirement(r) for r in project["dependencies"] if Requirement(r).name == "pyyaml"
    ]
    installed = importlib.metadata.version("pyyaml")

    assert any(s.operator == "<" for s in requirement.specifier), (
        f"{requirement} has no upper bound: a release may change the hooks we override"
    )
    assert requirement.specifier.contains(installed), (
        f"PyYAML {installed} is installed, outside the tested range {requirement}"
    )


SIGNATURES = [
    (yaml.SafeLoader.resolve, ["self", "kind", "value", "implicit"]),
    (yaml.SafeLoader.descend_resolver, ["self", "current_node", "current_index"]),
    (yaml.SafeLoader.ascend_resolver, ["self"]),
    (yaml.SafeLoader.compose_node, ["self", "parent", "index"]),
    (yaml.constructor.SafeConstructor.construct_yaml_int, ["self", "node"]),
    (yaml.constructor.SafeConstructor.construct_yaml_float, ["self", "node"]),
    (yaml.constructor.SafeConstructor.construct_yaml_bool, ["self", "node"]),
    (yaml.constructor.SafeConstructor.construct_yaml_null, ["self", "node"]),
]


@pytest.mark.parametrize(
    ("func", "expected"), SIGNATURES, ids=[f.__qualname__ for f, _ in SIGNATURES]
)
def test_each_hook_takes_the_arguments_we_pass(func: object, expected: list[str]) -> None:
    found = list(inspect.signature(func).parameters)  # type: ignore[arg-type]

    assert found == expected, f"{func!r} now takes {found}, we use {expected} ({WHY})"


def test_libyaml_s_composer_asks_our_resolver_for_each_plain_scalar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    marker = "a-plain-scalar-only-this-test-writes"
    monkeypatch.setattr(yamlsafe, "_RESOLVED", {})  # the shared one may be full

    (doc,) = yamlsafe.parse(f"k: {marker}\nn: 10\nb: yes\nz: ~\nf: 1.5\nq: '1'\n", "a.yaml")

    assert yaml.__with_libyaml__, "PyYAML was built without libyaml: every load is 10x slower"
    assert marker in yamlsafe._RESOLVED, f"libyaml no longer calls the loader's resolve() ({WHY})"
    assert doc.value == {"k": marker, "n": 10, "b": True, "z": None, "f": 1.5, "q": "1"}


def test_an_anchor_defined_twice_is_told_by_libyaml_s_message() -> None:
    loader = yaml.CSafeLoader("a: &x 1\nb: &x 2\nc: *x\n")

    with pytest.raises(yaml.composer.ComposerError) as caught:
        try:
            loader.get_single_node()
        finally:
            loader.dispose()

    assert "found duplicate anchor" in str(caught.value.context), (
        f"libyaml now says {caught.value.context!r} of an anchor defined twice ({WHY})"
    )


def test_the_pure_python_composer_keeps_its_anchors_in_a_dict() -> None:
    loader = yaml.SafeLoader("a: &x 1\n")
    try:
        loader.get_single_node()
        anchors = loader.anchors
    finally:
        loader.dispose()

    assert isinstance(anchors, dict), f"Composer.anchors is now a {type(anchors)} ({WHY})"
    (doc,) = yamlsafe.parse("a: &x 1\nb: &x 2\nc: *x\n", "a.yaml")
    assert doc.value == {"a": 1, "b": 2, "c": 2}, "the later anchor no longer wins"
