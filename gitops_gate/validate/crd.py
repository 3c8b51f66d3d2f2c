"""CustomResourceDefinitions -> one JSON Schema per served version, as the API server reads them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gitops_gate.cachedir import ResultCache
from gitops_gate.manifests.model import Resource
from gitops_gate.validate.cache import body_digest
from gitops_gate.validate.re2 import UnsupportedPattern, translate

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(slots=True)
class CrdSchema:
    """The schema of one served (group, version, kind), or why a CRD gave none."""

    group: str
    version: str
    kind: str
    schema: dict[str, Any] | None
    source: Resource | None  # None when taken from the cache, which holds only good schemas
    problem: str | None = None
    pointer: str = ""
    digest: str = ""  # of the schema; set when converted, kept in the cache
    # Taken from the CRD cache by name only: the schema stays there until a run must write it.
    cache_key: str | None = None

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"

    @property
    def usable(self) -> bool:
        """A schema to validate against, loaded or in the CRD cache (else the CRD is broken)."""
        return self.schema is not None or self.cache_key is not None


@dataclass(slots=True)
class _Ctx:
    strict: bool
    problems: list[tuple[str, str]] = field(default_factory=list)


def is_crd(resource: Resource) -> bool:
    return resource.kind == "CustomResourceDefinition" and resource.api_version.startswith(
        "apiextensions.k8s.io/"
    )


def schemas_of(crd: Resource, *, strict: bool) -> list[CrdSchema]:
    """Every served version's schema (v1 and v1beta1 CRDs); a broken one carries its problem."""
    spec = crd.body.get("spec")
    spec = spec if isinstance(spec, dict) else {}
    names = spec.get("names")
    names = names if isinstance(names, dict) else {}
    group, kind = str(spec.get("group") or ""), str(names.get("kind") or "")
    if not group or not kind:
        return [CrdSchema(group, "", kind, None, crd, "spec.group or spec.names.kind is missing")]
    out = []
    for version, raw, pointer in _versions(spec):
        made = CrdSchema(group, version, kind, None, crd, pointer=pointer)
        if raw is None:
            made.schema = {"$schema": _DRAFT, "type": "object"}  # no schema: anything goes
        elif not isinstance(raw, dict):
            made.problem = "openAPIV3Schema is not a mapping"
        else:
            made.schema, made.problem = convert(raw, group, version, kind, strict=strict)
        out.append(made)
    return out


def _versions(spec: dict[str, Any]) -> list[tuple[str, Any, str]]:
    shared = (spec.get("validation") or {}).get("openAPIV3Schema")
    versions = spec.get("versions")
    if not isinstance(versions, list) or not versions:
        version = str(spec.get("version") or "")
        return [(version, shared, "/spec/validation/openAPIV3Schema")] if version else []
    out = []
    for i, v in enumerate(versions):
        if not isinstance(v, dict) or not v.get("served", True) or not v.get("name"):
            continue
        own = (v.get("schema") or {}).get("openAPIV3Schema")
        if own is not None:
            out.append((str(v["name"]), own, f"/spec/versions/{i}/schema/openAPIV3Schema"))
        else:
            out.append((str(v["name"]), shared, "/spec/validation/openAPIV3Schema"))
    return out


def convert(
    raw: dict[str, Any], group: str, version: str, kind: str, *, strict: bool
) -> tuple[dict[str, Any] | None, str | None]:
    """A JSON Schema for the kind, or None and what is wrong with the CRD's schema."""
    ctx = _Ctx(strict)
    schema = _node(copy.deepcopy(raw), ctx, root=True)
    props = schema.setdefault("properties", {})
    props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version}"]}
    props["kind"] = {"type": "string", "enum": [kind]}
    props.setdefault("metadata", {"type": "object"})
    schema["$schema"] = _DRAFT
    if ctx.problems:
        where, what = ctx.problems[0]
        return None, f"{what} at {where or '/'}"
    problem = _schema_problem(schema)
    if problem is not None:
        return None, problem
    return schema, None


def _node(node: Any, ctx: _Ctx, *, root: bool = False, where: str = "") -> dict[str, Any]:
    if not isinstance(node, dict):
        ctx.problems.append((where, f"expected a schema mapping, got {type(node).__name__}"))
        return {}
    if isinstance(node.get("properties"), dict):
        node["properties"] = {
            k: _node(v, ctx, where=f"{where}/properties/{k}") for k, v in node["properties"].items()
        }
    if isinstance(node.get("patternProperties"), dict):
        node["patternProperties"] = {
            _pattern(k, ctx, f"{where}/patternProperties"): _node(
                v, ctx, where=f"{where}/patternProperties/{k}"
            )
            for k, v in node["patternProperties"].items()
        }
    if isinstance(node.get("pattern"), str):
        node["pattern"] = _pattern(node["pattern"], ctx, f"{where}/pattern")
    for key in ("items", "additionalProperties", "not"):
        if isinstance(node.get(key), dict):
            node[key] = _node(node[key], ctx, where=f"{where}/{key}")
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            node[key] = [_node(v, ctx, where=f"{where}/{key}/{i}") for i, v in enumerate(node[key])]
    return _extensions(node, ctx, root)


def _pattern(pattern: str, ctx: _Ctx, where: str) -> str:
    """RE2 as the API server reads it, spelled for Python, jsonschema-rs and kubeconform alike."""
    try:
        return translate(pattern)
    except UnsupportedPattern as e:
        ctx.problems.append((where, f"{e.message} (RE2 syntax our validators cannot all read)"))
        return pattern


def _extensions(node: dict[str, Any], ctx: _Ctx, root: bool) -> dict[str, Any]:
    """The x-kubernetes-* and OpenAPI keywords JSON Schema does not know, made explicit."""
    if node.pop("x-kubernetes-int-or-string", False):
        node.pop("type", None)
        node.pop("format", None)
        node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    if node.pop("x-kubernetes-embedded-resource", False):
        props = node.setdefault("properties", {})
        for name in ("apiVersion", "kind"):
            props.setdefault(name, {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    if node.pop("nullable", False) and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    open_ended = node.get("x-kubernetes-preserve-unknown-fields") is True
    closable = root or (node.get("type") == "object" and "properties" in node)
    # The API server prunes unknown fields unless told to keep them: strict reports them instead.
    if ctx.strict and closable and not open_ended and "additionalProperties" not in node:
        node["additionalProperties"] = False
    return node


def _schema_problem(schema: dict[str, Any]) -> str | None:
    """What makes schema unusable, or None; remembered by content, since it costs ~0.1s a CRD."""
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import SchemaError

    checks = _checks()
    key = body_digest(schema)
    known = checks.get(key)
    if known is not None:
        return str(known) or None
    try:
        # Draft 7's meta-schema catches the same structural mistakes (`type: 5`) as 2020-12's,
        # at a fraction of the cost: the latter's $dynamicRef walk took 1.7s per Flux CRD.
        Draft7Validator.check_schema(schema)
        problem = ""
    except SchemaError as e:
        where = "/" + "/".join(str(p) for p in e.absolute_path)
        problem = f"not a valid schema at {where}: {e.message}"
    checks.put(key, problem)
    checks.save()
    return problem or None


@cache
def _checks() -> Any:

    return ResultCache("crd-schema-checks-1")
