"""JUnit XML: a test case a file, errors as failures, warnings in system-out, counts right."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.junit import render


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
