"""Typed models for loaded manifests: identities, provenance and per-file outcomes."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gitops_gate.keys import ResourceKey

if TYPE_CHECKING:
    import yaml


class FileKind(enum.StrEnum):
    """What the loader decided a file is."""

    MANIFESTS = "manifests"
    KUSTOMIZATION = "kustomization"
    PATCH = "patch"
    HELM_TEMPLATE = "helm-template"
    COMMENT_ONLY = "comment-only"
    OTHER_YAML = "other-yaml"
    NOT_YAML = "not-yaml"
    ERROR = "error"


@dataclass(slots=True)
class FileRecord:
    """One file the loader looked at, and what came of it."""

    path: str
    kind: FileKind
    documents: int = 0
    resources: int = 0
    reason: str | None = None
    substituted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind.value,
            "documents": self.documents,
            "resources": self.resources,
            "reason": self.reason,
            "substituted": self.substituted,
        }


@dataclass(slots=True, eq=False)
class Document:
    """A parsed YAML document that can say on which line any of its fields stands.

    It keeps its file's text (shared by all documents of the file, not copied) instead of
    the node tree: line numbers are wanted only for findings, and keeping every node alive
    made loading three times slower (the cyclic GC rescans them).
    """

    path: str
    index: int
    body: Any
    line: int = 1
    text: str | None = field(default=None, repr=False)
    item: int | None = None
    _node: yaml.Node | None = field(default=None, repr=False)

    @property
    def node(self) -> yaml.Node | None:
        """This document's node tree (a List item's own node), composed again on first use."""
        if self._node is None and self.text is not None:
            from gitops_gate.manifests.yamlsafe import document_node

            self._node = document_node(self.text, self.path, self.index, self.item)
        return self._node

    def line_of(self, pointer: str | list[str | int]) -> int:
        """The line of the deepest field of `pointer` (a JSON pointer or its parts) that exists."""
        from gitops_gate.manifests.yamlsafe import line_of

        node = self.node
        return self.line if node is None else line_of(node, pointer)


@dataclass(slots=True, eq=False)
class Resource(Document):
    """A Kubernetes object from a manifest file (a `List` item is a Resource of its own)."""

    key: ResourceKey = field(default_factory=lambda: ResourceKey("", "", None, ""))
    substituted: bool = False

    @property
    def api_version(self) -> str:
        return str(self.body.get("apiVersion") or "")

    @property
    def kind(self) -> str:
        return self.key.kind
