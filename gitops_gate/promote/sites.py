"""Where a document sets an image: kustomize `images:` entries, Helm values, container specs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gitops_gate.manifests.model import Document
from gitops_gate.promote.images import ImageRef

KUSTOMIZE, HELM, MANIFEST = "kustomize images", "HelmRelease values", "manifest"
_POD_SPECS = (("spec", "template", "spec"), ("spec", "jobTemplate", "spec", "template", "spec"))
_CONTAINERS = ("initContainers", "containers", "ephemeralContainers")


@dataclass(frozen=True, slots=True)
class Site:
    """One place that decides an image: its document, the pointer to it, and what it says."""

    doc: Document
    form: str
    pointer: tuple[str | int, ...]  # the image entry (kustomize, Helm) or the `image` field
    current: ImageRef

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def line(self) -> int:
        return self.doc.line_of(list(self.pointer))


def sites_in(doc: Document, name: str | None) -> Iterator[Site]:
    """Every place in doc that sets image `name` (as written, or as a kustomize newName);
    every image when name is None."""
    body = doc.body if isinstance(doc.body, dict) else {}
    if body.get("kind") == "Kustomization" and "images" in body:
        yield from _kustomize(doc, body, name)
    elif body.get("kind") == "HelmRelease":
        values = (body.get("spec") or {}).get("values")
        yield from _helm(doc, values, ("spec", "values"), name)
    else:
        yield from _containers(doc, body, name)


def _kustomize(doc: Document, body: dict[str, Any], name: str | None) -> Iterator[Site]:
    entries = body.get("images")
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not _named(name, entry.get("name"), entry.get("newName")):
            continue
        ref = ImageRef(
            str(entry.get("newName") or entry.get("name")),
            _text(entry.get("newTag")),
            _text(entry.get("digest")),
        )
        yield Site(doc, KUSTOMIZE, ("images", i), ref)


def _helm(
    doc: Document, values: Any, at: tuple[str | int, ...], name: str | None
) -> Iterator[Site]:
    """Charts' convention `image: {repository, tag}`, at any depth of the values."""
    if isinstance(values, dict):
        repository = values.get("repository")
        if isinstance(repository, str) and _named(name, repository) and "tag" in values:
            yield Site(doc, HELM, at, ImageRef(repository, _text(values.get("tag")), None))
        for key, value in values.items():
            yield from _helm(doc, value, (*at, str(key)), name)
    elif isinstance(values, list):
        for i, value in enumerate(values):
            yield from _helm(doc, value, (*at, i), name)


def _containers(doc: Document, body: dict[str, Any], name: str | None) -> Iterator[Site]:
    for spec_path in (*_POD_SPECS, ("spec",)):
        spec = _at(body, spec_path)
        if not isinstance(spec, dict) or (spec_path == ("spec",) and body.get("kind") != "Pod"):
            continue
        for field in _CONTAINERS:
            containers = spec.get(field)
            for i, c in enumerate(containers if isinstance(containers, list) else []):
                image = c.get("image") if isinstance(c, dict) else None
                if isinstance(image, str) and _named(name, ImageRef.parse(image).name):
                    pointer = (*spec_path, field, i, "image")
                    yield Site(doc, MANIFEST, pointer, ImageRef.parse(image))


def _named(name: str | None, *candidates: object) -> bool:
    return any(isinstance(c, str) and c and (name is None or c == name) for c in candidates)


def _at(body: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        body = body.get(p) if isinstance(body, dict) else None
    return body


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
