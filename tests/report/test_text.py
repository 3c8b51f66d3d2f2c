"""Text lines: what a terminal shows through Rich and what a pipe gets as plain text agree."""

from __future__ import annotations

from rich.text import Text

from gitops_gate.findings import Finding, Severity, Waiver
from gitops_gate.keys import ResourceKey
from gitops_gate.report.text import finding_lines

KEY = ResourceKey("apps", "Deployment", "prod", "web")
TRICKY = [
    Finding("r", Severity.ERROR, "image [bold]x[/] at \\[y] and \\\\[z]", "policy", "a[1].yaml", 3),
    Finding("s", Severity.WARNING, "key 'a:b' [red]", "schema", "dir/b.yaml", 9, KEY),
    Finding("t", Severity.INFO, "waived one", "policy", "c.yaml", None, waiver=Waiver("[why]")),
]


def test_plain_lines_are_the_rich_lines_without_markup() -> None:
    rich_plain = [Text.from_markup(line).plain for line in finding_lines(TRICKY)]

    assert finding_lines(TRICKY, markup=False) == rich_plain
    assert rich_plain[0] == ("a[1].yaml:3: error: image [bold]x[/] at \\[y] and \\\\[z] [policy/r]")


def test_lines_show_terminal_control_characters_as_escapes() -> None:
    hostile = Finding("r", Severity.ERROR, "name \x1b[2Jgone\r\x07 here", "policy", "a.yaml", 1)

    (line,) = finding_lines([hostile], markup=False)
    (styled,) = finding_lines([hostile])

    assert line == "a.yaml:1: error: name \\x1b[2Jgone\\r\\x07 here [policy/r]"
    assert Text.from_markup(styled).plain == line
