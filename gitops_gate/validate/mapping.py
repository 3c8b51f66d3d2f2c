"""Outcomes -> Findings, each at the file and line of the offending field."""

from __future__ import annotations

import json
from typing import Any

from gitops_gate.findings import Finding, Severity
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.loader import FLUX_VARIABLE
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.crd import CrdSchema
from gitops_gate.validate.protocol import Outcome, Status, Violation

CHECK = "schema"


def findings_of(
    resource: Resource, outcome: Outcome, *, strict: bool, broken: CrdSchema | None = None
) -> list[Finding]:
    """What a user should see for one resource's outcome (nothing when it is valid)."""
    if outcome.status is Status.INVALID:
        return [
            _at(
                resource,
                "schema-invalid",
                Severity.ERROR,
                f"{_field(v.pointer)}: {_message(resource, v)}",
                v.pointer,
            )
            for v in outcome.violations
            if not _substituted_later(resource, v)
        ]
    if outcome.status is Status.NO_SCHEMA and broken is not None and broken.source is not None:
        where = f"{broken.source.path}:{broken.source.line_of(broken.pointer)}"
        message = f"not validated: the schema of its CRD is broken (see {where})"
        return [_at(resource, "not-validated", Severity.WARNING, message)]
    if outcome.status is Status.NO_SCHEMA:
        severity = Severity.ERROR if strict else Severity.WARNING
        message = (
            f"no schema for {resource.kind} {resource.api_version}"
            " (add its CRD to the repo or --crd-dir, or list the kind in validate.skipKinds)"
        )
        return [_at(resource, "no-schema", severity, message)]
    if outcome.status is Status.ERROR:
        return [_at(resource, "schema-error", Severity.ERROR, outcome.message)]
    return []


def _substituted_later(resource: Resource, violation: Violation) -> bool:
    """A field holding a Flux `${VAR}` is judged by what Flux puts there, unknown here: as
    written (`${CLUSTER}-tls` for a DNS name, `${REPLICAS:=2}` for an integer) it is no error."""
    if not resource.substituted:
        return False
    value = _value_at(resource.body, violation.pointer)
    return isinstance(value, str) and FLUX_VARIABLE.search(value) is not None


def _message(resource: Resource, violation: Violation) -> str:
    return without_value(violation.message, _value_at(resource.body, violation.pointer))


def without_value(message: str, instance: Any) -> str:
    """message with the offending value named instead of shown: a field failing maxLength or
    pattern may hold a token. jsonschema-rs quotes it as compact JSON, kubeconform in single
    quotes; outcomes cached before either was rewritten are caught here too."""
    if isinstance(instance, int | float | bool) or instance is None:
        return message
    shown = [json.dumps(instance, ensure_ascii=False, separators=(",", ":"))]
    shown += [f"'{instance}'"] if isinstance(instance, str) else []
    for text in shown:
        if text in message:
            return message.replace(text, "value" if isinstance(instance, str) else "the value")
    for leaf in _strings(instance):  # an object printed in another key order
        message = message.replace(json.dumps(leaf, ensure_ascii=False), '"<value>"')
    return message


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [s for child in children for s in _strings(child)]


def _value_at(body: Any, pointer: str) -> Any:
    """What the JSON pointer names in body, or None."""
    node = body
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def rejected(resource: Resource) -> Finding:
    message = f"prohibited resource kind {resource.kind} (listed in validate.rejectKinds)"
    return _at(resource, "rejected-kind", Severity.ERROR, message)


def crd_problem(crd: CrdSchema) -> Finding:
    source = crd.source
    message = (
        f"CRD schema for {crd.kind} {crd.api_version} is broken: {crd.problem}"
        " (its custom resources are not validated)"
    )
    if source is None:  # the CRD cache keeps good schemas only; this cannot come from it
        return Finding("crd-invalid", Severity.ERROR, message, CHECK)
    line = source.line_of(crd.pointer) if crd.pointer else source.line
    return Finding(
        "crd-invalid",
        Severity.ERROR,
        message,
        CHECK,
        source.path,
        line,
        source.key,
    )


def _at(
    resource: Resource, rule: str, severity: Severity, message: str, pointer: str | None = None
) -> Finding:
    line = resource.line_of(pointer) if pointer else resource.line
    return Finding(rule, severity, message, CHECK, resource.path, line, resource.key)


def _field(pointer: str) -> str:
    """`/spec/ports/0/port` -> `spec.ports[0].port`, how people write a field."""
    out = ""
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "(document)"


def finding_from_json(raw: dict[str, Any]) -> Finding:
    """The inverse of Finding.to_json, for the result cache."""
    key = raw.get("resource")
    return Finding(
        raw["rule"],
        Severity.parse(raw["severity"]),
        raw["message"],
        raw["check"],
        raw.get("path"),
        raw.get("line"),
        ResourceKey(key["group"], key["kind"], key["namespace"], key["name"]) if key else None,
    )
