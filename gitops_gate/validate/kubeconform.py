"""The kubeconform backend: our documents, our schema folder, an offline run, its JSON parsed."""

from __future__ import annotations

import json
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from gitops_gate._run import run
from gitops_gate.errors import ToolError
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.protocol import Outcome, Status, Violation
from gitops_gate.validate.store import SchemaStore

_TIMEOUT = 600.0
_BATCH = 2000  # files a call: far below any argv limit
_AT = re.compile(r"- at '([^']*)': (.*?)(?= - at '|$)")
_EXTRA = re.compile(r"additional propert(?:y|ies) (.*) not allowed")
_STATUS = {
    "statusValid": Status.VALID,
    "statusInvalid": Status.INVALID,
    "statusError": Status.ERROR,
    "statusSkipped": Status.SKIPPED,
}

Signature = tuple[str, str, str]  # kind, apiVersion, name as kubeconform prints them


class KubeconformBackend:
    """Runs the pinned kubeconform over the resources, written as JSON files it reads back."""

    name = "kubeconform"

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def validate(self, resources: list[Resource], store: SchemaStore) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(resources)
        with tempfile.TemporaryDirectory(prefix="gitops-gate-kc-") as tmp:
            units = _write_units(resources, Path(tmp))
            names = list(units)
            for start in range(0, len(names), _BATCH):
                batch = names[start : start + _BATCH]
                for result in self._run(store, [Path(tmp) / n for n in batch]):
                    _assign(result, units, resources, outcomes)
        missing = Outcome(Status.ERROR, message="kubeconform returned no result for this resource")
        return [o if o is not None else missing for o in outcomes]

    def _run(self, store: SchemaStore, files: list[Path]) -> list[dict[str, Any]]:
        argv: list[str | Path] = [self.binary, "-output", "json", "-verbose"]
        argv += ["-kubernetes-version", store.k8s_version]
        if store.strict:
            argv.append("-strict")
        for location in store.locations():
            argv += ["-schema-location", location]
        done = run([*argv, *files], timeout=_TIMEOUT, ok_codes=(0, 1))
        try:
            results: list[dict[str, Any]] = json.loads(done.stdout)["resources"]
        except (ValueError, KeyError, TypeError) as e:
            raise ToolError(
                done.argv, done.returncode, done.stderr, message="kubeconform printed no JSON"
            ) from e
        return results


def _write_units(resources: list[Resource], tmp: Path) -> dict[str, dict[Signature, int]]:
    """One file per source file; a resource whose signature repeats gets a file of its own.

    kubeconform names each result by file, kind, apiVersion and name only, and its workers
    finish in any order: unique signatures within a file are what makes the answer mappable.
    """
    grouped: dict[str, dict[Signature, int]] = defaultdict(dict)
    for i, r in enumerate(resources):
        sig = signature(r.body)
        unit = f"\0{i}" if sig in grouped[r.path] else r.path
        if unit != r.path:
            grouped[unit] = {}
        grouped[unit][sig] = i
    units: dict[str, dict[Signature, int]] = {}
    for n, (_, members) in enumerate(grouped.items()):
        name = f"u{n}.json"
        docs = [json.dumps(resources[i].body, default=str) for i in members.values()]
        (tmp / name).write_text("\n---\n".join(docs) + "\n", encoding="utf-8")
        units[name] = members
    return units


def signature(body: dict[str, Any]) -> Signature:
    meta = body.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = str(meta.get("name") or "")
    if meta.get("generateName"):
        name = f"{meta['generateName']}{{{{ generateName }}}}"
    return (str(body.get("kind") or ""), str(body.get("apiVersion") or ""), name)


def _assign(
    result: dict[str, Any],
    units: dict[str, dict[Signature, int]],
    resources: list[Resource],
    outcomes: list[Outcome | None],
) -> None:
    members = units.get(Path(str(result.get("filename", ""))).name)
    sig = (str(result.get("kind", "")), str(result.get("version", "")), str(result.get("name", "")))
    if members is None or sig not in members:
        return
    outcomes[members[sig]] = outcome_of(result)


def outcome_of(result: dict[str, Any]) -> Outcome:
    """One kubeconform JSON result as an Outcome; violations read from its message."""
    status = _STATUS.get(str(result.get("status")), Status.ERROR)
    msg = str(result.get("msg") or "")
    if status is Status.ERROR and msg.startswith("could not find schema for"):
        return Outcome(Status.NO_SCHEMA, message=msg)
    if status is not Status.INVALID:
        return Outcome(status, message=msg)
    violations: list[Violation] = []
    for pointer, text in _AT.findall(msg):
        extra = _EXTRA.match(text)
        if extra:
            for key in re.findall(r"'([^']*)'", extra[1]):
                violations.append(
                    Violation(f"{pointer.rstrip('/')}/{key}", f"unknown field {key!r}")
                )
        elif text.strip() != "validation failed":
            violations.append(Violation(pointer, text.strip()))
    if not violations:
        violations = [Violation("", msg)]
    return Outcome(status, sorted(set(violations), key=lambda v: v.pointer), msg)
