"""`gitops-gate graph` over hostile folder, file and object names: every label stays one label."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.tree import write_tree

# An environment folder with a quote, a backtick (Mermaid's markdown strings), HTML and an
# entity; a file name with a newline; an object name with ESC and a bidi override.
ENV = 'prod"`<b>#quot;'
FILES = {
    f"clusters/{ENV}/kustomization.yaml": 'resources: ["a\\nb.yaml"]\n',
    f"clusters/{ENV}/a\nb.yaml": (
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "x\\e[31m\\u202e"}\n'
    ),
}
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MERMAID_LABEL = r'"[^"`<>]*"'
MERMAID_LINE = re.compile(
    rf"  n\d+(\[{MERMAID_LABEL}\]|\[/{MERMAID_LABEL}/\]|\{{\{{{MERMAID_LABEL}\}}\}})"
    r"|  n\d+ --> n\d+"
)
DOT_STRING = r'"(?:[^"\\]|\\[\\"])*"'
DOT_LINE = re.compile(
    rf"  {DOT_STRING} \[label={DOT_STRING}, kind=\w+\];|  {DOT_STRING} -> {DOT_STRING};"
)


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_tree(tmp_path, FILES)


def test_mermaid_labels_stay_inside_their_quotes(cli: Callable[..., Run], hostile: Path) -> None:
    run = cli("graph", str(hostile), "--format", "mermaid")

    lines = run.out.splitlines()
    assert lines[0] == "flowchart LR" and len(lines) == 8
    assert [ln for ln in lines[1:] if not MERMAID_LINE.fullmatch(ln)] == []
    assert not RAW.search(run.out)
    assert '{{"env prod#quot;#96;#lt;b#gt;#35;quot;"}}' in run.out
    assert f"/a\\nb.yaml{chr(34)}]" in run.out


def test_dot_strings_are_closed_and_literal(cli: Callable[..., Run], hostile: Path) -> None:
    run = cli("graph", str(hostile), "--format", "dot")

    lines = run.out.splitlines()
    assert lines[:2] == ["digraph gitops {", "  rankdir=LR;"] and lines[-1] == "}"
    assert [ln for ln in lines[2:-1] if not DOT_LINE.fullmatch(ln)] == []
    assert not RAW.search(run.out)
    assert '[label="env prod\\"`<b>#quot;", kind=env];' in run.out
    assert "/a\\\\nb.yaml" in run.out  # a backslash and an n, not a Graphviz line break


def test_ordinary_labels_read_as_before(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {"clusters/prod/kustomization.yaml": "resources: []\n"})

    mermaid = cli("graph", str(tmp_path), "--format", "mermaid").out
    dot = cli("graph", str(tmp_path), "--format", "dot").out

    assert '  n0[/"clusters/prod/"/]' in mermaid.splitlines()
    assert '  "env:prod" [label="env prod", kind=env];' in dot.splitlines()
