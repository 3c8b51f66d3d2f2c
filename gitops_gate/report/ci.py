"""The formats CI systems read: JUnit XML, SARIF for code scanning, GitHub annotations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gitops_gate._version import __version__
from gitops_gate.report import github, junit, sarif

if TYPE_CHECKING:
    from gitops_gate.findings import Finding

FORMATS = ("junit", "sarif", "github")


def render(fmt: str, findings: Sequence[Finding], *, name: str, checked: int) -> str:
    """findings in fmt, one of FORMATS; `checked` counts the items that passed as tests too."""
    if fmt == "junit":
        return junit.render(findings, name=name, checked=checked)
    if fmt == "sarif":
        return sarif.render(findings, tool_version=__version__)
    if fmt == "github":
        return github.render(findings)
    raise ValueError(f"not a CI format: {fmt}")
