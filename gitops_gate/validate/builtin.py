"""The built-in backend: JSON Schema validation in-process with jsonschema-rs."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from gitops_gate.manifests.model import Resource
from gitops_gate.validate.mapping import without_value
from gitops_gate.validate.protocol import Outcome, Status, Violation
from gitops_gate.validate.store import SchemaStore

_GO_DURATION = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")
_ISO_DURATION = re.compile(r"^P(?!$)(\d+W|(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?)$")
_ASSERTING = ("Draft4Validator", "Draft6Validator", "Draft7Validator")


class BuiltinBackend:
    """Validates with jsonschema-rs; the same schema files kubeconform reads, the same verdicts."""

    name = "builtin"

    def validate(self, resources: list[Resource], store: SchemaStore) -> list[Outcome]:
        cache: dict[tuple[str, str], Path | None] = {}
        out = []
        for r in resources:
            key = (r.kind, r.api_version)
            if key not in cache:
                cache[key] = store.lookup(*key)
            path = cache[key]
            out.append(Outcome(Status.NO_SCHEMA) if path is None else _check(path, r.body))
        return out


def _check(path: Path, body: dict[str, Any]) -> Outcome:
    validator = compiled(path, path.stat().st_mtime_ns)
    if validator is None:
        return Outcome(Status.NO_SCHEMA, message=f"schema {path} is not valid JSON Schema")
    if validator.is_valid(body):
        return Outcome(Status.VALID)
    violations = [v for error in validator.iter_errors(body) for v in _violations(error)]
    return Outcome(Status.INVALID, sorted(set(violations), key=lambda v: v.pointer))


@lru_cache(maxsize=512)
def compiled(path: Path, mtime: int) -> Any:
    """A validator for the schema file, compiled once per run and file version."""
    import jsonschema_rs

    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        # kubeconform's compiler defaults to draft 4 when a schema names none.
        cls = (
            jsonschema_rs.validator_cls_for(schema)
            if isinstance(schema, dict) and "$schema" in schema
            else jsonschema_rs.Draft4Validator
        )
        # Up to draft 7, formats are assertions (kubeconform's compiler asserts them too), with
        # Kubernetes' Go durations (`1h30m`) accepted beside ISO 8601 ones, as kubeconform does.
        asserting = cls.__name__ in _ASSERTING
        return cls(
            schema,
            validate_formats=asserting or None,
            formats={"duration": _duration} if asserting else None,
            offline=True,
        )
    except (OSError, ValueError, jsonschema_rs.ReferencingError):
        return None


def _duration(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_GO_DURATION.match(value) or _ISO_DURATION.match(value))


def _violations(error: Any) -> list[Violation]:
    """Leaf violations: for oneOf/anyOf, the branch that came closest, as kubeconform reports."""
    import jsonschema_rs

    kind = error.kind
    path = list(error.instance_path)
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AnyOf | _one_of()):
        best = _closest(kind.context, len(path))
        if best is not None:
            return _violations(best)
    pointer = "/" + "/".join(_escape(p) for p in path)
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return [
            Violation(f"{pointer.rstrip('/')}/{_escape(k)}", f"unknown field {k!r}")
            for k in sorted(kind.unexpected)
        ]
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Type):
        want = " or ".join(sorted(kind.types))
        return [Violation(pointer, f"got {_json_type(error.instance)}, want {want}")]
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        # The wording the pure-Python jsonschema used, so reports keep reading the same.
        return [Violation(pointer, f"{kind.property!r} is a required property")]
    return [Violation(pointer, without_value(str(error.message), error.instance))]


def _one_of() -> Any:
    import jsonschema_rs

    return jsonschema_rs.ValidationErrorKind.OneOfNotValid


def _closest(branches: list[list[Any]], depth: int) -> Any:
    """The error of the branch whose type matched and that failed deepest in, if any did.

    A branch that fails only at the anyOf's own place (wrong type) says less than the
    anyOf itself; one that failed inside the value is the one the user meant.
    """
    deeper = [errors for errors in branches if errors and min(_depths(errors)) > depth]
    if not deeper:
        return None
    errors = min(deeper, key=len)
    return min(errors, key=lambda e: len(e.instance_path))


def _depths(errors: list[Any]) -> list[int]:
    return [len(e.instance_path) for e in errors]


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number" if isinstance(value, float) else "integer"
    names: dict[type, str] = {dict: "object", list: "array", str: "string"}
    return names.get(type(value), type(value).__name__)


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")
