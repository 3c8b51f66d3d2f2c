"""gobwas/glob without separators, as Argo CD matches sync-window selectors, read token by token.

Its grammar is narrower than shell globs and Python's fnmatch, and the differences decide
which Applications a window covers:

- `[abc]` is a list and `[a-z]` a range, but one range only and nothing beside it: `[a-z0-9]`
  and `[a-cx]` do not compile. `-` after the first character of a list is a plain character.
- `[!p]` negates; `^` is a plain character, so `[^p]*` means "^ or p, then anything".
- `[!]`, `[]`, `[z-a]` and an unclosed `[` do not compile; a pattern that does not compile
  matches nothing (Argo CD's `glob.Match` returns false on the error).
- `{a,b}` nests; an unclosed `{` is closed by the end of the pattern. `}` and `,` outside
  braces, `]` outside a list and `!` outside a list are plain characters.
- `\\` escapes the next character; a trailing `\\` is dropped. `**` is `*` (no separators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

# Bounds for hostile patterns, far beyond any real selector: past them a pattern matches
# nothing (gobwas/glob has no such bound; Kubernetes names are at most 253 characters).
_MAX_LENGTH = 4096
_MAX_DEPTH = 64
_TEXT_BREAKERS = "*?[{"
_TERMS_BREAKERS = "*?[{},"

# One character test: ("lit", c) | ("any",) | ("set", chars, negate) | ("range", lo, hi, negate)
Test = tuple[str, ...]
# A pattern: a sequence of items; an item is a Test, "*" for any run, or a list of branches.
Item = Test | str | list["Seq"]
Seq = list[Item]


class GlobError(ValueError):
    """A pattern gobwas/glob refuses to compile."""


def glob_match(pattern: str, value: str) -> bool:
    """True when gobwas/glob would match value; False for a pattern it cannot compile."""
    matcher = compile_glob(pattern)
    return matcher is not None and matcher.matches(value)


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> _Nfa | None:
    """The pattern as an automaton, or None when gobwas/glob would refuse it.

    An automaton, not a regular expression: `*a*a*a*b` against a long name would make
    Python's backtracking `re` run for hours; this runs in time linear in the name.
    """
    try:
        return _Nfa(_Lexer(pattern).parse())
    except GlobError:
        return None


@dataclass
class _Nfa:
    """Thompson's construction over the parsed pattern, simulated a character at a time."""

    seq: Seq
    eps: list[list[int]] = field(default_factory=list)
    steps: list[list[tuple[Test, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.start = self._state()
        self.end = self._build(self.seq, self.start)

    def matches(self, value: str) -> bool:
        current = self._closure({self.start})
        for ch in value:
            moved = {to for s in current for test, to in self.steps[s] if _passes(test, ch)}
            if not moved:
                return False
            current = self._closure(moved)
        return self.end in current

    def _state(self) -> int:
        self.eps.append([])
        self.steps.append([])
        return len(self.eps) - 1

    def _build(self, seq: Seq, cur: int) -> int:
        for item in seq:
            nxt = self._state()
            if isinstance(item, list):  # {a,b}: each branch from cur to nxt
                for branch in item:
                    first = self._state()
                    self.eps[cur].append(first)
                    self.eps[self._build(branch, first)].append(nxt)
            elif isinstance(item, tuple):
                self.steps[cur].append((item, nxt))
            else:  # `*`: a loop on any character, left without consuming one
                self.steps[cur].append((("any",), cur))
                self.eps[cur].append(nxt)
            cur = nxt
        return cur

    def _closure(self, states: set[int]) -> set[int]:
        todo, seen = list(states), set(states)
        while todo:
            for nxt in self.eps[todo.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


def _passes(test: Test, ch: str) -> bool:
    kind = test[0]
    if kind == "any":
        return True
    if kind == "lit":
        return ch == test[1]
    inside = ch in test[1] if kind == "set" else test[1] <= ch <= test[2]
    return inside != (test[-1] == "!")


class _Lexer:
    """gobwas/glob's lexer and parser folded into one pass that builds the item sequence."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def parse(self) -> Seq:
        """The whole pattern; an unclosed `{` ends with it, as in gobwas/glob."""
        if len(self.p) > _MAX_LENGTH:
            raise GlobError(f"pattern longer than {_MAX_LENGTH} characters")
        return self._sequence(depth=0)[0]

    def _sequence(self, depth: int) -> tuple[Seq, str]:
        """Items up to the end, or (inside braces) a `,` or `}`, which is returned."""
        seq: Seq = []
        while self.i < len(self.p):
            c = self.p[self.i]
            self.i += 1
            if depth and c in ",}":
                return seq, c
            if c == "{":
                seq.append(self._branches(depth + 1))
            elif c == "[":
                seq.append(self._range())
            elif c == "?":
                seq.append(("any",))
            elif c == "*":
                if not seq or seq[-1] != "*":  # `**` is `*` without separators
                    seq.append("*")
            else:
                self.i -= 1
                text = self._text(_TERMS_BREAKERS if depth else _TEXT_BREAKERS)
                seq += [("lit", ch) for ch in text]
        return seq, ""

    def _branches(self, depth: int) -> list[Seq]:
        if depth > _MAX_DEPTH:
            raise GlobError(f"braces nested deeper than {_MAX_DEPTH}")
        branches = []
        while True:
            seq, stop = self._sequence(depth)
            branches.append(seq)
            if stop != ",":
                return branches

    def _text(self, breakers: str) -> str:
        """Characters up to the next breaker, `\\` escaping one; a trailing `\\` is dropped."""
        data: list[str] = []
        while self.i < len(self.p):
            c = self.p[self.i]
            if c == "\\":
                if self.i + 1 < len(self.p):
                    data.append(self.p[self.i + 1])
                self.i += 2
                continue
            if c in breakers:
                break
            data.append(c)
            self.i += 1
        return "".join(data)

    def _range(self) -> Test:
        """After `[`: `!`? then `lo-hi` or a list, then `]`."""
        negate = "!" if self._at(self.i) == "!" else ""
        self.i += bool(negate)
        test: Test
        if self.i + 1 < len(self.p) and self.p[self.i + 1] == "-":
            lo, hi = self.p[self.i], self._at(self.i + 2)
            self.i += 3
            if hi < lo:
                raise GlobError(f"range {lo}-{hi} runs backwards")
            test = ("range", lo, hi, negate)
        else:
            chars = self._text("]")
            if not chars:
                raise GlobError("empty list")
            test = ("set", chars, negate)
        if self._at(self.i) != "]":
            raise GlobError("expected ]")
        self.i += 1
        return test

    def _at(self, index: int) -> str:
        if index >= len(self.p):
            raise GlobError("unexpected end of pattern")
        return self.p[index]
