"""What a regex's parsed form shows: literals every match needs, and how it may be searched.

The screen (screen.py) reads this from each of detect-secrets' plugin patterns once: Python's
own parser behind re.compile gives the form, so nothing here re-reads pattern text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

try:  # the parser behind re.compile; without it every pattern is searched in every line
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python without it
    _sre_parse = None


@dataclass(frozen=True, slots=True)
class Form:
    """What a pattern's parsed form shows (see _needs, _searchable, _lowerable)."""

    needs: frozenset[str] | None = None
    searchable: bool = False
    lowerable: bool = False


def form(regex: re.Pattern[str]) -> Form:
    """What regex's parsed form shows; nothing when it cannot be parsed here."""
    if _sre_parse is None:
        return Form()
    try:
        parsed = _sre_parse.parse(regex.pattern, regex.flags)
    except Exception:  # any surprise from a private parser: search the pattern always
        return Form()
    caseless = bool(regex.flags & re.IGNORECASE)
    searchable = _searchable(parsed, bool(regex.flags & re.MULTILINE))
    return Form(_needs(parsed, caseless), searchable, caseless and _lowerable(parsed))


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _needs(items: Any, caseless: bool) -> frozenset[str] | None:
    """Strings one of which is in every text items match (lower case if case-blind), or None
    when their form does not show any.

    A sequence needs what its strongest part needs: a run of literals, or an item's needs,
    which are any one alternative's for an alternation, a group's or a repeat's (at least
    once), a small set of characters. Case-blind, only ASCII letters are taken: Unicode
    folding matches more than lower() shows (the Kelvin sign is a k), so other characters
    count as unknown.
    """
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        char = _literal(op, av, caseless)
        if char is not None:
            run.append(char)
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        found = _item_needs(op, av, caseless)
        if found is not None:
            options.append(found)
    if run:
        options.append(frozenset({"".join(run)}))
    if not options:
        return None
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))


def _literal(op: Any, av: Any, caseless: bool) -> str | None:
    if op is not _c.LITERAL:
        return None
    char = chr(av)
    if caseless:
        return char.lower() if char.isascii() else None
    return char


def _item_needs(op: Any, av: Any, caseless: bool) -> frozenset[str] | None:
    name = str(op)
    if op is _c.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        return None if add_flags or del_flags else _needs(inner, caseless)
    if name == "ATOMIC_GROUP":
        return _needs(av, caseless)
    if op is _c.BRANCH:
        each = [_needs(alternative, caseless) for alternative in av[1]]
        if any(found is None for found in each):
            return None
        return frozenset().union(*each)  # type: ignore[arg-type]
    if name in _REPEATS:
        low, _high, inner = av
        return _needs(inner, caseless) if low >= 1 else None
    if op is _c.IN:
        chars = [_literal(o, a, caseless) for o, a in av]
        if not chars or len(chars) > 8 or any(c is None for c in chars):
            return None
        return frozenset(c for c in chars if c is not None)
    return None


def _searchable(items: Any, multiline: bool) -> bool:
    """Whether a match in one of several lines is sure to be found in them joined by newlines.

    Word boundaries hold at a line's ends there as at a lone line's (a newline is no word
    character); `^` and `$` only in a MULTILINE pattern. What else could tell the two apart is
    a match that more text could stop: \\A and \\Z, atomic and possessive parts, a
    conditional, and a negative lookaround whose own pattern could match a newline (it now
    sees one where a lone line ends). Positive lookarounds only gain from more text, unless
    they capture (a lookaround is not matched again: what it took stays taken).
    """
    return all(_op_searchable(op, av, multiline) for op, av in items)


def _op_searchable(op: Any, av: Any, multiline: bool) -> bool:
    name = str(op)
    if op is _c.AT:
        return _anchor_searchable(av, multiline)
    if name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT", "GROUPREF_EXISTS"):
        return False
    if op is _c.ASSERT:
        # What a lookaround captures is not matched again: more text may change it.
        return _searchable(av[1], multiline) and not _captures(av[1])
    if op is _c.ASSERT_NOT:
        return _no_newline(av[1])
    if op is _c.SUBPATTERN and (av[1] or av[2]):
        return False  # flags of its own, (?-m:...): past telling here
    return all(_searchable(inner, multiline) for inner in _inner(op, av))


def _captures(items: Any) -> bool:
    for op, av in items:
        if op is _c.SUBPATTERN and av[0] is not None:
            return True
        if any(_captures(inner) for inner in _inner(op, av)):
            return True
    return False


def _anchor_searchable(at: Any, multiline: bool) -> bool:
    if at in (_c.AT_BEGINNING_STRING, _c.AT_END_STRING):
        return False
    return multiline or at not in (_c.AT_BEGINNING, _c.AT_END)


def _inner(op: Any, av: Any) -> list[Any]:
    """The sub-patterns of a group, an alternation or a repeat."""
    if op is _c.SUBPATTERN:
        return [av[3]]
    if op is _c.BRANCH:
        return list(av[1])
    if str(op) in _REPEATS:
        return [av[2]]
    return []


_NO_NEWLINE_CATEGORIES = {"CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_NOT_SPACE"}


def _no_newline(items: Any) -> bool:
    """Whether every character items match is other than a newline (and they match some)."""
    return all(_op_no_newline(op, av) for op, av in items)


def _op_no_newline(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:
        return bool(av != 10)
    if op is _c.IN:
        return all(_member_no_newline(o, a) for o, a in av)
    if op is _c.SUBPATTERN:
        return not av[1] and not av[2] and _no_newline(av[3])
    if op is _c.BRANCH:
        return all(_no_newline(alternative) for alternative in av[1])
    if str(op) in _REPEATS:
        return _no_newline(av[2])
    return False


def _member_no_newline(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:
        return bool(av != 10)
    if op is _c.RANGE:
        return not av[0] <= 10 <= av[1]
    if op is _c.CATEGORY:
        return str(av) in _NO_NEWLINE_CATEGORIES
    return False  # NEGATE and anything else


def _lowerable(items: Any) -> bool:
    """Whether, case-blind, the pattern matches ASCII text only where its case-sensitive twin
    matches that text lower-cased: its letters are lower case and match no other ASCII
    letter case-blind, its sets hold no ranges, and nothing else depends on case."""
    return all(_op_lowerable(op, av) for op, av in items)


def _op_lowerable(op: Any, av: Any) -> bool:
    if op is _c.LITERAL:
        return _lower_literal(av)
    if op is _c.NOT_LITERAL:
        return not chr(av).isalpha()
    if op is _c.IN:
        return all((o is _c.LITERAL and _lower_literal(a)) or o is _c.CATEGORY for o, a in av)
    if op in (_c.ANY, _c.AT):
        return True
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return _lowerable(av[1])
    if op is _c.SUBPATTERN and (av[1] or av[2]):
        return False
    if op in (_c.SUBPATTERN, _c.BRANCH) or str(op) in _REPEATS:
        return all(_lowerable(inner) for inner in _inner(op, av))
    return False


def _lower_literal(code: int) -> bool:
    """A character that, case-blind, matches in lower-cased ASCII text only itself."""
    char = chr(code)
    if char.isascii():
        return not char.isupper()
    twins = re.compile(re.escape(char), re.IGNORECASE)
    return not any(twins.fullmatch(chr(a)) for a in range(128))
