"""Both engines over every policy case and every corpus: the same findings, or a bug."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load
from gitops_gate.policy.builtin import BuiltinEngine
from gitops_gate.policy.conftest_engine import ConftestEngine
from gitops_gate.policy.context import timezones
from gitops_gate.policy.protocol import Evaluation, PolicyData, PolicyInput
from gitops_gate.policy.run import evaluate
from gitops_gate.policy.source import load_policies
from tests.helpers.data import corpus_root, parametrize_corpora
from tests.helpers.toolchain import ensure_tool
from tests.policy.cases import all_cases

DEFAULTS, CASES = all_cases()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_corpora(metafunc)


def _data(case: dict[str, Any]) -> PolicyData:
    base = {
        "gitops_gate": {
            "config": {"rules": case.get("config", {})},
            "environments": case.get("environments", DEFAULTS["environments"]),
            "timezones": timezones(),
        }
    }
    return PolicyData(base, {"": case.get("context", DEFAULTS["context"])})


def _seen(result: Evaluation, package: str) -> list[tuple[str, str, str, str]]:
    return sorted(
        (o.namespace, o.rule, o.message, str(o.metadata.get("pointer")))
        for o in result.outcomes
        if o.namespace == f"gitops_gate.{package}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("package", "case"), CASES, ids=[f"{p}:{c['name']}" for p, c in CASES])
def test_engines_agree_on_every_case(package: str, case: dict[str, Any]) -> None:
    policies = load_policies(Path("/nonexistent"), builtin=True)
    inputs = [PolicyInput("000000", case["input"])]
    conftest = ConftestEngine(ensure_tool("conftest")).evaluate(policies, inputs, _data(case))
    builtin = BuiltinEngine().evaluate(policies, inputs, _data(case))
    got = _seen(builtin, package)
    assert got == _seen(conftest, package)
    assert not builtin.failures and not conftest.failures
    expected = {"deny": case.get("deny", 0), "warn": case.get("warn", 0)}
    assert {k: sum(1 for g in got if g[1] == k) for k in expected} == expected


@pytest.mark.slow
def test_engines_agree_on_the_corpora(corpus: str) -> None:
    ensure_tool("conftest")
    root = corpus_root(corpus)
    config = load_config(root)
    loaded = load([root], root=root)
    policies = load_policies(root)
    subprocess = evaluate(policies, loaded.resources, config, engine="subprocess")
    builtin = evaluate(policies, loaded.resources, config, engine="builtin")

    def key(findings: list[Any]) -> list[tuple[Any, ...]]:
        return [(f.rule, f.severity, f.message, f.path, f.line) for f in findings]

    assert key(builtin) == key(subprocess)
