"""Refuses a render root before kustomize runs on it: remote bases, paths out of the repository,
plugins and remote charts, in any kustomization the root reaches, read from the raw tree."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

import yaml

from gitops_gate.errors import ManifestError
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.decode import decode
from gitops_gate.manifests.kustomization import KUSTOMIZATION_NAMES, is_kustomization_file, refs
from gitops_gate.manifests.yamlsafe import line_of, parse
from gitops_gate.render.tree import Escape, RawTree, resolve

# A kustomization or plugin config this big is refused unread, whatever the loader's limit.
MAX_BYTES = 4 * 1024 * 1024
_PLUGIN_FIELDS = ("generators", "transformers", "validators")
_FUNCTION_KEYS = ("config.kubernetes.io/function", "config.k8s.io/function")


def screen(tree: RawTree, rels: Iterable[str]) -> list[Finding]:
    """Refusals for the folders rels and every kustomization they reach (empty: safe to build)."""
    walk = _Walk(tree)
    for rel in rels:
        walk.folder(rel, None)
    return walk.findings


class _Walk:
    def __init__(self, tree: RawTree) -> None:
        self.tree = tree
        self.findings: list[Finding] = []
        self.seen: set[str] = set()

    def refuse(self, rule: str, message: str, where: tuple[str, int | None]) -> None:
        self.findings.append(Finding(rule, Severity.ERROR, message, "render", *where))

    def real(self, rel: str, where: tuple[str, int | None], shown: str = "") -> str | None:
        """rel resolved inside the tree, or None after refusing it (shown: rel as written)."""
        try:
            return resolve(self.tree, rel)
        except Escape as e:
            name = shown or rel
            if e.link is not None:
                self.refuse("symlink-escape", f"{name}: the link {e.link} leads out of the"
                            " repository; refused, nothing was rendered", where)  # fmt: skip
            else:
                self.refuse("path-outside-root", f"{name} is outside the repository; refused,"
                            " nothing was rendered", where)  # fmt: skip
            return None

    def folder(self, rel: str, where: tuple[str, int | None] | None, shown: str = "") -> None:
        real = self.real(rel, where or (rel, None), shown)
        if real is None or real in self.seen or self.tree.kind(real) != "dir":
            return
        self.seen.add(real)
        names = [f"{real}/{n}" if real != "." else n for n in KUSTOMIZATION_NAMES]
        kfile = next((n for n in names if self.tree.kind(n) is not None), None)
        if kfile is not None:
            self.kustomization(kfile)
            return
        # A plain folder: Flux builds each kustomization below it, whatever the loader skips.
        for rel_file in self.tree.under(real):
            linked = self.tree.kind(rel_file) == "link"
            if linked and self.real(rel_file, (rel_file, None)) is None:
                continue
            if is_kustomization_file(rel_file):
                self.folder(posixpath.dirname(rel_file) or ".", (rel_file, None))

    def kustomization(self, kfile: str) -> None:
        real = self.real(kfile, (kfile, None))
        loaded = self.load(real) if real is not None else None
        if loaded is None:
            return
        node, body = loaded
        for ref in refs(kfile, body):
            where = (kfile, line_of(node, ref.pointer))
            if ref.remote:
                self.refuse("remote-base", f"remote base {ref.target} refused: gitops-gate never"
                            " fetches (vendor it into the repository)", where)  # fmt: skip
            elif ref.field in _PLUGIN_FIELDS:
                self.plugin(ref.target, where, ref.written)
            else:
                self.folder(ref.target, where, ref.written)
        self.inline_plugins(kfile, node, body)
        self.charts(kfile, node, body)

    def load(self, rel: str) -> tuple[yaml.Node, Any] | None:
        if self.tree.kind(rel) != "file":
            return None
        if self.tree.size(rel) > MAX_BYTES:
            self.refuse("file-too-large", f"{rel} is over {MAX_BYTES} bytes; refused unread,"
                        " nothing was rendered", (rel, None))  # fmt: skip
            return None
        try:
            doc = next(iter(parse(decode(self.tree.read(rel), rel), rel)), None)
        except ManifestError as e:
            self.refuse("unreadable-kustomization", f"{e.message}; not rendered", (rel, e.line))
            return None
        return (doc.node, doc.value) if doc is not None else None

    def plugin(self, target: str, where: tuple[str, int | None], shown: str) -> None:
        real = self.real(target, where, shown)
        if real is None:
            return
        if self.tree.kind(real) == "dir":
            self.folder(real, where)
            files = [f for f in self.tree.under(real) if self.tree.kind(f) == "file"]
        else:
            files = [real] if self.tree.kind(real) == "file" else []
        for f in files:
            if self.tree.size(f) > MAX_BYTES or _runs_code(self.tree.read(f)):
                self.refuse("render-plugin", f"{f} configures a plugin or KRM function;"
                            " gitops-gate runs none, nothing was rendered", where)  # fmt: skip

    def inline_plugins(self, kfile: str, node: yaml.Node, body: Any) -> None:
        for field in _PLUGIN_FIELDS:
            items = body.get(field) if isinstance(body, dict) else None
            for i, item in enumerate(items if isinstance(items, list) else []):
                inline = isinstance(item, str) and "\n" in item.strip()
                if not isinstance(item, str) or (inline and _runs_code(item.encode())):
                    self.refuse("render-plugin", f"{field} entry {i} configures a plugin or KRM"
                                " function; gitops-gate runs none, nothing was rendered",
                                (kfile, line_of(node, f"/{field}/{i}")))  # fmt: skip

    def charts(self, kfile: str, node: yaml.Node, body: Any) -> None:
        if not isinstance(body, dict):
            return
        folder = posixpath.dirname(kfile)
        for field in ("helmCharts", "helmChartInflationGenerator"):
            items = body.get(field)
            for i, chart in enumerate(items if isinstance(items, list) else []):
                if not isinstance(chart, dict):
                    continue
                where = (kfile, line_of(node, f"/{field}/{i}"))
                remote = chart.get("repo") or chart.get("chartRepoUrl")
                if remote or "://" in str(chart.get("name")):
                    self.refuse("remote-chart", f"chart {chart.get('name')!r} comes from a"
                                " repository: gitops-gate never fetches (vendor it under"
                                " helmGlobals.chartHome)", where)  # fmt: skip
                for extra in _strings(chart.get("additionalValuesFiles")):
                    self.real(posixpath.join(folder, extra), where, extra)
        home = body.get("helmGlobals")
        if isinstance(home, dict) and isinstance(home.get("chartHome"), str):
            where = (kfile, line_of(node, "/helmGlobals/chartHome"))
            self.folder(posixpath.join(folder, home["chartHome"]), where, home["chartHome"])


def _runs_code(data: bytes) -> bool:
    """True unless every document is one of kustomize's builtin plugin configs."""
    text = data.decode(errors="replace")
    if any(key in text for key in _FUNCTION_KEYS):
        return True
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError:
        return True
    return any(not isinstance(d, dict) or d.get("apiVersion") != "builtin" for d in docs)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
