"""Rewriting README's benchmark section between marker comments, keeping the prose around them.

Each generated part sits between `<!-- bench:NAME start -->` and `<!-- bench:NAME end -->`.
A rerun replaces what is between a pair and nothing else; a part with no markers yet is added
at the end of the section, just before the next `## ` heading, so the first run needs no setup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

SECTION = "## Benchmarks"


def start(name: str) -> str:
    return f"<!-- bench:{name} start -->"


def end(name: str) -> str:
    return f"<!-- bench:{name} end -->"


def rewrite(text: str, blocks: Mapping[str, str]) -> str:
    """text with each named block's markers holding its new body (in blocks' order)."""
    for name, body in blocks.items():
        text = _replace_one(text, name, body)
    return text


def _replace_one(text: str, name: str, body: str) -> str:
    block = f"{start(name)}\n{body.strip()}\n{end(name)}"
    pattern = re.compile(rf"{re.escape(start(name))}\n.*?{re.escape(end(name))}", re.DOTALL)
    found = pattern.findall(text)
    if len(found) > 1:
        raise ValueError(f"README holds the markers of bench:{name} {len(found)} times")
    if found:
        # A function, so that backslashes in a table are never read as group references.
        return pattern.sub(lambda _: block, text)
    if start(name) in text or end(name) in text:
        raise ValueError(f"README holds only one of the markers of bench:{name}")
    return _insert_at_section_end(text, block)


def _insert_at_section_end(text: str, block: str) -> str:
    lines = text.splitlines(keepends=True)
    try:
        first = next(i for i, line in enumerate(lines) if line.rstrip() == SECTION)
    except StopIteration:
        raise ValueError(f"README has no {SECTION!r} heading to write into") from None
    after = (i for i in range(first + 1, len(lines)) if lines[i].startswith("## "))
    at = next(after, len(lines))
    while at > first + 1 and not lines[at - 1].strip():
        at -= 1
    head = "".join(lines[:at])
    tail = "".join(lines[at:]).lstrip("\n")
    separator = "" if head.endswith("\n") else "\n"
    return f"{head}{separator}\n{block}\n\n{tail}" if tail else f"{head}{separator}\n{block}\n"
