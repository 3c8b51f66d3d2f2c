"""Decides what a file or document is: manifests, kustomization, template, or something else."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from gitops_gate.findings import Finding, Severity
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.kustomization import is_kustomization_file as is_kustomization_file
from gitops_gate.manifests.model import FileKind, Resource
from gitops_gate.manifests.yamlsafe import ParsedDocument

_YAML_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_KNOWN_NON_MANIFESTS = {
    "Chart.yaml": "Helm chart metadata",
    "Chart.lock": "Helm chart lock file",
    ".gitops-gate.yaml": "gitops-gate configuration",
    ".gitops-gate-waivers.yaml": "gitops-gate waivers",
    ".pre-commit-config.yaml": "pre-commit configuration",
    ".pre-commit-hooks.yaml": "pre-commit hook definitions",
    ".sops.yaml": "SOPS configuration",
    "copier.yml": "Copier template questions",
    "copier.yaml": "Copier template questions",
    ".copier-answers.yml": "Copier answers",
    "skaffold.yaml": "Skaffold configuration",
}


def skip_reason(rel: str, root: Path) -> tuple[FileKind, str] | None:
    """Why a file is not parsed at all, or None when it should be."""
    name = _name(rel)
    if _suffix(name).lower() not in _YAML_SUFFIXES and name != "Kustomization":
        return FileKind.NOT_YAML, "not YAML or JSON"
    if "templates" in rel:  # the substring first: pathlib is slow on thousands of files
        path = PurePosixPath(rel)
        if "templates" in path.parts[:-1] and _in_helm_chart(root, path):
            return FileKind.HELM_TEMPLATE, "Helm template: not YAML until rendered (helm template)"
    return None


def _name(rel: str) -> str:
    """PurePosixPath(rel).name, without building the path for the usual 'a/b/c.yaml'."""
    name = rel.rpartition("/")[2]
    return name if name not in ("", ".") else PurePosixPath(rel).name


def _suffix(name: str) -> str:
    """PurePosixPath(name).suffix for a final path component."""
    i = name.rfind(".")
    return name[i:] if 0 < i < len(name) - 1 else ""


def _in_helm_chart(root: Path, path: PurePosixPath) -> bool:
    parts = path.parts
    for i, part in enumerate(parts[:-1]):
        if part == "templates" and _has_chart(root, "/".join(parts[:i])):
            return True
    return False


@lru_cache(maxsize=4096)
def _has_chart(root: Path, rel_dir: str) -> bool:
    return (root / rel_dir / "Chart.yaml").is_file()


def looks_templated(text: str) -> bool:
    return "{{" in text and "}}" in text


def known_non_manifest(rel: str) -> str | None:
    """A reason when the file is a well-known configuration file, not a manifest."""
    if ".github" in PurePosixPath(rel).parts[:-1]:
        return "GitHub configuration"
    what = _KNOWN_NON_MANIFESTS.get(PurePosixPath(rel).name)
    return f"known non-manifest file ({what})" if what else None


def looks_like_object(value: Any) -> bool:
    return isinstance(value, dict) and ("apiVersion" in value or "kind" in value)


def resources_of(doc: ParsedDocument, rel: str, text: str) -> tuple[list[Resource], list[Finding]]:
    """The resources in one document: itself, or the items of a List kind."""
    body = doc.value
    problem = _missing_field(body)
    if problem is not None:
        return [], [_finding(problem, rel, doc.node.start_mark.line + 1)]
    items = body.get("items")
    if str(body["kind"]).endswith("List") and isinstance(items, list):
        return _list_items(doc, rel, items, text)
    return [_resource(rel, doc.index, body, doc.node, None, text)], []


def _list_items(
    doc: ParsedDocument, rel: str, items: list[Any], text: str
) -> tuple[list[Resource], list[Finding]]:
    made: list[Resource] = []
    problems: list[Finding] = []
    item_nodes = _items_node(doc.node)
    for i, item in enumerate(items):
        node = item_nodes[i] if item_nodes is not None and i < len(item_nodes) else doc.node
        problem = _missing_field(item)
        if problem is not None:
            problems.append(_finding(f"List item {i}: {problem}", rel, node.start_mark.line + 1))
            continue
        made.append(_resource(rel, doc.index, item, node, i, text))
    return made, problems


def _items_node(node: yaml.Node) -> list[yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "items" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return None


def _resource(
    rel: str, index: int, body: dict[str, Any], node: yaml.Node, item: int | None, text: str
) -> Resource:
    line = node.start_mark.line + 1
    return Resource(rel, index, body, line, text, item, key=ResourceKey.of(body))


def _missing_field(body: Any) -> str | None:
    if not isinstance(body, dict):
        return "document is not a mapping, so it cannot be a Kubernetes object"
    if not body.get("apiVersion"):
        return "missing 'apiVersion' key"
    if not body.get("kind"):
        return "missing 'kind' key"
    return None


def _finding(problem: str, rel: str, line: int) -> Finding:
    rule = "missing-kind" if "kind" in problem else "missing-apiversion"
    if "mapping" in problem:
        rule = "not-an-object"
    return Finding(
        rule=rule,
        severity=Severity.ERROR,
        message=f"{problem} (every Kubernetes object needs apiVersion and kind)",
        check="load",
        path=rel,
        line=line,
    )
