"""What detect-secrets' YAML transformer would give its plugins, over-approximated with libyaml.

Its transformer reads a one-document YAML file with PyYAML's pure-Python parser (most of a
scan's time) to turn each string value under a mapping key into a line `key: "value"#comment`,
where the comment is the one on the value's line. Which line that is takes its parser's own
bookkeeping, but whether any plugin finds anything in those lines does not: every line it
makes is one of `key: "value"` + (nothing or one of the file's comments), for some key and
scalar value libyaml reads next to each other. Plugins that find nothing in any of those, nor
in the file's raw lines (what is scanned when the transformer fails or makes no line), find
nothing in the file, and the transformer need not run. An alias adds the line of its scalar
under its own key. Anything this cannot be sure of (tags, collections as keys, odd line
breaks, too many combinations) leaves the file to detect-secrets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from gitops_gate.manifests.yamlsafe import event_parser
from gitops_gate.secrets.screen import screen

# Text that PyYAML and libyaml, or detect-secrets' splitlines() and ours, may read apart, and
# the transformer's own marker keys.
_UNSURE_TEXT = re.compile(
    "[\ufeff\x85\u2028\u2029\x0b\x0c\x1c\x1d\x1e]|__(?:line|value|original_key)__"
)
_MAX_LINES = 20_000  # candidate lines, comments counted in; past it, detect-secrets decides
_MAX_DEPTH = 64


@dataclass(slots=True)
class _Frame:
    mapping: bool
    expect_key: bool = True
    key: str = ""


@dataclass(slots=True)
class Shape:
    """A YAML file as the transformer sees it: a stream it gives up on, or the candidate
    lines it could make (None when unsure)."""

    stream: bool = False
    candidates: list[str] | None = None


def shape(text: str) -> Shape:
    """Read text's events once: stop at a second document, else collect candidate lines."""

    sure = _UNSURE_TEXT.search(text) is None
    pairs: list[tuple[str, str]] = []
    stack: list[_Frame] = []
    anchored: dict[str, str | None] = {}  # anchor -> its scalar's value; None: a collection
    documents = 0
    parser = event_parser(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents == 2:
                    return Shape(stream=True)
            if not sure:
                continue
            if kind is yaml.AliasEvent:
                sure = _alias(stack, anchored.get(event.anchor), pairs)
            elif kind is yaml.ScalarEvent:
                sure = event.tag is None
                anchored.update({event.anchor: event.value} if event.anchor else {})
                _scalar(stack, event.value, pairs)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                sure = event.tag is None and _open(stack, kind is yaml.MappingStartEvent)
                anchored.update({event.anchor: None} if event.anchor else {})
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
    except yaml.YAMLError:
        return Shape()
    finally:
        parser.dispose()
    return Shape(candidates=_lines(text, pairs) if sure else None)


def expanded_nodes(text: str, limit: int) -> int:
    """How many nodes text's documents hold with every alias expanded, counted until past
    limit; 0 when libyaml cannot read it (the YAML reader then fails as soon)."""

    anchored: dict[str, int] = {}  # anchor -> nodes under it, its aliases expanded
    open_: list[tuple[str | None, int]] = [(None, 0)]  # collections open: anchor, nodes so far
    total = 0
    parser = event_parser(text)
    try:
        while total <= limit and parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                open_.append((event.anchor, 1))
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                anchor, n = open_.pop()
            elif kind is yaml.ScalarEvent:
                anchor, n = event.anchor, 1
            elif kind is yaml.AliasEvent:
                anchor, n = None, anchored.get(event.anchor, 1)
            else:
                continue
            if anchor is not None:
                anchored[anchor] = n
            open_[-1] = (open_[-1][0], open_[-1][1] + n)
            total += 1 if kind is not yaml.AliasEvent else n
    except yaml.YAMLError:
        return 0
    finally:
        parser.dispose()
    return total


def _scalar(stack: list[_Frame], value: str, pairs: list[tuple[str, str]]) -> None:
    top = stack[-1] if stack else None
    if top is not None and top.mapping:
        if top.expect_key:
            top.key = value
        else:
            pairs.append((top.key, value))
        top.expect_key = not top.expect_key


def _alias(stack: list[_Frame], value: str | None, pairs: list[tuple[str, str]]) -> bool:
    """An alias is the transformer's line `key: "value"` again when it names a scalar. Under
    a collection's alias it finds the pairs it found under the anchor: nothing new. Whether
    it can still be sure (not a collection as a key)."""
    if value is not None:
        _scalar(stack, value, pairs)
        return True
    top = stack[-1] if stack else None
    if top is not None and top.mapping:
        if top.expect_key:
            return False
        top.expect_key = True
    return True


def _open(stack: list[_Frame], mapping: bool) -> bool:
    top = stack[-1] if stack else None
    if top is not None and top.mapping:
        if top.expect_key:
            return False  # a collection as a key: its text in a line is past telling
        top.expect_key = True
    stack.append(_Frame(mapping))
    return len(stack) <= _MAX_DEPTH


def _lines(text: str, pairs: list[tuple[str, str]]) -> list[str] | None:
    """`key: "value"` (its quotes escaped) alone and with each comment detect-secrets may add."""
    from detect_secrets.transformers.yaml import _yaml_comment_regex

    comment = _yaml_comment_regex()
    comments = {""}
    for line in text.splitlines():
        found = comment.search(line.strip())
        if found:
            comments.add(found.group(0))
    if len(pairs) * len(comments) > _MAX_LINES:
        return None
    bare = {f'{key}: "{value.replace(chr(34), chr(92) + chr(34))}"' for key, value in pairs}
    return [line + c for line in sorted(bare) for c in sorted(comments)]


def finds_nothing(lines: Sequence[str], filename: str, plugins: Sequence[Any]) -> bool:
    """Whether no plugin finds anything in any of lines, before any filter.

    Filters only drop what plugins find, so nothing found is nothing reported. Sure only
    when every plugin is screened (their findings then depend on the file name and the line
    alone); an unscreened one, possibly reading context, makes this False.
    """

    built = screen(list(plugins))
    if any(own is None for own in built.patterns):
        return False
    stripped = [raw.rstrip() for raw in lines]
    active = built.for_lines(stripped)
    for index, line in enumerate(stripped):
        for plugin in active.plugins(index):
            if plugin.analyze_line(filename=filename, line=line, line_number=0, context=None):
                return False
    return True
