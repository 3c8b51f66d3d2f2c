"""Policy outcomes of rendered objects remembered by content: a hook evaluates what changed.

An environment renders hundreds of objects, and a change alters a few: each object's outcomes
are kept under a hash of its body and context, in a file per policy set, data document and
engine (any change to those starts afresh). An entry that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from gitops_gate._version import __version__
from gitops_gate.cachedir import cache_root, read_json, write_json
from gitops_gate.policy.protocol import EvalFailure, Evaluation, Outcome, PolicyData, PolicyInput
from gitops_gate.policy.source import PolicySet

# Entries kept per file: about ten environments of a large repo; the oldest go first.
KEEP = 20_000


class Verdicts:
    """What the policies said about each object (by content) in runs before this one."""

    def __init__(self, policies: PolicySet, data: PolicyData, mode: str) -> None:
        self.file = cache_root() / "policy-verdicts" / f"{_salt(policies, data, mode)}.json"
        found = read_json(self.file)
        self.known: dict[str, Any] = found.get("verdicts", {}) if isinstance(found, dict) else {}
        self.engine = found.get("engine") if isinstance(found, dict) else None
        self.keys: dict[str, str] = {}  # input id -> content hash

    def split(self, inputs: Sequence[PolicyInput]) -> tuple[Evaluation, list[PolicyInput]]:
        """What is known about inputs, and the inputs still to evaluate."""
        known, todo = Evaluation(), []
        for item in inputs:
            key = self.keys[item.id] = _key(item)
            entry = self.known.get(key)
            if entry is None or not _restore(entry, item.id, known):
                todo.append(item)
        return known, todo

    def save(self, result: Evaluation, evaluated: Sequence[PolicyInput], engine: str) -> None:
        """Remember each evaluated input's outcomes, unless the run could not judge them all."""
        if result.problems or not evaluated:
            return
        fresh: dict[str, Any] = {self.keys[i.id]: {"o": [], "f": []} for i in evaluated}
        for o in result.outcomes:
            if o.input_id in self.keys and self.keys[o.input_id] in fresh:
                fresh[self.keys[o.input_id]]["o"].append(
                    [o.namespace, o.rule, o.message, o.metadata]
                )
        for f in result.failures:
            if f.input_id in self.keys and self.keys[f.input_id] in fresh:
                fresh[self.keys[f.input_id]]["f"].append([f.namespace, f.detail])
        kept = self.known if self.engine == engine else {}
        merged = {k: v for k, v in kept.items() if k not in fresh} | fresh
        try:
            write_json(
                self.file, {"engine": engine, "verdicts": dict(list(merged.items())[-KEEP:])}
            )
        except (OSError, TypeError, ValueError):
            return  # a cache that cannot be written only costs time


def _salt(policies: PolicySet, data: PolicyData, mode: str) -> str:
    h = hashlib.sha256(f"{__version__}\0{mode}\0".encode())
    for f in policies.files:
        h.update(f"{f.path}\0{f.text}\0".encode())
    h.update(repr(policies.namespaces).encode())  # --namespace selects which rules run
    h.update(json.dumps([data.base, data.contexts], sort_keys=True, default=str).encode())
    return h.hexdigest()


def _key(item: PolicyInput) -> str:
    text = json.dumps([item.body, item.context], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _restore(entry: Any, input_id: str, into: Evaluation) -> bool:
    try:
        outcomes = [
            Outcome(input_id, str(n), str(r), str(m), dict(md)) for n, r, m, md in entry["o"]
        ]
        failures = [EvalFailure(input_id, n, str(d)) for n, d in entry["f"]]
    except (KeyError, TypeError, ValueError):
        return False
    into.outcomes += outcomes
    into.failures += failures
    return True
