"""Decides what a file or document is: manifests, kustomization, template, or something else."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from gitops_gate.findings import Finding, Severity
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.kustomization import is_kustomization_file as is_kustomization_file
from gitops_gate.manifests.model import FileKind, Resource
from gitops_gate.manifests.yamlsafe import ParsedDocument, line_of

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
# JSON with comments or JSON5: never YAML, so parsing them only ever reported invalid-yaml.
_JSONC_SUFFIXES = {".jsonc": "a .jsonc file", ".json5": "a .json5 file"}
_JSONC_NAMES = {
    "renovate.json": "Renovate configuration",
    "renovate.json5": "Renovate configuration",
    ".renovaterc": "Renovate configuration",
    ".renovaterc.json": "Renovate configuration",
    ".renovaterc.json5": "Renovate configuration",
    "devcontainer.json": "Dev Container configuration",
    ".devcontainer.json": "Dev Container configuration",
    "tsconfig.json": "TypeScript configuration",
    "jsconfig.json": "JavaScript project configuration",
}
# Editors' and tools' folders: settings, often JSON with comments, never manifests.
_TOOL_FOLDERS = {
    ".vscode": "VS Code settings",
    ".devcontainer": "Dev Container configuration",
    ".idea": "JetBrains IDE settings",
}


def skip_reason(rel: str, root: Path) -> tuple[FileKind, str] | None:
    """Why a file is not parsed at all, or None when it should be."""
    name = _name(rel)
    suffix = _suffix(name).lower()
    jsonc = _JSONC_NAMES.get(name) or _JSONC_SUFFIXES.get(suffix)
    if jsonc is not None:
        return FileKind.NOT_YAML, f"known non-manifest file ({jsonc}, JSON with comments: not YAML)"
    if suffix not in _YAML_SUFFIXES and name != "Kustomization":
        return FileKind.NOT_YAML, "not YAML or JSON"
    folder = _tool_folder(rel)
    if folder is not None:
        return FileKind.OTHER_YAML, f"known non-manifest file ({folder})"
    if "templates" in rel:  # the substring first: pathlib is slow on thousands of files
        path = PurePosixPath(rel)
        if "templates" in path.parts[:-1] and _in_helm_chart(root, path):
            return FileKind.HELM_TEMPLATE, "Helm template: not YAML until rendered (helm template)"
    return None


def _tool_folder(rel: str) -> str | None:
    if not any(f"{folder}/" in rel for folder in _TOOL_FOLDERS):  # the usual path: no split
        return None
    parts = PurePosixPath(rel).parts[:-1]
    return next((what for folder, what in _TOOL_FOLDERS.items() if folder in parts), None)


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


@dataclass(frozen=True, slots=True)
class _Problem:
    """Why a document is not a usable Kubernetes object, and which field says so."""

    rule: str
    message: str
    pointer: str = ""


def resources_of(doc: ParsedDocument, rel: str, text: str) -> tuple[list[Resource], list[Finding]]:
    """The resources in one document: itself, or the items of a List kind."""
    body = doc.value
    problem = _shape_problem(body)
    if problem is not None:
        return [], [_finding(problem, "", rel, doc.node)]
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
        problem = _shape_problem(item)
        if problem is not None:
            problems.append(_finding(problem, f"List item {i}: ", rel, node))
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


_NEEDS = "every Kubernetes object needs apiVersion and kind"


def _shape_problem(body: Any) -> _Problem | None:
    if not isinstance(body, dict):
        return _Problem(
            "not-an-object",
            f"document is not a mapping, so it cannot be a Kubernetes object ({_NEEDS})",
        )
    if not body.get("apiVersion"):
        return _Problem("missing-apiversion", f"missing 'apiVersion' key ({_NEEDS})")
    if not body.get("kind"):
        return _Problem("missing-kind", f"missing 'kind' key ({_NEEDS})")
    return _metadata_problem(body.get("metadata"))


def _metadata_problem(meta: Any) -> _Problem | None:
    """Every check reads metadata, labels and annotations as mappings of strings: a resource
    where they are not is refused here, as the API server would refuse it, not left to fail
    deep inside a check."""
    if meta is None:
        return None
    if not isinstance(meta, dict):
        return _Problem("invalid-metadata", "'metadata' is not a mapping", "/metadata")
    for field in ("labels", "annotations"):
        value = meta.get(field)
        pointer = f"/metadata/{field}"
        if value is not None and not isinstance(value, dict):
            return _Problem("invalid-metadata", f"'metadata.{field}' is not a mapping", pointer)
        if value and not all(isinstance(v, str) for v in value.values()):
            message = f"'metadata.{field}' has a value that is not a string (quote it)"
            return _Problem("invalid-metadata", message, pointer)
    return None


def _finding(problem: _Problem, prefix: str, rel: str, node: yaml.Node) -> Finding:
    line = line_of(node, problem.pointer) if problem.pointer else node.start_mark.line + 1
    return Finding(
        rule=problem.rule,
        severity=Severity.ERROR,
        message=prefix + problem.message,
        check="load",
        path=rel,
        line=line,
    )
