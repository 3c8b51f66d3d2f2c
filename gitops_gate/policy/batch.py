"""Every input in one conftest query: a generated module asks each rule about each input.

`conftest test` runs two queries per rule, namespace and input (the rule, then its
exceptions), each prepared afresh: on 5,000 resources that preparation is most of its time.
The batch module evaluates every deny/warn/violation rule over a list of inputs with
`with input as`, so the rules are the same, their verdicts are the same, and conftest
prepares one query per process instead of tens of thousands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from gitops_gate.policy.protocol import Evaluation, PolicyData, PolicyInput, collect
from gitops_gate.policy.source import PolicySet

PACKAGE = "gitops_gate_batch"
MODULE_NAME = "zzz_gitops_gate_batch.rego"
_CONTEXTS = "batch_contexts"  # under data.gitops_gate, beside config and environments
# conftest's exception rules would need its own two-step query to honour; those sets run per file.
_EXCEPTION = re.compile(r"^[ \t]*exception\b", re.MULTILINE)


def supported(policies: PolicySet) -> bool:
    """Whether the batch gives conftest's verdicts: no module declares conftest exceptions."""
    return not any(_EXCEPTION.search(f.text) for f in policies.files)


def module(entrypoints: Sequence[tuple[str, str]]) -> str:
    """The batch module: one deny rule per entrypoint, tagging each result with its origin.

    conftest counts a result with an empty msg as a success, so msg is never empty; what we
    read is the tag: [input id, entrypoint number, place in the rule's value, the result].
    As conftest does, only a set or array rule's elements count (a rule whose value is true,
    a string or an object passes); the place keeps an array's equal elements apart. A policy
    reading data.conftest.file.name sees the input's own file name, as it would per file.
    """
    lines = [f"package {PACKAGE}", "", "import rego.v1", ""]
    lines += ["_elements(v) := v if is_array(v)", "", "_elements(v) := v if is_set(v)", ""]
    for n, (package, rule) in enumerate(entrypoints):
        lines += [
            f'deny contains {{"msg": "batch", "{PACKAGE}": [item.id, {n}, i, result]}} if {{',
            f"\tsome item in input.{PACKAGE}",
            f"\tvalue := data.{package}.{rule} with input as item.body"
            f" with data.gitops_gate.context.current as data.gitops_gate.{_CONTEXTS}[item.ctx]"
            ' with data.conftest.file.name as concat("", [item.id, ".json"])',
            "\tsome i, result in _elements(value)",
            "}",
            "",
        ]
    return "\n".join(lines)


def input_document(inputs: Sequence[PolicyInput]) -> dict[str, Any]:
    """One object, not a list: conftest would take a top-level list as separate inputs."""
    return {PACKAGE: [{"id": i.id, "ctx": i.context, "body": i.body} for i in inputs]}


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
            input_id, n, _, value = tag
            package, rule = entrypoints[int(n)]
            collect(package, rule, str(input_id), value, out)
    return out
