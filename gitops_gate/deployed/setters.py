"""Which overlay entry set a rendered field: an `images:` entry or a patch, with its file:line.

kustomize says what it built, not from where; this reads the environment's kustomizations
the way kustomize applies them and names the first entry that sets the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from gitops_gate.deployed.fieldpath import MISSING, Step, covers, resolve, split
from gitops_gate.deployed.sources import Sources, parse_text
from gitops_gate.manifests.kustomization import join
from gitops_gate.manifests.model import Document

_PATCH_LISTS = ("patchesStrategicMerge", "patches", "patchesJson6902")


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class _Patch:
    """One patch document, where its lines are, and which objects it is for."""

    doc: Document
    target: dict[str, Any] | None
    offset: int = 0  # an inline patch's lines start below its kustomization's key


def setter(
    parts: list[str], steps: list[Step], rendered: Any, written: Any, sources: Sources
) -> Place | None:
    """The `images:` entry or patch that set the field at parts (steps: the same field by
    element names) of rendered, made from written (None: no file has it); None when no
    overlay touches it."""
    if parts and parts[-1] == "image":
        found = _image_entry(
            _text(resolve(rendered, steps)[0]), _text(resolve(written, steps)[0]), sources
        )
        if found is not None:
            return found
    names = {_name(b) for b in (rendered, written)} - {""}
    kind = str(rendered.get("kind") or "") if isinstance(rendered, dict) else ""
    for patch in _patches(sources):
        if not _targets(patch, kind, names):
            continue
        line = _touches(patch.doc, parts, steps)
        if line is not None:
            return Place(patch.doc.path, patch.offset + line)
    return None


def image_name(image: str) -> str:
    """An image reference without its tag or digest, as kustomize's `images: name` matches."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


def _image_entry(image: str, written: str, sources: Sources) -> Place | None:
    """The `images:` entry for the image whose newName, newTag or digest it now shows."""
    names = {image_name(image), image_name(written)} - {""}
    for k in sources.kustomizations:
        entries = k.body.get("images") if isinstance(k.body, dict) else None
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict) or _text(entry.get("name")) not in names:
                continue
            shown = [f for f in ("digest", "newTag", "newName") if _shows(image, f, entry.get(f))]
            if shown:
                return Place(k.path, k.line_of(["images", i, shown[0]]))
    return None


def _shows(image: str, field: str, value: Any) -> bool:
    if not isinstance(value, str | int) or not image:
        return False
    text = str(value)
    if field == "newName":
        return image_name(image) == text
    return image.endswith(("@" + text) if field == "digest" else (":" + text))


def _patches(sources: Sources) -> Iterator[_Patch]:
    for k in sources.kustomizations:
        if isinstance(k.body, dict):
            for field in _PATCH_LISTS:
                entries = k.body.get(field)
                for i, entry in enumerate(entries if isinstance(entries, list) else []):
                    yield from _entry_patches(k, field, i, entry, sources)


def _entry_patches(
    k: Document, field: str, i: int, entry: Any, sources: Sources
) -> Iterator[_Patch]:
    target = entry.get("target") if isinstance(entry, dict) else None
    target = target if isinstance(target, dict) else None
    folder = PurePosixPath(k.path).parent
    if isinstance(entry, str) and "\n" not in entry.strip():
        for doc in sources.documents(join(folder, entry)):
            yield _Patch(doc, None)
        return
    inline = entry if isinstance(entry, str) else None
    if isinstance(entry, dict):
        if isinstance(entry.get("path"), str):
            for doc in sources.documents(join(folder, entry["path"])):
                yield _Patch(doc, target)
            return
        inline = entry.get("patch") if isinstance(entry.get("patch"), str) else None
    if inline is not None:
        pointer = f"/{field}/{i}" + ("" if isinstance(entry, str) else "/patch")
        offset = k.line_of(pointer) - (0 if "\n" in inline.strip() else 1)
        for doc in parse_text(inline, k.path):
            yield _Patch(doc, target, offset)


def _targets(patch: _Patch, kind: str, names: set[str]) -> bool:
    """Whether the patch is for an object of kind named one of names (its name in the base,
    or as rendered)."""
    if patch.target is not None:
        want_kind, want_name = patch.target.get("kind"), patch.target.get("name")
        if want_kind is not None and want_kind != kind:
            return False
        return want_name is None or any(_matches(str(want_name), n) for n in names)
    body = patch.doc.body
    if not isinstance(body, dict):
        return False
    meta = body.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    return body.get("kind") == kind and _text(name) in names


# Python's re backtracks where kustomize's RE2 does not: a repeated group (`(a*)*b`) or many
# repeats (`a*a*a*a*a*b`) against a long name would run for ever. Such a pattern is taken
# literally; the names kustomize targets (`app-.*`, `(web|api)`) stay regular expressions.
_REPEATED_GROUP = re.compile(r"\)[*+?{]")
_REPEATS = re.compile(r"[*+{]")


def _matches(pattern: str, name: str) -> bool:
    # kustomize's target name is a regular expression anchored at both ends.
    if _REPEATED_GROUP.search(pattern) or len(_REPEATS.findall(pattern)) > 2:
        return pattern == name
    try:
        return re.fullmatch(pattern, name) is not None
    except re.error:
        return pattern == name


def _touches(doc: Document, parts: list[str], steps: list[Step]) -> int | None:
    """The patch's line setting the field (or a field around or inside it), None if none."""
    body = doc.body
    if isinstance(body, list):  # JSON 6902 operations
        for n, op in enumerate(body):
            path = op.get("path") if isinstance(op, dict) else None
            if isinstance(path, str) and covers(split(path), parts):
                return doc.line_of(f"/{n}")
        return None
    if not isinstance(body, dict) or not parts:
        return None
    value, found = resolve(body, steps)
    return doc.line_of(found) if value is not MISSING else None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _name(body: Any) -> str:
    meta = body.get("metadata") if isinstance(body, dict) else None
    return _text(meta.get("name")) if isinstance(meta, dict) else ""
