"""Argo CD ApplicationSets rendered offline: the Applications their generators would make.

The list, git (directories and files) and clusters generators, and a matrix of two of them,
are read from the repository alone; the ones that ask a live cluster or an SCM (pullRequest,
scmProvider, clusterDecisionResource, plugin) are a notice, never a fetch.
"""

from __future__ import annotations

import fnmatch
import functools
import itertools
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_gate.config.trees import Repo
from gitops_gate.errors import ManifestError
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.gitops import ARGO_GROUP
from gitops_gate.manifests.model import Document
from gitops_gate.manifests.yamlsafe import parse

Params = dict[str, str]
_LIVE = ("pullRequest", "scmProvider", "clusterDecisionResource", "plugin")
_FAST = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_GO = re.compile(r"\{\{-?\s*\.([A-Za-z0-9_.\[\]]+)\s*-?\}\}")
_MAX_PARAM_FILE = 1024 * 1024
_MAX_ELEMENTS = 1000  # a matrix of two big generators is not worth enumerating in full
IN_CLUSTER: Params = {"name": "in-cluster", "server": "https://kubernetes.default.svc"}


@dataclass(frozen=True, slots=True)
class Generated:
    """One Application an ApplicationSet would make, and the element that made it."""

    appset: str  # namespace/name
    generator: str  # list, git-directory, git-files, clusters, matrix
    pointer: str  # the generator in the ApplicationSet, /spec/generators/<i>
    index: int  # the element's number in its generator, from 1
    params: Params
    body: dict[str, Any]  # the rendered Application


def is_appset(body: dict[str, Any]) -> bool:
    group = str(body.get("apiVersion") or "").rpartition("/")[0]
    return body.get("kind") == "ApplicationSet" and group == ARGO_GROUP


def expand(
    doc: Document, repo: Repo, root: Path, clusters: list[Params]
) -> tuple[list[Generated], list[str]]:
    """The Applications doc (an ApplicationSet) makes; notices for what cannot be known here."""
    meta, spec = _dict(doc.body.get("metadata")), _dict(doc.body.get("spec"))
    name = f"{meta.get('namespace') or 'argocd'}/{meta.get('name') or ''}"
    template, go = _dict(spec.get("template")), bool(spec.get("goTemplate"))
    out: list[Generated] = []
    notices: list[str] = []
    for i, gen in enumerate(_list(spec.get("generators"))):
        pointer = f"/spec/generators/{i}"
        reader = _Reader(repo, root, clusters)
        for n, (kind, params) in enumerate(reader.elements(_dict(gen)), start=1):
            body = {"apiVersion": f"{ARGO_GROUP}/v1alpha1", "kind": "Application"}
            body.update(render(template, params, go=go))
            out.append(Generated(name, kind, pointer, n, params, body))
        where = f"{doc.path}:{doc.line_of(pointer)}"
        notices += [f"{where}: ApplicationSet {name}: {n}" for n in reader.notices]
    return out, notices


