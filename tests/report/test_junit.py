"""JUnit XML: a test case a file, errors as failures, warnings in system-out, counts right."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.junit import render
from tests.helpers.tree import write_tree


def test_junit_counts_failing_files() -> None:
    findings = [
        Finding("schema-invalid", Severity.ERROR, "bad <port>", "schema", "a.yaml", 3),
        Finding("no-schema", Severity.WARNING, "no schema", "schema", "b.yaml", 1),
    ]
    root = ET.fromstring(render(findings, name="gitops-gate validate", checked=5))  # noqa: S314 - XML we just wrote
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("5", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    failure = cases["a.yaml"].find("failure")
    assert failure is not None and failure.get("message") == "bad <port>"
    assert cases["b.yaml"].find("failure") is None
    assert "no schema" in (cases["b.yaml"].findtext("system-out") or "")


def test_junit_without_findings_is_a_passing_suite() -> None:
    root = ET.fromstring(render([], name="n", checked=2))  # noqa: S314 - XML we just wrote
    assert root.get("failures") == "0" and root.get("tests") == "2"


def test_check_writes_junit_and_github_annotations(tmp_path: Path, cli: Callable[..., Any]) -> None:
    write_tree(
        tmp_path,
        {
            "web.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
            "  containers:\n    - name: web\n      image: nginx:latest\n"
        },
    )

    junit = cli("check", "--engine", "builtin", "--format", "junit", str(tmp_path))
    github = cli("check", "--engine", "builtin", "--format", "github", str(tmp_path))

    suites = ET.fromstring(junit.out)  # noqa: S314 - XML we just wrote
    (failure,) = suites.iter("failure")
    assert "no-latest-tag" in failure.get("message", "") + (failure.text or "")
    assert junit.code == github.code == 1
    assert "::error file=web.yaml,line=8," in github.out
