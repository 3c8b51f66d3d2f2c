"""The kubeconform backend: the user's files (or our copies), our schema folder, offline runs."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gitops_gate._run import go_gc_env, run
from gitops_gate.errors import ToolError
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.protocol import Outcome, Status, Violation
from gitops_gate.validate.store import SchemaStore

_TIMEOUT = 600.0
_BATCH = 2000  # files a call: far below any argv limit
# More workers than cores only thrash while we load the same files beside it (2 on CI).
WORKERS = max(1, os.cpu_count() or 1)
_AT = re.compile(r"- at '([^']*)': (.*?)(?= - at '|$)")
_EXTRA = re.compile(r"additional propert(?:y|ies) (.*) not allowed")
# kubeconform quotes a string that fails a pattern or format first: the value, maybe a token.
_QUOTED_VALUE = re.compile(r"^'.*'(?= (?:does not match|is not valid|is not ))", re.DOTALL)
# What kubeconform's YAML reader refuses raw, or reads as a line break inside a quoted string,
# and UTF-16 surrogates (a pair escaped as two \\u codes is refused too): escaped one by one.
# Lone surrogates become U+FFFD, as the API server's JSON decoder makes them.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_STATUS = {
    "statusValid": Status.VALID,
    "statusInvalid": Status.INVALID,
    "statusError": Status.ERROR,
    "statusSkipped": Status.SKIPPED,
}

Signature = tuple[str, str, str]  # kind, apiVersion, name as kubeconform prints them
_Key = tuple[str, str, str, str]  # the file kubeconform was given, then the signature


class Pending:
    """A kubeconform run over the user's own files, started before we load them.

    It runs in a thread (the process does the work; the thread only waits), so our loading
    overlaps it. files maps each file's repo-relative path to the path kubeconform was given.
    """

    def __init__(self, backend: KubeconformBackend, store: SchemaStore, files: Mapping[str, Path]):
        self.backend = backend
        self.files = dict(files)
        self._results: list[dict[str, Any]] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(store,), daemon=True)
        self._thread.start()

    def _work(self, store: SchemaStore) -> None:
        paths = list(self.files.values())
        try:
            for start in range(0, len(paths), _BATCH):
                self._results += self.backend.run(store, paths[start : start + _BATCH])
        except BaseException as e:  # handed to the caller, which raises it in its own thread
            self._error = e

    def results(self) -> list[dict[str, Any]]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._results


class KubeconformBackend:
    """Runs the pinned kubeconform over the user's files, or over our JSON copies of documents."""

    name = "kubeconform"

    def __init__(self, binary: Path) -> None:
        self.binary = binary

    def start(self, store: SchemaStore, files: Mapping[str, Path]) -> Pending:
        """Start validating files (repo-relative path -> path) now; collect with validate()."""
        return Pending(self, store, files)

    def validate(
        self, resources: list[Resource], store: SchemaStore, *, pending: Pending | None = None
    ) -> list[Outcome]:
        outcomes: list[Outcome | None] = [None] * len(resources)
        if pending is not None:
            _assign_direct(pending, resources, outcomes)
        rest = [i for i, o in enumerate(outcomes) if o is None]
        if rest:
            copies = self._via_copies([resources[i] for i in rest], store)
            for i, outcome in zip(rest, copies, strict=True):
                outcomes[i] = outcome
        missing = Outcome(Status.ERROR, message="kubeconform returned no result for this resource")
        return [o if o is not None else missing for o in outcomes]

    def _via_copies(self, resources: list[Resource], store: SchemaStore) -> list[Outcome | None]:
        outcomes: list[Outcome | None] = [None] * len(resources)
        with tempfile.TemporaryDirectory(prefix="gitops-gate-kc-") as tmp:
            units = _write_units(resources, Path(tmp))
            names = list(units)
            for start in range(0, len(names), _BATCH):
                batch = names[start : start + _BATCH]
                for result in self.run(store, [Path(tmp) / n for n in batch]):
                    _assign(result, units, resources, outcomes)
        return outcomes

    def run(self, store: SchemaStore, files: list[Path]) -> list[dict[str, Any]]:
        """One kubeconform process over files; its JSON results."""
        argv: list[str | Path] = [self.binary, "-output", "json", "-verbose", "-n", str(WORKERS)]
        argv += ["-kubernetes-version", store.k8s_version]
        if store.strict:
            argv.append("-strict")
        for location in store.locations():
            argv += ["-schema-location", location]
        done = run([*argv, *files], timeout=_TIMEOUT, ok_codes=(0, 1), env=go_gc_env())
        try:
            results: list[dict[str, Any]] = json.loads(done.stdout)["resources"]
        except (ValueError, KeyError, TypeError) as e:
            raise ToolError(
                done.argv, done.returncode, done.stderr, message="kubeconform printed no JSON"
            ) from e
        return results


