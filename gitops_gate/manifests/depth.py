"""Refuses YAML nested deeper than a limit before libyaml's composer recurses into it.

The composer in PyYAML's C extension recurses once per level with no check: a flow sequence
nested 30,000 deep (60 KB) overflows the C stack and kills the process. libyaml's event parser
keeps its own stack, so counting its events is safe at any depth; a cheap bound spares that
count for the usual file.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

import yaml

from gitops_gate.errors import ManifestError

DEFAULT_MAX_DEPTH = 256
# The most limits.maxDepth may be (config/schema.json): far below the ~25,000 levels that
# overflowed the C stack, and what a file already loaded is parsed again under.
LARGEST_MAX_DEPTH = 900
# A document start at column 0 ends every flow collection (libyaml refuses one left open),
# so each document's nesting is bounded by what lies between two of them.
_DOC_START = re.compile(r"^---(?=[ \t\r\n]|\Z)", re.MULTILINE)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def check_depth(text: str, path: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """ManifestError (too-deep, with the line) when text nests deeper than max_depth."""
    if _within(text, 0, len(text), max_depth) or all(
        _within(text, start, end, max_depth) for start, end in _documents(text)
    ):
        return
    line = _deepest_line(text, max_depth)
    if line is not None:
        raise ManifestError(
            path,
            line,
            f"nesting is deeper than {max_depth} levels; the file was not parsed",
            hint="flatten it, or raise limits.maxDepth in .gitops-gate.yaml",
            rule="too-deep",
        )


def _documents(text: str) -> list[tuple[int, int]]:
    starts = [0, *(m.start() for m in _DOC_START.finditer(text)), len(text)]
    return list(itertools.pairwise(starts))


def _within(text: str, start: int, end: int, max_depth: int) -> bool:
    """True when text[start:end] surely nests no deeper than max_depth: every bracket may open
    a flow level, and each block level needs one more column of indentation or an indicator
    ('- ', '? ') before its content, a mapping's sequence at the same indentation at most
    doubling that. So no line may lead with more than (max_depth - brackets - 2) / 2 of them."""
    flow = text.count("[", start, end) + text.count("{", start, end)
    room = (max_depth - flow - 2) // 2
    if room < 0:
        return False
    return _prefix_longer_than(room).search(text, start, end) is None


@functools.lru_cache(maxsize=8)
def _prefix_longer_than(n: int) -> re.Pattern[str]:
    return re.compile(rf"^[ \t?:-]{{{n + 1}}}", re.MULTILINE)


def _deepest_line(text: str, max_depth: int) -> int | None:
    """The line where the nesting first passes max_depth, counted on libyaml's events; None
    when it never does (or the text is not YAML before that: the composer says where)."""
    parser: Any = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, _OPEN):
                depth += 1
                if depth > max_depth:
                    mark = event.start_mark
                    return int(mark.line) + 1 if mark is not None else 1
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return None
