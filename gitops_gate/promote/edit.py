"""Edits that change one value on its own line and leave every other byte of the file alone."""

from __future__ import annotations

import re

import yaml

from gitops_gate.errors import LocatedError

_HINT = "edit it by hand, or write the field in block style (`key: value` on its own line)"


def set_value(text: str, path: str, line: int, key: str, old: str | None, new: str) -> str:
    """text with `key: old` on line (1-based) made `key: new`, quotes and comment kept."""
    lines = text.splitlines(keepends=True)
    found = _value_span(lines[line - 1], key, old)
    if found is None:
        raise LocatedError(path, line, f"cannot find `{key}: {old}` on this line", hint=_HINT)
    start, end, quote = found
    lines[line - 1] = lines[line - 1][:start] + _quoted(new, quote) + lines[line - 1][end:]
    return "".join(lines)


def rename_key(text: str, path: str, line: int, old_key: str, new_key: str) -> str:
    """text with `old_key:` on line made `new_key:` (a tag line becomes a digest line)."""
    lines = text.splitlines(keepends=True)
    m = re.search(rf"(^|[\s{{,-]){re.escape(old_key)}(\s*:)", lines[line - 1])
    if m is None:
        raise LocatedError(path, line, f"cannot find `{old_key}:` on this line", hint=_HINT)
    text_line = lines[line - 1]
    lines[line - 1] = text_line[: m.start() + len(m[1])] + new_key + text_line[m.start(2) :]
    return "".join(lines)


def insert_after(text: str, path: str, line: int, sibling: str, key: str, value: str) -> str:
    """text with `key: value` added below line, indented like its `sibling:` key there."""
    lines = text.splitlines(keepends=True)
    m = re.search(rf"(^|[\s-])({re.escape(sibling)})\s*:", lines[line - 1])
    if m is None or "{" in lines[line - 1]:
        raise LocatedError(path, line, f"cannot add `{key}` next to `{sibling}` here", hint=_HINT)
    ending = "\r\n" if lines[line - 1].endswith("\r\n") else "\n"
    if not lines[line - 1].endswith(("\n", "\r")):
        lines[line - 1] += ending
    lines.insert(line, f"{' ' * m.start(2)}{key}: {_quoted(value, '')}{ending}")
    return "".join(lines)


def drop_line(text: str, path: str, line: int, key: str) -> str:
    """text without line, which must hold `key:` alone (a digest dropped for a new tag)."""
    lines = text.splitlines(keepends=True)
    if not re.match(rf"^\s*(-\s+)?{re.escape(key)}\s*:", lines[line - 1]):
        raise LocatedError(path, line, f"cannot remove `{key}` from this line", hint=_HINT)
    if re.match(r"^\s*-\s", lines[line - 1]):
        raise LocatedError(path, line, f"`{key}` opens a list item here", hint=_HINT)
    del lines[line - 1]
    return "".join(lines)


def _value_span(text: str, key: str, old: str | None) -> tuple[int, int, str] | None:
    m = re.search(rf"(^|[\s{{,-]){re.escape(key)}\s*:\s*", text)
    if m is None:
        return None
    at = m.end()
    quote = text[at] if at < len(text) and text[at] in "\"'" else ""
    start = at + len(quote)
    if old is None:  # the value is whatever stands there: up to a comment, comma or brace
        end = len(re.match(r"[^\s#,}\"']*", text[start:])[0]) + start  # type: ignore[index]
    elif text.startswith(old, start):
        end = start + len(old)
    else:
        return None
    if quote and not text.startswith(quote, end):
        return None
    return (at, end + len(quote), quote)


def _reads_back(value: str) -> bool:
    try:
        return bool(yaml.safe_load(f"k: {value}") == {"k": value})
    except yaml.YAMLError:
        return False


def _quoted(value: str, quote: str) -> str:
    # A tag like 1.10 would be read back as a number unquoted (and 1.10 is not 1.1).
    if not quote and not _reads_back(value):
        quote = '"'
    return f"{quote}{value}{quote}"
