"""Rego the engines would misread: refused with the policy's file:line, never passed silently.

rego-cpp (the built-in engine) reads a Rego v0 partial set rule `deny[msg] { ... }` as an
object and drops its results, finds nothing for `==` with iteration on both sides, and has no
`rego.metadata`; conftest refuses `deny[msg] if { ... }`. Each is an error naming the construct
and the fix, before any evaluation, so no policy passes because an engine could not read it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from gitops_gate.errors import ConfigError
from gitops_gate.policy.source import PolicyFile

REGO_VERSIONS = ("v1", "v0")
INSTALL = "install conftest with `gitops-gate tools install` and run with --engine subprocess"
# A partial set head at the start of a line: `name[x] {` (v0) or `name[x] if {` (neither).
_SET_HEAD = re.compile(r"^([A-Za-z_]\w*)\[([^\]\n]+)\][ \t]*(if\b)?[ \t]*\{", re.MULTILINE)
# A v0 body without `if`: `p {` or `f(x) {` alone on its line (`x := {` has an operator).
_V0_BODY = re.compile(r"^([A-Za-z_][\w.]*)(\([^)\n]*\))?[ \t]*\{[ \t]*$", re.MULTILINE)
_METADATA = re.compile(r"\brego\.metadata\.(rule|chain)\s*\(")
# `a[_] == b[p].x`: an operand indexed by a variable on each side of ==.
_OPERAND = r"[A-Za-z_][\w.]*(?:\[[^\]\n]*\][\w.]*)+"
_BOTH_ITERATE = re.compile(rf"({_OPERAND})\s*==\s*({_OPERAND})")
_VAR_INDEX = re.compile(r"\[\s*([A-Za-z_]\w*)\s*\]")
# Built-ins that reach past the resource and the repo: the process environment (a CI job's
# tokens, shown in a finding's message), the network, and conftest's readers of any file.
_OUTSIDE = re.compile(
    r"\b(opa\.runtime|http\.send|net\.lookup_ip_addr|parse_config_file"
    r"|parse_combined_config_files)\s*\("
)
_INSIDE = "judge the input and data alone (no environment, network or other file)"
_KEYWORDS = {"default", "package", "import", "else", "not", "some", "every"}


def check_all(files: Iterable[PolicyFile], *, rego_version: str, builtin: bool) -> None:
    """Raise ConfigError for the first construct an engine would misread in any file."""
    for f in files:
        for line, what, hint in problems(f.text, rego_version=rego_version, builtin=builtin):
            raise ConfigError(f.path, line, what, hint=hint)


def problems(text: str, *, rego_version: str, builtin: bool) -> Iterator[tuple[int, str, str]]:
    """(line, what, fix) for each construct refused in a module's text."""
    code = _without_comments(text)
    for m in _SET_HEAD.finditer(code):
        head = f"{m.group(1)}[{m.group(2).strip()}]"
        if m.group(3):
            what = f"rule {head} uses `if` without `contains` (conftest refuses it too)"
            yield _line(code, m.start()), what, f"write `{m.group(1)} contains {m.group(2)} if`"
        elif rego_version == "v1":
            what = f"`{head} {{` is Rego v0 syntax, which Rego v1 does not parse"
            yield _line(code, m.start()), what, _V0_FIX.format(m.group(1), m.group(2))
    if rego_version == "v1":
        yield from _v0_bodies(code)
    for m in _OUTSIDE.finditer(code):
        what = f"{m.group(1)}() reads outside the repository; gitops-gate runs no such policy"
        yield _line(code, m.start()), what, _INSIDE
    if builtin:
        yield from _builtin_only(code)


_V0_FIX = "rewrite as `{0} contains {1} if {{`, or pass --rego-version v0 (policy.regoVersion)"


def _v0_bodies(code: str) -> Iterator[tuple[int, str, str]]:
    for m in _V0_BODY.finditer(code):
        if m.group(1) not in _KEYWORDS:
            what = f"rule {m.group(1)} has a body without `if` (Rego v0), which v1 does not parse"
            yield _line(code, m.start()), what, "add `if`, or pass --rego-version v0"


def _builtin_only(code: str) -> Iterator[tuple[int, str, str]]:
    for m in _METADATA.finditer(code):
        what = f"rego.metadata.{m.group(1)}() is not supported by the built-in engine"
        yield _line(code, m.start()), what, INSTALL
    for m in _BOTH_ITERATE.finditer(code):
        if _iterates(m.group(1)) and _iterates(m.group(2)):
            what = (
                f"`{m.group(0)}` iterates on both sides of ==, which the built-in engine "
                "(rego-cpp) evaluates wrongly"
            )
            fix = "bind one side first (`some x in xs; a[p].port == x`), or " + INSTALL
            yield _line(code, m.start()), what, fix


def _iterates(operand: str) -> bool:
    return bool(_VAR_INDEX.search(operand))


def rewrite_v0(text: str) -> str:
    """Rego v0 partial set heads as v1 (`deny[msg] {` -> `deny contains msg if {`), line for
    line, so rego-cpp (which reads the rest of v0) gives them set semantics."""
    return _SET_HEAD.sub(
        lambda m: m.group(0) if m.group(3) else f"{m.group(1)} contains {m.group(2)} if {{",
        text,
    )


def _without_comments(text: str) -> str:
    """The text with each comment blanked (same offsets): a `#` outside a string to line end."""
    return "\n".join(_strip(line) for line in text.split("\n"))


def _strip(line: str) -> str:
    quoted = False
    for n, ch in enumerate(line):
        if ch == '"' and (n == 0 or line[n - 1] != "\\"):
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:n] + " " * (len(line) - n)
    return line


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
