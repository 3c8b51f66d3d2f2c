"""The built-in backend: JSON Schema validation in-process, one compiled validator per schema."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from gitops_gate.manifests.model import Resource
from gitops_gate.validate.protocol import Outcome, Status, Violation
from gitops_gate.validate.store import SchemaStore

_GO_DURATION = re.compile(r"^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$|^[-+]?0$")
_ISO_DURATION = re.compile(r"^P(?!$)(\d+W|(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?)$")


class BuiltinBackend:
    """Validates with jsonschema; the same schema files kubeconform reads, the same verdicts."""

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
    violations = [v for error in validator.iter_errors(body) for v in _violations(error)]
    if not violations:
        return Outcome(Status.VALID)
    return Outcome(Status.INVALID, sorted(set(violations), key=lambda v: v.pointer))


@lru_cache(maxsize=512)
def compiled(path: Path, mtime: int) -> Any:
    """A validator for the schema file, compiled once per run and file version."""
    import jsonschema
    from jsonschema.exceptions import SchemaError

    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
        # kubeconform's compiler defaults to draft 4 when a schema names none.
        cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
        cls.check_schema(schema)
    except (OSError, ValueError, SchemaError):
        return None
    checker = None
    if cls in (jsonschema.Draft4Validator, jsonschema.Draft6Validator, jsonschema.Draft7Validator):
        # Up to draft 7, formats are assertions (kubeconform's compiler asserts them too), with
        # Kubernetes' Go durations (`1h30m`) accepted beside ISO 8601 ones, as kubeconform does.
        checker = jsonschema.FormatChecker()
        checker.checks("duration")(_duration)
    return cls(schema, format_checker=checker)


def _duration(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_GO_DURATION.match(value) or _ISO_DURATION.match(value))


def _violations(error: Any) -> list[Violation]:
    """Leaf violations: for oneOf/anyOf, the branch that came closest, as kubeconform reports."""
    if error.context and error.validator in ("oneOf", "anyOf"):
        from jsonschema.exceptions import best_match

        best = best_match(error.context)
        if best is not None and list(best.absolute_path) != list(error.absolute_path):
            return _violations(best)
    pointer = "/" + "/".join(_escape(p) for p in error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if extra:
            return [
                Violation(f"{pointer.rstrip('/')}/{_escape(k)}", f"unknown field {k!r}")
                for k in extra
            ]
    return [Violation(pointer, _message(error))]


def _message(error: Any) -> str:
    if error.validator == "type":
        want = error.validator_value
        want = " or ".join(sorted(want)) if isinstance(want, list) else want
        return f"got {_json_type(error.instance)}, want {want}"
    return str(error.message)


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
