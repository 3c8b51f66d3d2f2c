"""Flux post-build substitution: `${var}` with bash-style operators, as kustomize-controller does.

Only the braced form is expanded (`$var` is left alone) and `$${var}` escapes to a literal
`${var}`. A variable with no value and no default is left as written and reported, which is
what kustomize-controller's strict mode (on by default) fails on.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

VAR_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_DEFAULTS = (":=", ":-", ":+", ":?", "=", "-", "+", "?")
# re's work on a replacement pattern: each star multiplies it by the value's length.
_MAX_STEPS = 20_000_000
_CASE = {"^^": str.upper, ",,": str.lower}


@dataclass(slots=True)
class Substitution:
    """The text after substitution and the variables that had no value."""

    text: str
    missing: list[str] = field(default_factory=list)


def substitute(text: str, variables: Mapping[str, str]) -> Substitution:
    out = Substitution("")
    out.text = _expand(text, variables, out.missing)
    return out


def _expand(text: str, variables: Mapping[str, str], missing: list[str]) -> str:
    parts: list[str] = []
    i = 0
    while True:
        j = text.find("${", i)
        if j < 0:
            parts.append(text[i:])
            return "".join(parts)
        if j > 0 and text[j - 1] == "$":  # `$${` is an escaped `${`
            parts.append(text[i : j - 1] + "${")
            i = j + 2
            continue
        end = _closing(text, j + 2)
        if end < 0:
            parts.append(text[i:])
            return "".join(parts)
        parts.append(text[i:j])
        value = _evaluate(text[j + 2 : end], variables, missing)
        parts.append(text[j : end + 1] if value is None else value)
        i = end + 1


def _closing(text: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _evaluate(expr: str, variables: Mapping[str, str], missing: list[str]) -> str | None:
    """The value of one `${expr}`, or None to leave it as written."""
    length = expr.startswith("#")
    body = expr[1:] if length else expr
    m = VAR_NAME.match(body)
    if m is None:
        return None
    name, op = m.group(0), body[m.end() :]
    value = variables.get(name)
    for d in _DEFAULTS:
        if op.startswith(d) and not length:
            return _default(d, value, _expand(op[len(d) :], variables, missing))
    if value is None:
        missing.append(name)
        return None
    if length:
        return str(len(value)) if not op else None
    return _operate(value, op)


def _default(op: str, value: str | None, word: str) -> str:
    unset = value is None or (op.startswith(":") and value == "")
    if op.endswith("+"):
        return "" if unset else word
    return word if unset else str(value)


def _operate(value: str, op: str) -> str | None:
    if not op:
        return value
    if op in _CASE:
        return _CASE[op](value)
    if op == "^":
        return value[:1].upper() + value[1:]
    if op == ",":
        return value[:1].lower() + value[1:]
    if op.startswith(":"):
        return _slice(value, op[1:])
    if op.startswith("/"):
        return _replace(value, op[1:])
    for marker, longest, front in (("##", True, True), ("#", False, True), ("%%", True, False)):
        if op.startswith(marker):
            return _trim(value, op[len(marker) :], longest=longest, front=front)
    if op.startswith("%"):
        return _trim(value, op[1:], longest=False, front=False)
    return None


def _slice(value: str, spec: str) -> str | None:
    pos, _, length = spec.partition(":")
    try:
        start = int(pos)
        return value[start : start + int(length)] if length else value[start:]
    except ValueError:
        return None


def _replace(value: str, spec: str) -> str:
    mode = spec[:1] if spec[:1] in "/#%" else ""
    pattern, _, repl = spec[len(mode) :].replace("\\/", "\0").partition("/")
    pattern, repl = pattern.replace("\0", "/"), repl.replace("\0", "/")
    pattern = re.sub(r"\*{2,}", "*", pattern)  # `**` is `*`, and each `.*` more backtracks
    stars = pattern.count("*")
    if stars and (len(value) + 1) ** (stars + 1) > _MAX_STEPS:
        return value  # Python's re would backtrack for ever (`*a*a*a*b`); left as written
    rx = _glob(pattern)
    if mode == "#":
        return re.sub("^" + rx, lambda _: repl, value, count=1)
    if mode == "%":
        return re.sub("(?:" + rx + ")$", lambda _: repl, value, count=1)
    return re.sub(rx, lambda _: repl, value, count=0 if mode == "/" else 1) if pattern else value


def _glob(pattern: str) -> str:
    """A bash pattern (`*`, `?`) as a regex; longest match, as bash replaces."""
    return "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)


def _trim(value: str, pattern: str, *, longest: bool, front: bool) -> str:
    sizes = range(len(value), -1, -1) if longest else range(len(value) + 1)
    for n in sizes:
        part = value[:n] if front else value[len(value) - n :]
        if fnmatch.fnmatchcase(part, pattern):
            return value[n:] if front else value[: len(value) - n]
    return value
