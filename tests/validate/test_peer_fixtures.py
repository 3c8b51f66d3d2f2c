"""kubeconform's own acceptance table (tests/data/peers/kubeconform/EXPECTED.md), on both backends.

Each row: fixture, our equivalent of the peer's flags, whether the gate fails (the peer's exit
code) and the counts the peer's `-summary` prints where it asserts them. Rows where we differ
on purpose are in test_differences.py, each saying why.
"""

from __future__ import annotations

from typing import Any

import pytest

from gitops_gate.errors import UsageError
from gitops_gate.findings import Severity
from tests.helpers.data import FIXTURES
from tests.validate.conftest import Validate

REGISTRY = str(FIXTURES / "registry" / "{{ .ResourceKind }}{{ .KindSuffix }}.json")
GRAFANA = str(FIXTURES / "grafanaalertrulegroup_v1beta1.json")

# (fixture, options, peer exit code, {summary field: count})
CASES: list[tuple[str, dict[str, Any], int, dict[str, int]]] = [
    ("valid.yaml", {}, 0, {"resources": 1, "valid": 1}),
    ("folder", {}, 0, {"resources": 7, "valid": 7}),
    ("valid.json", {}, 0, {"valid": 1}),
    ("int_or_string.yaml", {}, 0, {"valid": 1}),
    ("generate_name.yaml", {}, 0, {"valid": 1}),
    ("quantity.yaml", {}, 0, {"valid": 1}),
    ("null_string.yaml", {}, 0, {"valid": 1}),
    ("multi_valid.yaml", {}, 0, {"resources": 6, "valid": 6}),
    ("multi_invalid.yaml", {}, 1, {"invalid": 1}),
    ("invalid.yaml", {}, 1, {"invalid": 1}),
    ("blank.yaml", {}, 0, {"resources": 0}),
    ("comment.yaml", {}, 0, {"resources": 0}),
    ("missing_apiversion.yaml", {}, 1, {"resources": 0}),
    ("missing_kind_value.yaml", {}, 1, {"resources": 0}),
    ("test_crd.yaml", {"strict": True}, 1, {"no_schema": 1}),
    ("test_crd.yaml", {"ignore_missing_schemas": True}, 0, {"skipped": 1}),
    ("test_crd.yaml", {"schema_locations": (REGISTRY,)}, 0, {"valid": 1}),
    ("extra_property.yaml", {}, 0, {"valid": 1}),
    ("extra_property.yaml", {"strict": True}, 1, {"invalid": 1}),
    ("duplicate_property.yaml", {"strict": True}, 1, {}),
    ("valid.yaml", {"skip_kinds": frozenset({"ReplicationController"})}, 0, {"skipped": 1}),
    ("valid.yaml", {"skip_kinds": frozenset({"v1/ReplicationController"})}, 0, {"skipped": 1}),
    ("valid.yaml", {"skip_kinds": frozenset({"v2/ReplicationController"})}, 0, {"valid": 1}),
    ("valid.yaml", {"reject_kinds": frozenset({"ReplicationController"})}, 1, {"errors": 1}),
    ("list_valid.yaml", {}, 0, {"resources": 6, "valid": 6}),
    ("list_invalid.yaml", {}, 1, {"resources": 2, "valid": 1, "invalid": 1}),
    ("list_empty_valid.yaml", {}, 0, {"resources": 0}),
    ("multi_with_list.yaml", {}, 0, {"resources": 2, "valid": 2}),
    ("grafana-alert-rule-group-sample.yaml", {"schema_locations": (GRAFANA,)}, 0, {"valid": 1}),
    ("valid_version.yaml", {}, 0, {"valid": 1}),
    ("null_array.yaml", {}, 0, {"valid": 1}),
    ("unconventional_keys.yaml", {}, 0, {"valid": 1}),
    ("multi_invalid_resources.yaml", {}, 1, {"resources": 0}),
]


@pytest.mark.parametrize(
    ("fixture", "options", "exit_code", "counts"),
    CASES,
    ids=[f"{c[0]}-{'-'.join(c[1]) or 'default'}" for c in CASES],
)
def test_same_verdict_as_kubeconform(
    validate: Validate,
    fixture: str,
    options: dict[str, Any],
    exit_code: int,
    counts: dict[str, int],
) -> None:
    findings, summary = validate([FIXTURES / fixture], FIXTURES, **options)
    fails = any(f.severity >= Severity.ERROR for f in findings)
    assert (1 if fails else 0) == exit_code, [f.to_json() for f in findings]
    assert {k: getattr(summary, k) for k in counts} == counts


def test_invalid_names_the_line_of_the_field(validate: Validate) -> None:
    findings, _ = validate([FIXTURES / "list_invalid.yaml"], FIXTURES)
    (bad,) = findings
    assert (bad.rule, bad.path, bad.line) == ("schema-invalid", "list_invalid.yaml", 26)
    assert bad.message.startswith("spec.replicas: got string, want")


@pytest.mark.parametrize(
    "location",
    ["foo {{ .Foo }}", str(FIXTURES / "no-such-dir" / "{{ .ResourceKind }}.json")],
    ids=["unknown-field", "missing-dir"],
)
def test_bad_schema_location_is_a_usage_error(validate: Validate, location: str) -> None:
    with pytest.raises(UsageError):
        validate([FIXTURES / "valid.yaml"], FIXTURES, schema_locations=(location,))
