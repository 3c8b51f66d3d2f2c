"""All of Unicode reaches each backend intact: 4-byte characters in every kind of field."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_gate.validate.kubeconform import as_yaml_safe_json
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate
from tests.validate.test_crd_patterns import widget_crd

# An emoji, CJK extension B, U+1F600, a flag (two regional indicators), a ZWJ family.
WIDE = "🚀 𠀋 \U0001f600 🇯🇵 👩‍👩‍👧"


def manifests(replicas: object = 1) -> str:
    labels = {"app": "demo"}
    annotations = {"note": f"launch {WIDE}", f"example.com/{WIDE}": WIDE}
    meta = {"name": "rocket", "labels": labels, "annotations": annotations}
    container = {"name": "app", "image": "app:1", "env": [{"name": "GREETING", "value": WIDE}]}
    deploy = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"msg": WIDE}}
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": meta}
    widget["spec"] = {"f0": f"{WIDE} tail"}
    docs = [deploy, config, widget]
    # Raw UTF-8 in the YAML file itself, as a user writes it.
    return "---\n".join(yaml.safe_dump(d, allow_unicode=True) for d in docs)


def test_four_byte_characters_in_every_field_are_valid(validate: Validate, tmp_path: Path) -> None:
    crds = write_tree(tmp_path / "crds", {"widget.yaml": widget_crd(["tail$"])})
    root = write_tree(tmp_path / "repo", {"app.yaml": manifests()})

    findings, summary = validate([root], root, crd_dirs=(crds,))

    assert findings == []
    assert (summary.resources, summary.valid) == (3, 3)


def test_an_invalid_field_holding_an_emoji_fails_with_the_same_rule_and_place(
    validate: Validate, tmp_path: Path
) -> None:
    crds = write_tree(tmp_path / "crds", {"widget.yaml": widget_crd(["^[a-z]+$"])})
    root = write_tree(tmp_path / "repo", {"app.yaml": manifests(replicas=WIDE)})

    findings, summary = validate([root], root, crd_dirs=(crds,))

    # The engines word a message each their own way; the rule and the field are the same.
    assert sorted((f.rule, str(f.resource), f.message.split(":")[0]) for f in findings) == [
        ("schema-invalid", "Deployment.apps rocket", "spec.replicas"),
        ("schema-invalid", "Widget.example.com rocket", "spec.f0"),
    ]
    assert (summary.invalid, summary.errors) == (2, 0)


def test_characters_yaml_refuses_raw_reach_the_validator_escaped(
    validate: Validate, tmp_path: Path
) -> None:
    # DEL, C1 controls, NEL and the Unicode line separators (line breaks to YAML 1.1, folded
    # to spaces inside a quoted string), a byte-order mark, U+FFFF: each stays what it was.
    odd = r'"a\x7fb\x85c\x9fd\u2028e\u2029f\ufeffg\uffffh\U0001F680"'
    text = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd\ndata:\n  msg: {odd}\n"
    root = write_tree(tmp_path / "repo", {"odd.yaml": text})

    findings, summary = validate([root], root)

    assert findings == []
    assert summary.valid == 1


def test_the_copy_reads_back_as_the_same_document() -> None:
    body = {"data": {"s": 'a\x7f\x85\u2028\u2029\ufeff\ufffe\uffff🚀𠀋\U0010fffd\\ud83d"\n'}}

    text = as_yaml_safe_json(body)

    assert text.isascii() is False  # 4-byte characters stay raw UTF-8, not surrogate pairs
    assert "\\ud83d\\ude80" not in text
    assert yaml.safe_load(text) == body
    assert json.loads(text) == body


def test_a_lone_surrogate_becomes_the_replacement_character_as_the_api_server_reads_it() -> None:
    assert yaml.safe_load(as_yaml_safe_json({"s": "x\ud83dy"})) == {"s": "x\ufffdy"}


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["builtin", "subprocess"])
def test_validate_passes_emoji_through_either_engine_cached_or_not(
    tmp_path: Path, cli: Callable[..., Any], engine: str
) -> None:
    ensure_tool("kubeconform")
    # The same ConfigMap twice in one file: kubeconform cannot tell their results apart in the
    # user's file, so they go through our JSON copies, where the emoji broke.
    cm = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rocket\ndata:\n  msg: {WIDE}\n"
    write_tree(tmp_path, {"app/cm.yaml": f"{cm}---\n{cm}", "app/other.yaml": manifests()})
    write_tree(tmp_path, {"crds/widget.yaml": widget_crd(["tail$"])})
    args = ("validate", "--engine", engine, "--crd-dir", str(tmp_path / "crds"), str(tmp_path))

    first, again = cli(*args), cli(*args)

    for run in (first, again):
        assert run.code == 0, run.out
        assert "valid 6, invalid 0, errors 0" in run.out  # the CRD too
