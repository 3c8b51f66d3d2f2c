"""CRD conversion respells RE2 patterns, and refuses, naming where, those it cannot."""

from __future__ import annotations

from gitops_gate.validate.crd import convert


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
