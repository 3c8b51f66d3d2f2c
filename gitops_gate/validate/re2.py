"""RE2 patterns from CRDs, spelled so Python's re, Rust's regex and Go's regexp read them alike.

A CRD's `pattern` is Go (RE2) syntax, checked by the API server. Our converted schema is read by
three engines: Python's re (the meta-schema check), jsonschema-rs (Rust's regex, the built-in
validator) and kubeconform (Go). Three RE2 spellings mean something else, or nothing, to some:

- a flag group `(?i)` after the start: RE2 applies it to the rest of the enclosing group,
  Python refuses it. It becomes a scoped `(?i:...)` up to the end of that group, closed and
  reopened around each `|` of it, since a flag group does not bind alternatives together.
- the ungreedy flag `U`: Python has none. A `pattern` asks only whether some match exists,
  and greediness picks between matches, never decides whether there is one: it is dropped.
- a POSIX class `[[:alpha:]]` inside brackets: Python reads it as a nested set (another
  meaning); it becomes its ASCII ranges. `[[:^alpha:]]` has no such spelling and is refused.

Other RE2-only syntax (`\\z`, `\\pL`, `\\Q...\\E`) is left alone: Python's re refuses it, and
the meta-schema check names the pattern, rather than validating with another meaning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gitops_gate.errors import GateError

_FLAG_GROUP = re.compile(r"\(\?([imsU]+(?:-[imsU]*)?|-[imsU]+)([:)])")
_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": r"\x00-\x7F",
    "blank": r"\x09 ",
    "cntrl": r"\x00-\x1F\x7F",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": r"!-/:-@\[-`{-~",
    "space": r"\x09-\x0D ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
# Inside brackets Rust reads `[` as a nested class and `&&`, `~~` as set operations; Python
# warns about them. Escaped, they are the literals RE2 reads.
_DOUBLED = ("&&", "~~")


class UnsupportedPattern(GateError):
    """An RE2 pattern with no spelling the three engines read alike."""

    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(f"pattern {pattern!r}: {reason}")
        self.pattern, self.reason = pattern, reason


@dataclass(slots=True)
class _Group:
    scoped: list[str] = field(default_factory=list)  # flags of the `(?f:` opened in it


def translate(pattern: str) -> str:
    """The pattern in the syntax Python, Rust and Go share, with RE2's meaning."""
    out: list[str] = []
    groups = [_Group()]
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif c == "[":
            i = _char_class(pattern, i, out)
        elif c == "(":
            i = _open(pattern, i, out, groups)
        elif c == ")":
            if len(groups) == 1:
                raise UnsupportedPattern(pattern, f"unmatched ')' at position {i}")
            out.append(")" * len(groups.pop().scoped) + ")")
            i += 1
        else:
            scoped = groups[-1].scoped if c == "|" else []
            out.append(")" * len(scoped) + c + "".join(f"(?{f}:" for f in scoped))
            i += 1
    if len(groups) > 1:
        raise UnsupportedPattern(pattern, "missing ')'")
    return "".join(out) + ")" * len(groups[0].scoped)


def _open(pattern: str, i: int, out: list[str], groups: list[_Group]) -> int:
    """Copy the group opening at i (a flag group rewritten); return where its body starts."""
    m = _FLAG_GROUP.match(pattern, i)
    if m is None:
        groups.append(_Group())
        out.append("(")
        return i + 1
    flags = _without_ungreedy(m.group(1))
    if m.group(2) == ":":
        groups.append(_Group())
        out.append(f"(?{flags}:")
    elif i == 0 and flags and "-" not in flags:
        out.append(f"(?{flags})")  # at the very start: a global flag in all three engines
    elif flags:
        groups[-1].scoped.append(flags)
        out.append(f"(?{flags}:")
    return m.end()


def _without_ungreedy(flags: str) -> str:
    on, _, off = flags.replace("U", "").partition("-")
    return f"{on}-{off}" if off else on


def _char_class(pattern: str, i: int, out: list[str]) -> int:
    """Copy the bracket class starting at i; return the index after its closing ']'."""
    j = i + 1
    j += pattern.startswith("^", j)
    j += pattern.startswith("]", j)  # a ']' first is a literal
    body = [pattern[i:j]]
    while j < len(pattern) and pattern[j] != "]":
        if pattern[j] == "\\":
            body.append(pattern[j : j + 2])
            j += 2
        elif pattern.startswith("[:", j) and (end := pattern.find(":]", j + 2)) != -1:
            body.append(_posix(pattern, pattern[j + 2 : end]))
            j = end + 2
        else:
            doubled = pattern[j - 1 : j + 1] in _DOUBLED or pattern[j : j + 2] in _DOUBLED
            body.append("\\" + pattern[j] if doubled or pattern[j] == "[" else pattern[j])
            j += 1
    if j >= len(pattern):
        raise UnsupportedPattern(pattern, "missing ']'")
    out.append("".join(body) + "]")
    return j + 1


def _posix(pattern: str, name: str) -> str:
    if name.startswith("^"):
        raise UnsupportedPattern(pattern, f"negated class [:{name}:] has no common spelling")
    if name not in _POSIX:
        raise UnsupportedPattern(pattern, f"unknown class [:{name}:]")
    return _POSIX[name]
