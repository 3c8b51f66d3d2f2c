"""A policy that never ends, eats memory or errors on every resource: one finding, no hang."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree
from tests.policy.test_engines import NO_PODS, POD, _run

ENGINES = [
    pytest.param("builtin", id="builtin"),
    pytest.param("subprocess", marks=pytest.mark.slow),
]

# Builds a list of a trillion numbers: memory grows until something stops it.
GREEDY = """\
package team.greedy

import rego.v1

deny contains msg if {
	xs := [x | some x in numbers.range(0, 1000000000000)]
	msg := sprintf("%d numbers", [count(xs)])
}
"""

# Walks a trillion numbers keeping none: it only takes time.
ENDLESS = """\
package team.endless

import rego.v1

deny contains "never" if {
	some x in numbers.range(0, 1000000000000)
	x < 0
}
"""

# Two values for one complete rule, on every input: conftest and rego-cpp both stop there.
ALWAYS_FAILS = """\
package team.broken

import rego.v1

owner := "a" if input.kind

owner := "b" if input.kind

deny contains "unreachable" if owner == "c"
"""


def pods(count: int) -> dict[str, str]:
    return {f"pod{n}.yaml": POD.format(name=f"p{n}") for n in range(count)}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("policy", "limits", "rule"),
    [
        (GREEDY, "maxMemoryMB: 300\n  timeout: 60", "policy-resource-limit"),
        (ENDLESS, "timeout: 3", "policy-timeout"),
    ],
    ids=["memory", "time"],
)
def test_a_policy_past_its_bounds_is_one_finding_naming_it(
    tmp_path: Path, engine: str, policy: str, limits: str, rule: str
) -> None:
    write_tree(
        tmp_path,
        {
            **pods(3),
            "policies/evil.rego": policy,
            ".gitops-gate.yaml": f"policy:\n  {limits}\n",
        },
    )
    started = time.monotonic()

    found = _run(tmp_path, engine)

    assert found == [(rule, "policies/evil.rego", None)]
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("engine", ENGINES)
def test_a_rule_failing_on_every_resource_is_one_finding_and_spares_the_others(
    tmp_path: Path, engine: str
) -> None:
    write_tree(
        tmp_path,
        {**pods(12), "policies/broken.rego": ALWAYS_FAILS, "policies/no_pods.rego": NO_PODS},
    )

    found = _run(tmp_path, engine)

    errors = [f for f in found if f[0] == "policy-error"]
    assert [(rule, path) for rule, path, _ in errors] == [("policy-error", "policies/broken.rego")]
    # conftest names the conflicting rule; rego-cpp names none, so the result rule's head.
    assert errors[0][2] == (7 if engine == "subprocess" else 9)
    assert sorted(p for rule, p, _ in found if rule == "team.no_pods") == sorted(pods(12))