def _assign_direct(
    pending: Pending, resources: list[Resource], outcomes: list[Outcome | None]
) -> None:
    """Take kubeconform's verdicts on the user's files where they name one resource for sure.

    A result names file, kind, apiVersion and name only: a resource whose signature repeats in
    its file (or that kubeconform reported twice, or not at all) is left for the copies.
    """
    # Waited for even when nothing is left to assign (every file cached): its failure is still
    # reported, and it never outlives the run.
    results = pending.results()
    if not resources:
        return
    by_key: dict[_Key, list[dict[str, Any]]] = defaultdict(list)
    for result in results:
        reported = (
            str(result.get("filename", "")),
            str(result.get("kind", "")),
            str(result.get("version", "")),
            str(result.get("name", "")),
        )
        by_key[reported].append(result)
    given = {rel: str(path) for rel, path in pending.files.items()}
    seen: dict[_Key, int] = defaultdict(int)
    keys: list[_Key | None] = []
    for r in resources:
        filename = given.get(r.path)
        key = (filename, *signature(r.body)) if filename is not None else None
        if key is not None:
            seen[key] += 1
        keys.append(key)
    for i, key in enumerate(keys):
        if key is None or seen[key] != 1:
            continue
        found = by_key.get(key)
        if found is not None and len(found) == 1:
            outcomes[i] = outcome_of(found[0])


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
        docs = [as_yaml_safe_json(resources[i].body) for i in members.values()]
        (tmp / name).write_text("\n---\n".join(docs) + "\n", encoding="utf-8")
        units[name] = members
    return units


def as_yaml_safe_json(body: dict[str, Any]) -> str:
    """body as JSON that kubeconform's YAML reader takes back unchanged, all of Unicode included.

    Characters beyond the BMP stay as UTF-8: json.dumps's default escapes them as surrogate
    pairs, which that reader refuses (the resource then had no result at all).
    """
    text = json.dumps(body, default=str, ensure_ascii=False)
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return "\\ufffd" if 0xD800 <= code <= 0xDFFF else f"\\u{code:04x}"


def signature(body: dict[str, Any]) -> Signature:
    meta = body.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    name = str(meta.get("name") or "")
    if meta.get("generateName"):
        name = f"{meta['generateName']}{{{{ generateName }}}}"
    return (str(body.get("kind") or ""), str(body.get("apiVersion") or ""), name)


def result_signature(result: dict[str, Any]) -> Signature:
    return (
        str(result.get("kind", "")),
        str(result.get("version", "")),
        str(result.get("name", "")),
    )


def _assign(
    result: dict[str, Any],
    units: dict[str, dict[Signature, int]],
    resources: list[Resource],
    outcomes: list[Outcome | None],
) -> None:
    members = units.get(Path(str(result.get("filename", ""))).name)
    sig = result_signature(result)
    if members is None or sig not in members:
        return
    outcomes[members[sig]] = outcome_of(result)


def outcome_of(result: dict[str, Any]) -> Outcome:
    """One kubeconform JSON result as an Outcome; violations read from its message."""
    status = _STATUS.get(str(result.get("status")), Status.ERROR)
    if status is Status.VALID and not result.get("msg"):
        return Outcome(Status.VALID)
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
            violations.append(Violation(pointer, _QUOTED_VALUE.sub("value", text.strip())))
    if not violations:
        violations = [Violation("", msg)]
    return Outcome(status, sorted(set(violations), key=lambda v: v.pointer), msg)
