"""Which Applications a window applies to: Argo CD's globs over name, namespace and cluster."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Target:
    """Something that syncs: an Argo CD Application, a Flux object, or a whole environment."""

    name: str
    kind: str = "Application"
    namespace: str = ""
    cluster_name: str = ""
    cluster_server: str = ""
    project: str | None = None
    environments: tuple[str, ...] = ()
    path: str | None = None


def selects(
    target: Target,
    *,
    applications: Sequence[str],
    namespaces: Sequence[str],
    clusters: Sequence[str],
    and_operator: bool,
) -> bool:
    """Argo CD's `Matches`: any listed selector matching (all of them with `andOperator`)."""
    results = []
    if applications:
        results.append(any(glob_match(p, target.name) for p in applications))
    if namespaces:
        results.append(any(glob_match(p, target.namespace) for p in namespaces))
    if clusters:
        cluster = (target.cluster_name, target.cluster_server)
        results.append(any(glob_match(p, c) for p in clusters for c in cluster if c))
    if not results:
        return False
    return all(results) if and_operator else any(results)


def glob_match(pattern: str, value: str) -> bool:
    """gobwas/glob without separators: `*`, `?`, `[a-z]`, `[!a]`, `{a,b}`, `\\` escapes.

    A pattern that does not compile matches nothing, as in Argo CD.
    """
    if pattern == "*":
        return True
    regex = _compile(pattern)
    return regex is not None and regex.fullmatch(value) is not None


@lru_cache(maxsize=512)
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        text, rest = _translate(pattern, 0, in_braces=False)
    except ValueError:
        return None
    return re.compile(text, re.DOTALL) if rest == len(pattern) else None


def _translate(p: str, i: int, *, in_braces: bool) -> tuple[str, int]:  # noqa: C901 - a lexer
    out: list[str] = []
    while i < len(p):
        c = p[i]
        if in_braces and c in ",}":
            return "".join(out), i
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "\\":
            i += 1
            if i == len(p):
                raise ValueError("trailing backslash")
            out.append(re.escape(p[i]))
        elif c == "[":
            end = p.find("]", i + 2)
            if end < 0:
                raise ValueError("unclosed [")
            body = p[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end
        elif c == "{":
            alternatives = []
            while True:
                alt, i = _translate(p, i + 1, in_braces=True)
                alternatives.append(alt)
                if i >= len(p):
                    raise ValueError("unclosed {")
                if p[i] == "}":
                    break
            out.append("(?:" + "|".join(alternatives) + ")")
        else:
            out.append(re.escape(c))
        i += 1
    if in_braces:
        raise ValueError("unclosed {")
    return "".join(out), i
