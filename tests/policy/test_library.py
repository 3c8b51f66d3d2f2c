"""The built-in library: every rule documented, `policy list` and the README table from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gitops_gate.policy.library import markdown, rules

EXPECTED = {
    "container-resources",
    "default-namespace",
    "host-access",
    "no-latest-tag",
    "no-plaintext-secrets",
    "privileged-containers",
    "production-manual-sync",
    "sync-windows",
}


def test_every_rule_has_complete_metadata() -> None:
    infos = rules()
    assert {r.id for r in infos} == EXPECTED
    for r in infos:
        assert r.title and r.description and r.rationale and r.remediation, r.id
        assert r.severity in ("error", "warning"), r.id


def test_markdown_has_one_row_per_rule() -> None:
    rows = [line for line in markdown().splitlines() if line.startswith("| `")]
    assert len(rows) == len(EXPECTED)
    assert all(row.count(" | ") == 3 for row in rows)


@pytest.fixture
def gate(cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    from gitops_gate import cli as cli_module

    modules = tuple(dict.fromkeys((*cli_module._COMMAND_MODULES, "policy", "secrets")))
    monkeypatch.setattr(cli_module, "_COMMAND_MODULES", modules)
    return cli


def test_policy_list_command(gate: Callable[..., Any]) -> None:
    done = gate("policy", "list")
    assert done.code == 0
    assert "no-latest-tag" in done.out and "sync-windows" in done.out


def test_policy_command_on_the_sample(gate: Callable[..., Any]) -> None:
    from gitops_gate.commands.check import sample_root

    done = gate("policy", str(sample_root()), "--engine", "builtin", "--format", "json")
    assert done.code == 1
    assert '"rule": "no-latest-tag"' in done.out
    assert '"schemaVersion": 1' in done.out
