"""The built-in engine's child process: a request on stdin, the Evaluation as JSON on stdout."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from gitops_gate.errors import ConfigError
from gitops_gate.policy import builtin
from gitops_gate.policy.protocol import (
    EvalFailure,
    Evaluation,
    Outcome,
    PolicyData,
    PolicyInput,
    PolicyProblem,
)
from gitops_gate.policy.source import PolicyFile, PolicySet


def encode_request(
    policies: PolicySet, inputs: Sequence[PolicyInput], data: PolicyData, rego_version: str
) -> dict[str, Any]:
    return {
        "files": [asdict(f) for f in policies.files],
        "inputs": [asdict(i) for i in inputs],
        "data": asdict(data),
        "regoVersion": rego_version,
        "namespaces": policies.namespaces,
    }


def decode_reply(stdout: str) -> Evaluation:
    """The worker's Evaluation; a compile error it met is raised here, as in process."""
    reply = json.loads(stdout)
    if "error" in reply:
        raise ConfigError(**reply["error"])
    return Evaluation(
        [Outcome(**o) for o in reply["outcomes"]],
        [EvalFailure(**f) for f in reply["failures"]],
        [PolicyProblem(**p) for p in reply["problems"]],
        [Outcome(**o) for o in reply["exceptions"]],
        list(reply["prints"]),
    )


def main() -> int:

    # The reply gets a descriptor of its own: rego-cpp prints on descriptor 1 when it likes
    # (policy.capture takes that back).
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    request = json.load(sys.stdin)
    chosen = request["namespaces"]
    files = tuple(PolicyFile(**f) for f in request["files"])
    policies = PolicySet(files, namespaces=None if chosen is None else tuple(chosen))
    inputs = [PolicyInput(**i) for i in request["inputs"]]
    try:
        data, version = PolicyData(**request["data"]), request["regoVersion"]
        found = builtin.evaluate_here(policies, inputs, data, version)
        reply: dict[str, Any] = asdict(found)
    except ConfigError as e:
        reply = {"error": {"path": e.path, "line": e.line, "message": e.message, "hint": e.hint}}
    with os.fdopen(reply_fd, "w", encoding="utf-8") as out:
        json.dump(reply, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
