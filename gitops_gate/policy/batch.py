"""Every input in one conftest query: a generated module asks each rule about each input.

`conftest test` runs two queries per rule, namespace and input (the rule, then its
exceptions), each prepared afresh: on 5,000 resources that preparation is most of its time.
The batch module evaluates every deny/warn/violation rule over a list of inputs with
`with input as`, so the rules are the same, their verdicts are the same, and conftest
prepares one query per process instead of tens of thousands.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from gitops_gate.policy.protocol import (
    Evaluation,
    PolicyData,
    PolicyInput,
    collect,
    excepted,
    exception_key,
)
from gitops_gate.policy.source import PolicySet

PACKAGE = "gitops_gate_batch"
MODULE_NAME = "zzz_gitops_gate_batch.rego"
_CONTEXTS = "batch_contexts"  # under data.gitops_gate, beside config and environments
_EXCEPTION = re.compile(r"^[ \t]*exception\b", re.MULTILINE)
_EXCEPTED = -1  # the place in a tag that marks a rule an exception set aside


def excepting(policies: PolicySet) -> set[str]:
    """The packages that declare conftest `exception` rules."""
    return {f.package for f in policies.files if _EXCEPTION.search(f.text)}


def module(entrypoints: Sequence[tuple[str, str]], excepting: Collection[str] = ()) -> str:
    """The batch module: one deny rule per entrypoint, tagging each result with its origin.

    conftest counts a result with an empty msg as a success, so msg is never empty; what we
    read is the tag: [input id, entrypoint number, place in the rule's value, the result].
    As conftest does, only a set or array rule's elements count (a rule whose value is true,
    a string or an object passes); the place keeps an array's equal elements apart. A policy
    reading data.conftest.file sees the input's own file name and folder, as it would per file.
    A rule whose package's `exception` lists its name (conftest's two-step query) is set
    aside for that input: one tag with place -1 instead of its results.
    """
    lines = [f"package {PACKAGE}", "", "import rego.v1", ""]
    lines += ["_elements(v) := v if is_array(v)", "", "_elements(v) := v if is_set(v)", ""]
    for n, (package, rule) in enumerate(entrypoints):
        guard = []
        if package in excepting:
            lines += _exception_rules(n, package, rule)
            guard = [f"\tnot _excepted_{n}(item)"]
        lines += [
            f'deny contains {{"msg": "batch", "{PACKAGE}": [item.id, {n}, i, result]}} if {{',
            f"\tsome item in input.{PACKAGE}",
            *guard,
            f"\tvalue := data.{package}.{rule}{_WITH}",
            "\tsome i, result in _elements(value)",
            "}",
            "",
        ]
    return "\n".join(lines)


_WITH = (
    f" with input as item.body with data.gitops_gate.context.current as "
    f"data.gitops_gate.{_CONTEXTS}[item.ctx] with data.conftest.file as item.file"
)


def _exception_rules(n: int, package: str, rule: str) -> list[str]:
    key = exception_key(rule)
    return [
        f"_excepted_{n}(item) if {{",
        f"\tkeys := {{k | some ks in data.{package}.exception; some k in ks}}{_WITH}",
        f'\t"{key}" in keys',
        "}",
        "",
        f'deny contains {{"msg": "batch", "{PACKAGE}": [item.id, {n}, {_EXCEPTED}, null]}} if {{',
        f"\tsome item in input.{PACKAGE}",
        f"\t_excepted_{n}(item)",
        "}",
        "",
    ]


def input_document(inputs: Sequence[PolicyInput]) -> dict[str, Any]:
    """One object, not a list: conftest would take a top-level list as separate inputs."""
    return {
        PACKAGE: [
            {"id": i.id, "ctx": i.context, "body": i.body, "file": i.conftest_file()}
            for i in inputs
        ]
    }


def data_document(data: PolicyData) -> dict[str, Any]:
    """The shared data plus every context by key; the module picks each input's own."""
    gate = dict(data.base.get("gitops_gate", {}))
    gate[_CONTEXTS] = data.contexts
    return {**data.base, "gitops_gate": gate}


def evaluation(results: list[dict[str, Any]], entrypoints: Sequence[tuple[str, str]]) -> Evaluation:
    """conftest's JSON output for the batch module, as each rule's own outcomes."""
    out = Evaluation()
    for block in results:
        for item in block.get("failures") or []:
            tag = (item.get("metadata") or {}).get(PACKAGE)
            if not (isinstance(tag, list) and len(tag) == 4):
                continue
            input_id, n, place, value = tag
            package, rule = entrypoints[int(n)]
            if place == _EXCEPTED:
                out.exceptions.append(excepted(package, rule, str(input_id)))
            else:
                collect(package, rule, str(input_id), value, out)
    return out
