"""Rego an engine would misread is refused at its file:line with the fix; the rest passes."""

from __future__ import annotations

import pytest

from gitops_gate.errors import ConfigError
from gitops_gate.policy.faithful import check_all, rewrite_v0
from gitops_gate.policy.source import PolicyFile

HEAD = "package main\n\nimport rego.v1\n\n"


@pytest.mark.parametrize(
    ("body", "version", "builtin", "line", "said"),
    [
        ('deny[msg] {\n  msg := "x"\n}\n', "v1", False, 5, "Rego v0 syntax"),
        ('deny[msg] if {\n  msg := "x"\n}\n', "v1", False, 5, "`if` without `contains`"),
        ('deny[msg] if {\n  msg := "x"\n}\n', "v0", False, 5, "`if` without `contains`"),
        ("allowed {\n  true\n}\n", "v1", False, 5, "without `if`"),
        ("deny contains rego.metadata.rule().title if true\n", "v1", True, 5, "rego.metadata"),
        ("ok if {\n  some p\n  xs[_] == input.a[p].b\n}\n", "v1", True, 7, "both sides of =="),
        ("ok if {\n  some p\n  input.a[p].b == xs[_]\n}\n", "v1", True, 7, "both sides of =="),
    ],
    ids=["v0-set", "if-no-contains", "if-no-contains-v0", "v0-body", "metadata", "eq", "eq-swap"],
)
def test_misread_rego_is_refused_at_its_line(
    body: str, version: str, builtin: bool, line: int, said: str
) -> None:
    f = PolicyFile("policies/p.rego", HEAD + body, "repo")
    with pytest.raises(ConfigError) as caught:
        check_all([f], rego_version=version, builtin=builtin)
    assert (caught.value.path, caught.value.line) == ("policies/p.rego", line)
    assert said in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    "body",
    [
        'deny contains msg if {\n  some x in xs\n  input.a[_].b == x\n  msg := "x"\n}\n',
        'names[n] := true if {\n  n := "a"\n}\n',
        "# deny[msg] { in a comment }\nok if true\n",
        'x := {\n  "a": 1,\n}\n',
        "ok if {\n  a[0] == b[1]\n}\n",
    ],
    ids=["bound-then-compared", "object-rule", "comment", "object-literal", "literal-index"],
)
def test_rego_the_engines_read_alike_passes(body: str) -> None:
    check_all([PolicyFile("p.rego", HEAD + body, "repo")], rego_version="v1", builtin=True)


def test_v0_set_rules_become_v1_line_for_line() -> None:
    text = 'package main\n\ndeny[msg] {\n  msg := "x"\n}\n\nhelper { true }\n'
    assert rewrite_v0(text) == text.replace("deny[msg] {", "deny contains msg if {")
