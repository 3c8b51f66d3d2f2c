"""Safe YAML: libyaml composes nodes, we build plain values and keep the nodes for line numbers.

Accepts what the YAML spec and Go's parser accept where PyYAML's defaults refuse (an anchor
defined twice, unknown tags), and refuses what would hurt later stages: duplicate keys,
alias bombs, recursive aliases and absurd nesting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from sys import intern
from typing import TYPE_CHECKING, Any

import yaml

from gitops_gate.errors import ManifestError
from gitops_gate.manifests.decode import decode

if TYPE_CHECKING:
    from gitops_gate.manifests.model import FileSource
from gitops_gate.manifests.depth import DEFAULT_MAX_DEPTH, LARGEST_MAX_DEPTH, check_depth
from gitops_gate.manifests.surrogates import PYYAML_PROBLEM, join_surrogate_escapes

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BINARY = "tag:yaml.org,2002:binary"
_SCALARS = {
    "tag:yaml.org,2002:int": "construct_yaml_int",
    "tag:yaml.org,2002:float": "construct_yaml_float",
    "tag:yaml.org,2002:bool": "construct_yaml_bool",
    "tag:yaml.org,2002:null": "construct_yaml_null",
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# An anchor (&name) where YAML allows one; without one, no alias can refer to anything.
ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]+", re.MULTILINE)
_RESOLVED: dict[str, str] = {}  # plain scalar -> its tag; the same few thousand recur everywhere
_RESOLVED_MAX = 200_000
# Keys and short values recur in every resource (name, image, TCP, 100m): one string object
# each, shared through the run, instead of one per occurrence (a third of a load's memory).
_INTERN_MAX = 64


class _Resolver:
    """PyYAML's safe tag resolution, remembered per plain scalar.

    libyaml's composer asks Python for the tag of every scalar: on 5,000 resources that was
    229,000 calls, each walking a list of regular expressions, a third of loading. The
    SafeLoader has no path resolvers, so a scalar's tag depends on its text alone.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:  # quoted: a string, as PyYAML decides without resolvers
                return _STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = yaml.SafeLoader.resolve(self, kind, value, implicit)  # type: ignore[arg-type,no-untyped-call]
                if len(_RESOLVED) < _RESOLVED_MAX:
                    _RESOLVED[value] = tag
            return tag
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, parent: Any, index: Any) -> None:
        """Path resolvers are not used: nothing to track."""

    def ascend_resolver(self) -> None:
        """Path resolvers are not used: nothing to track."""


try:
    _FastLoader: type[Any] = type("_FastLoader", (_Resolver, yaml.CSafeLoader), {})
except AttributeError:  # pragma: no cover - libyaml is in PyYAML's wheels
    _FastLoader = yaml.SafeLoader


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a single document may cost before we refuse it."""

    max_alias_expansion: int = 100_000
    max_depth: int = DEFAULT_MAX_DEPTH


@dataclass(slots=True)
class ParsedDocument:
    """One YAML document: its value, its node tree, and what was wrong with it."""

    index: int
    node: yaml.Node
    value: Any
    duplicates: list[tuple[int, str, int]]  # (line, key, first line)
    nodes: int = 0  # in the value as built, aliases expanded: what it costs to hold and check


class _LenientComposer(yaml.SafeLoader):
    """Pure-Python composer that lets a later anchor replace an earlier one, as YAML allows."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self.anchors.pop(anchor, None)
        return super().compose_node(parent, index)


def compose(text: str, path: str, max_depth: int = DEFAULT_MAX_DEPTH) -> list[yaml.Node | None]:
    """Parse text into one node per document (None for an empty document)."""
    check_depth(text, path, max_depth)
    try:
        return _compose_with(_FastLoader, text)
    except yaml.composer.ComposerError as e:
        if "found duplicate anchor" not in str(e.context):
            raise _as_manifest_error(e, path) from e
    except yaml.YAMLError as e:
        joined = join_surrogate_escapes(text) if _surrogate_escape(e) else text
        if joined == text:
            raise _as_manifest_error(e, path, text) from e
        return compose(joined, path, max_depth)
    try:
        return _compose_with(_LenientComposer, text)
    except yaml.YAMLError as e:
        raise _as_manifest_error(e, path, text) from e


def _surrogate_escape(e: yaml.YAMLError) -> bool:
    return isinstance(e, yaml.MarkedYAMLError) and PYYAML_PROBLEM in (e.problem or "")


def event_parser(text: str) -> Any:
    """libyaml's event parser over text (check_event, get_event, dispose)."""
    return _FastLoader(text)


def _compose_with(loader_cls: type[Any], text: str) -> list[yaml.Node | None]:
    loader = loader_cls(text)
    nodes: list[yaml.Node | None] = []
    try:
        while loader.check_node():
            nodes.append(loader.get_node())
    finally:
        loader.dispose()
    return nodes


def _as_manifest_error(e: yaml.YAMLError, path: str, text: str = "") -> ManifestError:
    if isinstance(e, yaml.reader.ReaderError):  # a control character: only an offset is known
        at = text.count("\n", 0, e.position) + 1
        what = f"character U+{e.character:04X} is not allowed in YAML (a control character?)"
        return ManifestError(path, at, what, hint='remove it, or write it escaped: "\\u001b"')
    if not isinstance(e, yaml.MarkedYAMLError):
        return ManifestError(path, None, f"invalid YAML: {e}", hint="fix the syntax")
    mark = e.problem_mark or e.context_mark
    line = mark.line + 1 if mark is not None else None
    what = e.problem or e.context or "not valid YAML"
    if e.context and e.problem and "found duplicate anchor" not in e.context:
        what = f"{e.problem} ({e.context})"
    return ManifestError(path, line, f"invalid YAML: {what}", hint="fix the syntax")


