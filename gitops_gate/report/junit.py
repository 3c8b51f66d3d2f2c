"""JUnit XML for CI test tabs: one test case a failing file, findings as its failures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from gitops_gate.findings import Finding, Severity
from gitops_gate.report.escape import line, xml_chars


def render(findings: Sequence[Finding], *, name: str, checked: int = 0) -> str:
    """A <testsuites> document; files with errors fail, warnings are listed in system-out.

    `checked` is how many items were checked in all: the passing ones count as tests too.
    """
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(findings, key=Finding.sort_key):
        by_file[f.path or "(no file)"].append(f)
    failing = sum(1 for fs in by_file.values() if any(_fails(f) for f in fs))
    tests = max(checked, len(by_file))
    suites = ET.Element("testsuites", name=name, tests=str(tests), failures=str(failing))
    suite = ET.SubElement(
        suites, "testsuite", name=name, tests=str(tests), failures=str(failing), errors="0"
    )
    for path, file_findings in by_file.items():
        case = ET.SubElement(suite, "testcase", classname=name, name=line(path))
        failures = [f for f in file_findings if _fails(f)]
        for f in failures:
            failure = ET.SubElement(
                case, "failure", message=line(f.message), type=line(f"{f.check}/{f.rule}")
            )
            failure.text = _line(f)
        notes = [f for f in file_findings if not _fails(f)]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in notes)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _fails(f: Finding) -> bool:
    return f.waiver is None and f.severity >= Severity.ERROR


def _line(f: Finding) -> str:
    where = f"{f.resource} " if f.resource else ""
    # ElementTree escapes markup but writes characters XML 1.0 forbids (ESC), which no
    # parser then reads: the whole report would be lost.
    return xml_chars(f"{f.location}: {f.severity.label}: {where}{f.message} [{f.check}/{f.rule}]")
