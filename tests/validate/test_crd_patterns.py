"""CRD conversion respells RE2 patterns, and refuses, naming where, those it cannot."""

from __future__ import annotations

import json
from pathlib import Path

from gitops_gate.validate.crd import convert
from tests.helpers import manifests
from tests.helpers.tree import write_tree
from tests.validate.conftest import Validate
from tests.validate.test_re2 import MEANINGS


def schema(**node: object) -> dict[str, object]:
    return {"type": "object", "properties": {"spec": {"type": "object", **node}}}


def test_patterns_and_pattern_property_names_are_respelled() -> None:
    raw = schema(
        properties={"mode": {"type": "string", "pattern": "^(?i)(on|off)$"}},
        patternProperties={"^x-(?i)[a-z]+$": {"type": "string", "pattern": "[[:digit:]]+"}},
    )
    converted, problem = convert(raw, "example.com", "v1", "Widget", strict=False)

    assert problem is None
    assert converted is not None
    spec = converted["properties"]["spec"]
    assert spec["properties"]["mode"]["pattern"] == "^(?i:(on|off)$)"
    assert spec["patternProperties"] == {"^x-(?i:[a-z]+$)": {"type": "string", "pattern": "[0-9]+"}}


def test_a_pattern_without_a_common_spelling_refuses_the_crd_naming_it() -> None:
    raw = schema(properties={"name": {"type": "string", "pattern": "^[[:^space:]]+$"}})

    assert convert(raw, "example.com", "v1", "Widget", strict=False) == (
        None,
        "pattern '^[[:^space:]]+$': negated class [:^space:] has no common spelling "
        "(RE2 syntax our validators cannot all read) at /properties/spec/properties/name/pattern",
    )


def widget_crd(patterns: list[str]) -> str:
    fields = {f"f{i}": {"type": "string", "pattern": p} for i, p in enumerate(patterns)}
    return json.dumps(manifests.crd("example.com", "Widget", schema(properties=fields)))


def test_each_backend_reads_the_respelled_patterns_as_go_reads_the_crds(
    validate: Validate, tmp_path: Path
) -> None:
    # One Widget per (pattern, string), a document per line: the failing lines are the strings
    # RE2 does not match (the table's meanings, checked against Go's regexp).
    docs, refused = [], []
    for i, (_, yes, no) in enumerate(MEANINGS):
        for s in yes + no:
            if s in no:
                refused.append(len(docs) + 1)
            spec = json.dumps({f"f{i}": s})
            docs.append(
                f'{{"apiVersion": "example.com/v1", "kind": "Widget", '
                f'"metadata": {{"name": "w{len(docs)}"}}, "spec": {spec}}}'
            )
    crds = write_tree(tmp_path / "crds", {"widget.yaml": widget_crd([m[0] for m in MEANINGS])})
    root = write_tree(tmp_path / "repo", {"w.yaml": "\n---\n".join(docs)})
    findings, _ = validate([root], root, crd_dirs=(crds,))

    assert [(f.rule, ((f.line or 0) - 1) // 2 + 1) for f in findings] == [
        ("schema-invalid", n) for n in refused
    ]