class _Builder:
    """Turns a node tree into dicts, lists and scalars, sharing aliased values."""

    __slots__ = ("built", "duplicates", "expanded", "limits", "open", "path", "through_aliases")

    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.built: dict[int, tuple[Any, int]] = {}
        self.open: set[int] = set()
        self.duplicates: list[tuple[int, str, int]] = []
        self.expanded = 0  # nodes in the fully expanded tree so far
        self.through_aliases = 0  # of those, nodes reached again through an alias

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        key = id(node)
        done = self.built.get(key)
        if done is not None:  # an alias: the value is shared, its expanded size is not
            self.expanded += done[1]
            self.through_aliases += done[1]
            if self.through_aliases > self.limits.max_alias_expansion:
                raise self._error(
                    node, "aliases expand to too many nodes (a YAML bomb?)", rule="alias-bomb"
                )
            return done[0]
        if key in self.open:
            raise self._error(
                node, "an alias refers to the node that contains it", rule="recursive-alias"
            )
        if depth > self.limits.max_depth:
            raise self._error(
                node, f"nesting is deeper than {self.limits.max_depth} levels", rule="too-deep"
            )
        self.expanded += 1
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        self.open.add(key)
        start = self.expanded - 1
        if isinstance(node, yaml.MappingNode):
            value: Any = self._mapping(node, depth)
        else:
            value = [self.build(child, depth + 1) for child in node.value]
        self.open.discard(key)
        self.built[key] = (value, self.expanded - start)
        return value

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        merged: list[dict[str, Any]] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, depth))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._error(key_node, "a mapping key must be a plain value")
            k = intern(key_node.value)
            line = key_node.start_mark.line + 1
            if k in lines:
                self.duplicates.append((line, k, lines[k]))
            lines[k] = line
            out[k] = self.build(value_node, depth + 1)
        for source in merged:
            for k, v in source.items():
                out.setdefault(k, v)
        return out

    def _merge_sources(self, node: yaml.Node, depth: int) -> list[dict[str, Any]]:
        nodes = node.value if isinstance(node, yaml.SequenceNode) else [node]
        sources = [self.build(n, depth + 1) for n in nodes]
        if not all(isinstance(s, dict) for s in sources):
            raise self._error(node, "a merge key (<<) must refer to a mapping")
        return sources

    def _error(self, node: yaml.Node, message: str, *, rule: str = "invalid-yaml") -> ManifestError:
        return ManifestError(self.path, node.start_mark.line + 1, message, rule=rule)


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR or tag == _TIMESTAMP or tag == _BINARY:
        # Timestamps stay strings, as Kubernetes' JSON conversion leaves them.
        value: str = node.value
        return intern(value) if len(value) <= _INTERN_MAX else value
    method = _SCALARS.get(tag)
    if method is None:  # a custom tag (!Ref, !!python/...) never constructs anything
        return node.value
    return getattr(_CONSTRUCTOR, method)(node)


def parse(text: str, path: str, limits: Limits | None = None) -> Iterator[ParsedDocument]:
    """Every non-empty document of text, with its value; ManifestError on the first bad one."""
    limits = limits or Limits()
    for index, node in enumerate(compose(text, path, limits.max_depth)):
        if node is None:
            continue
        builder = _Builder(path, limits)
        value = builder.build(node)
        yield ParsedDocument(index, node, value, builder.duplicates, builder.expanded)


def document_node(text: str, path: str, index: int, item: int | None = None) -> yaml.Node | None:
    """The node of document index in text (of its List item when item is given)."""
    try:
        return _pick(_composed(text, path), index, item)
    except ManifestError:
        return None


def file_document_node(
    source: FileSource, path: str, index: int, item: int | None = None
) -> yaml.Node | None:
    """document_node of the file source was loaded from; None when it changed since."""
    try:
        return _pick(_file_composed(source, path), index, item)
    except (ManifestError, OSError):
        return None


def _pick(nodes: list[yaml.Node | None], index: int, item: int | None) -> yaml.Node | None:
    node = nodes[index] if index < len(nodes) else None
    if item is not None and node is not None:
        items = _child(node, "items")[0]
        node = _child(items, str(item))[0] if items is not None else None
    return node


@functools.lru_cache(maxsize=4)
def _composed(text: str, path: str) -> list[yaml.Node | None]:
    """compose, remembered for the last few files: findings come file by file, often several
    for the documents of one file, and each would otherwise parse the whole file again."""
    return compose(text, path, LARGEST_MAX_DEPTH)


@functools.lru_cache(maxsize=4)
def _file_composed(source: FileSource, path: str) -> list[yaml.Node | None]:
    """compose of the file again (as _composed: the last few are remembered)."""
    with open(source.file, "rb") as fh:  # noqa: PTH123 - a str path, kept as one per file
        text = decode(fh.read(), path)
    return compose(text, path, LARGEST_MAX_DEPTH) if hash(text) == source.digest else []


def line_of(node: yaml.Node, pointer: str | list[str | int]) -> int:
    """The 1-based line of the deepest field of pointer that exists under node."""
    parts = _split_pointer(pointer) if isinstance(pointer, str) else [str(p) for p in pointer]
    line = node.start_mark.line + 1
    for part in parts:
        child, child_line = _child(node, part)
        if child is None:
            break
        node, line = child, child_line
    return line


def _child(node: yaml.Node, part: str) -> tuple[yaml.Node | None, int]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in reversed(node.value):
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == part:
                return value_node, key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and part.isdigit() and int(part) < len(node.value):
        item = node.value[int(part)]
        return item, item.start_mark.line + 1
    return None, 0


def _split_pointer(pointer: str) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.lstrip("/").split("/")]