@dataclass(slots=True)
class _Reader:
    repo: Repo
    root: Path
    clusters: list[Params]
    notices: list[str] = field(default_factory=list)

    def elements(self, gen: dict[str, Any]) -> list[tuple[str, Params]]:
        made = self._elements(gen)
        if len(made) > _MAX_ELEMENTS:
            self.notices.append(
                f"the generator makes over {_MAX_ELEMENTS} elements; only the first {_MAX_ELEMENTS}"
                " are read"
            )
        return made[:_MAX_ELEMENTS]

    def _elements(self, gen: dict[str, Any]) -> list[tuple[str, Params]]:
        if isinstance(gen.get("list"), dict):
            return [
                ("list", _flat(e))
                for e in _list(gen["list"].get("elements"))
                if isinstance(e, dict)
            ]
        if isinstance(gen.get("git"), dict):
            return self._git(gen["git"])
        if isinstance(gen.get("clusters"), dict):
            return [("clusters", p) for p in self._clusters(gen["clusters"])]
        if isinstance(gen.get("matrix"), dict):
            return self._matrix(gen["matrix"])
        kind = next((k for k in gen if k in _LIVE or k == "merge"), None) or "unknown"
        why = "an SCM or a live cluster" if kind in _LIVE else "what is not read offline"
        self.notices.append(
            f"the {kind} generator needs {why}; its Applications are not known here"
        )
        return []

    def _git(self, git: dict[str, Any]) -> list[tuple[str, Params]]:
        out: list[tuple[str, Params]] = []
        dirs = [d for d in _list(git.get("directories")) if isinstance(d, dict)]
        if dirs:
            out += [("git-directory", _path_params(d)) for d in self._directories(dirs)]
        for entry in _list(git.get("files")):
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                out += [("git-files", p) for p in self._files(entry["path"])]
        if not out:
            self.notices.append("the git generator matches nothing in this repository")
        return out

    def _directories(self, entries: list[dict[str, Any]]) -> list[str]:
        include = [str(e.get("path") or "") for e in entries if not e.get("exclude")]
        exclude = [str(e.get("path") or "") for e in entries if e.get("exclude")]
        found = [
            d
            for d in sorted(self.repo.folders)
            if d != "." and not any(p.startswith(".") for p in d.split("/"))
            and any(_glob(g, d) for g in include) and not any(_glob(g, d) for g in exclude)
        ]  # fmt: skip
        return found

    def _files(self, pattern: str) -> list[Params]:
        out: list[Params] = []
        for rel in self.repo.files:
            if _glob(pattern, rel):
                out += [{**_flat(v), **_file_params(rel)} for v in self._read(rel)]
        return out

    def _read(self, rel: str) -> list[dict[str, Any]]:
        """The parameter sets a git-files generator takes from rel: a mapping or a list of them."""
        path = self.root / rel
        try:
            if not path.resolve().is_relative_to(self.root.resolve()):
                return []
            docs = [d.value for d in parse(read_text(path, rel, max_bytes=_MAX_PARAM_FILE), rel)]
        except (ManifestError, OSError):
            self.notices.append(f"{rel} cannot be read as a parameter file; skipped")
            return []
        values = docs[0] if len(docs) == 1 else docs
        items = values if isinstance(values, list) else [values]
        return [v for v in items if isinstance(v, dict)]

    def _clusters(self, spec: dict[str, Any]) -> list[Params]:
        selector = _dict(_dict(spec.get("selector")).get("matchLabels"))
        known = [
            c
            for c in self.clusters
            if all(c.get(f"metadata.labels.{k}") == str(v) for k, v in selector.items())
        ]
        if not _dict(spec.get("selector")):
            known = [IN_CLUSTER, *known]
        values = {f"values.{k}": str(v) for k, v in _flat(_dict(spec.get("values"))).items()}
        self.notices.append(
            "the clusters generator lists the clusters registered in Argo CD; only the "
            + ("in-cluster one and " if not selector else "")
            + f"{len(self.clusters)} declared in this repository are known here"
        )
        return [{**c, "nameNormalized": _normal(c.get("name", "")), **values} for c in known]

    def _matrix(self, matrix: dict[str, Any]) -> list[tuple[str, Params]]:
        children = [_dict(g) for g in _list(matrix.get("generators"))]
        if len(children) != 2:
            self.notices.append("a matrix generator needs exactly two generators")
            return []
        left, right = (self.elements(c) for c in children)
        # Built lazily: two lists of a few thousand elements would make millions of pairs.
        pairs = (("matrix", {**a, **b}) for _, a in left for _, b in right)
        return list(itertools.islice(pairs, _MAX_ELEMENTS + 1))


def render(template: Any, params: Params, *, go: bool) -> Any:
    """template with every {{param}} it can fill filled; what it cannot is left as written."""
    if isinstance(template, dict):
        return {k: render(v, params, go=go) for k, v in template.items()}
    if isinstance(template, list):
        return [render(v, params, go=go) for v in template]
    if isinstance(template, str) and "{{" in template:
        pattern = _GO if go else _FAST
        return pattern.sub(lambda m: params.get(m.group(1), m.group(0)), template)
    return template


def _path_params(rel: str) -> Params:
    """A git directory element: the folder, its name and each of its segments."""
    base = posixpath.basename(rel)
    out = {
        "path": rel,
        "path.path": rel,
        "path.basename": base,
        "path.basenameNormalized": _normal(base),
    }
    for i, part in enumerate(rel.split("/")):
        out[f"path[{i}]"] = part
        out[f"path.segments[{i}]"] = part
    return out


def _file_params(rel: str) -> Params:
    out = _path_params(posixpath.dirname(rel) or ".")
    name = posixpath.basename(rel)
    return {**out, "path.filename": name, "path.filenameNormalized": _normal(name)}


def _glob(pattern: str, rel: str) -> bool:
    """Argo CD's git path patterns: shell globs per segment, `**` across them."""
    pat = [p for p in pattern.strip("/").split("/") if p not in ("", ".")]
    pat = [p for i, p in enumerate(pat) if not (p == "**" and i and pat[i - 1] == "**")]
    parts = rel.split("/")

    # Memoised on (pattern index, path index): `**` repeated would otherwise try every split.
    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(pat):
            return j == len(parts)
        if pat[i] == "**":
            return any(match(i + 1, k) for k in range(j, len(parts) + 1))
        return j < len(parts) and fnmatch.fnmatchcase(parts[j], pat[i]) and match(i + 1, j + 1)

    return match(0, 0)


def _flat(value: dict[str, Any], prefix: str = "") -> Params:
    """A mapping as Argo CD's flat parameters: nested keys joined with dots."""
    out: Params = {}
    for k, v in value.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        elif not isinstance(v, list) and v is not None:
            out[key] = str(v).lower() if isinstance(v, bool) else str(v)
    return out


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9.-]", "-", name.lower())


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
