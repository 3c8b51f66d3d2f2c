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

import re
from functools import lru_cache

_TEXT_BREAKERS = "*?[{"
_TERMS_BREAKERS = "*?[{},"


class GlobError(ValueError):
    """A pattern gobwas/glob refuses to compile."""


def glob_match(pattern: str, value: str) -> bool:
    """True when gobwas/glob would match value; False for a pattern it cannot compile."""
    regex = compile_glob(pattern)
    return regex is not None and regex.fullmatch(value) is not None


@lru_cache(maxsize=512)
def compile_glob(pattern: str) -> re.Pattern[str] | None:
    """The pattern as a regular expression, or None when gobwas/glob would refuse it."""
    try:
        return re.compile(_Lexer(pattern).translate(), re.DOTALL)
    except GlobError:
        return None


class _Lexer:
    """gobwas/glob's lexer and parser folded into one pass that writes a regex."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.depth = 0  # open `{` levels

    def translate(self) -> str:
        out: list[str] = []
        while self.i < len(self.p):
            out.append(self._item())
        return "".join(out) + ")" * self.depth

    def _item(self) -> str:
        c = self.p[self.i]
        self.i += 1
        if c == "{":
            self.depth += 1
            return "(?:"
        if c == "," and self.depth:
            return "|"
        if c == "}" and self.depth:
            self.depth -= 1
            return ")"
        if c == "[":
            return self._range()
        if c == "?":
            return "."
        if c == "*":
            return ".*"
        self.i -= 1
        return re.escape(self._text(_TERMS_BREAKERS if self.depth else _TEXT_BREAKERS))

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

    def _range(self) -> str:
        """After `[`: `!`? then `lo-hi` or a list, then `]`."""
        negate = self._peek() == "!"
        self.i += negate
        if self.i + 1 < len(self.p) and self.p[self.i + 1] == "-":
            lo, hi = self.p[self.i], self._at(self.i + 2)
            self.i += 3
            if hi < lo:
                raise GlobError(f"range {lo}-{hi} runs backwards")
            body = re.escape(lo) + "-" + re.escape(hi)
        else:
            chars = self._text("]")
            if not chars:
                raise GlobError("empty list")
            body = "".join(re.escape(c) for c in chars)
        if self._at(self.i) != "]":
            raise GlobError("expected ]")
        self.i += 1
        return "[" + ("^" if negate else "") + body + "]"

    def _peek(self) -> str:
        return self._at(self.i)

    def _at(self, index: int) -> str:
        if index >= len(self.p):
            raise GlobError("unexpected end of pattern")
        return self.p[index]
