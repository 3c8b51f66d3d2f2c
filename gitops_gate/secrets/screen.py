"""Which of detect-secrets' plugins need asking about a line: those whose own patterns hit it.

detect-secrets calls every plugin on every line through its dependency injection, ~10 us a
call. Each screened plugin finds nothing on a line none of its own patterns matches (the regex
detectors' denylists, the high-entropy ones' quoted-string regex bounded by the shortest
string that can pass their limit, the keyword detector's words), so a line is put to the
plugins whose patterns hit it, and to the unscreened ones.

Searching 50 patterns in every line was itself most of a scan. Nearly every pattern needs one
of a few literals (`BEGIN`, `xox`, a quote, a word of the keyword detector's), read from its
parsed form: a pattern none of whose literals is in a file's text matches no line of it and is
left out for that file, a single `in` test instead of a search per line. The others are
searched once over the file's lines joined by newlines, where its form shows that finds
every line a search line by line would.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
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


class _Pattern:
    """A plugin's pattern, with what its form shows and its variants for joined lines.

    The variants are compiled when first searched: most patterns' literals are in no file.
    """

    def __init__(self, regex: re.Pattern[str], form: Form) -> None:
        self.regex = regex
        # Any match needs one of these in the searched text (lower-cased for a case-blind
        # pattern); None when that cannot be told, and the pattern is always searched.
        self.needs = form.needs
        self.caseless = bool(regex.flags & re.IGNORECASE)
        self._form = form
        self._twin: re.Pattern[str] | None = None

    def may_match(self, text: str, lowered: str | None) -> bool:
        if self.needs is None:
            return True
        if self.caseless:
            if lowered is None:  # non-ASCII text: case-blind matching goes beyond lower()
                return True
            text = lowered
        return any(literal in text for literal in self.needs)

    def joined(self, lowered: bool) -> tuple[re.Pattern[str], bool] | None:
        """The pattern to search lines joined by newlines with, when a match in a line is
        sure to show there, and whether to search them lower-cased: given that they are
        ASCII (lowered), a case-blind pattern's case-sensitive twin, when that is sure to
        match wherever the pattern does. Only a twin is compiled here."""
        if not self._form.searchable:
            return None
        if not (lowered and self.caseless and self._form.lowerable):
            return self.regex, False
        if self._twin is None:
            self._twin = re.compile(self.regex.pattern, self.regex.flags & ~re.IGNORECASE)
        return self._twin, True


class Screen:
    """The plugins in detect-secrets' order, each with its patterns or None (always asked)."""

    def __init__(self, plugins: Sequence[Any], patterns: Sequence[tuple[_Pattern, ...] | None]):
        self.plugins = list(plugins)
        self.patterns = list(patterns)

    def for_lines(self, lines: Sequence[str]) -> Active:
        """Which plugins to ask about each of lines (as they will be asked: stripped).

        The lines are searched joined by newlines, each pattern once: a match marks every
        line it touches. Patterns that cannot be searched that way are searched line by line.
        """
        if not lines:
            return Active(self.plugins, [], 0)
        text = "\n".join(lines)
        lowered = text.lower() if text.isascii() else None
        starts = list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        marks = [0] * len(lines)
        always = 0
        for n, own in enumerate(self.patterns):
            bit = 1 << n
            if own is None:
                always |= bit
                continue
            for pattern in own:
                if pattern.may_match(text, lowered):
                    _mark(pattern, lines, text, lowered, starts, marks, bit)
        return Active(self.plugins, marks, always)


def _mark(
    pattern: _Pattern,
    lines: Sequence[str],
    text: str,
    lowered: str | None,
    starts: list[int],
    marks: list[int],
    bit: int,
) -> None:
    joined = pattern.joined(lowered is not None)
    if joined is None:
        for n in _holding(pattern, lines, text, lowered, starts):
            if pattern.regex.search(lines[n]) is not None:
                marks[n] |= bit
        return
    regex, twin = joined
    for match in regex.finditer(lowered if twin and lowered is not None else text):
        first = bisect.bisect_right(starts, match.start()) - 1
        last = bisect.bisect_right(starts, max(match.start(), match.end() - 1)) - 1
        for n in range(first, last + 1):
            marks[n] |= bit


def _holding(
    pattern: _Pattern, lines: Sequence[str], text: str, lowered: str | None, starts: list[int]
) -> Iterable[int]:
    """The lines that hold one of the literals pattern needs (all, if that cannot be told)."""
    haystack = lowered if pattern.caseless else text
    if pattern.needs is None or haystack is None:
        return range(len(lines))
    found: set[int] = set()
    for literal in pattern.needs:
        at = haystack.find(literal)
        while at != -1:
            n = bisect.bisect_right(starts, at) - 1
            found.add(n)
            at = haystack.find(literal, starts[n + 1]) if n + 1 < len(starts) else -1
    return sorted(found)


class Active:
    """A screen applied to some lines: the plugins to ask about each."""

    def __init__(self, plugins: list[Any], marks: list[int], always: int) -> None:
        self._plugins = plugins
        self._marks = marks
        self._always = always
        self._asked: dict[int, list[Any]] = {0: []}

    def plugins(self, index: int) -> list[Any]:
        """The plugins to ask about line index, in detect-secrets' order."""
        mask = self._marks[index] | self._always
        asked = self._asked.get(mask)
        if asked is None:
            asked = self._asked[mask] = [p for n, p in enumerate(self._plugins) if mask >> n & 1]
        return asked


# By the plugins' ids; the entry holds the plugins, so no id is reused while it is cached.
_SCREENS: dict[tuple[int, ...], tuple[list[Any], Screen]] = {}


def screen(plugins: list[Any]) -> Screen:
    key = tuple(id(p) for p in plugins)
    cached = _SCREENS.get(key)
    if cached is None:
        if len(_SCREENS) > 8:  # settings changed that often: keep the newest only
            _SCREENS.clear()
        own = [_patterns(plugin) for plugin in plugins]
        forms = _forms([r for regexes in own for r in regexes or ()])
        built = Screen(
            plugins,
            [
                None if regexes is None else tuple(_Pattern(r, forms[_key(r)]) for r in regexes)
                for regexes in own
            ],
        )
        cached = _SCREENS[key] = (plugins, built)
    return cached[1]


def _key(regex: re.Pattern[str]) -> str:
    return f"{regex.flags}:{regex.pattern}"


# Parsing the plugins' ~50 patterns takes 15 ms, more than a small repo's whole scan: their
# forms are kept in the cache by pattern, so each detect-secrets release parses them once.
_FORMS: dict[str, Form] = {}
_CACHE_VERSION = 3


def _forms(regexes: list[re.Pattern[str]]) -> dict[str, Form]:
    missing = [r for r in regexes if _key(r) not in _FORMS]
    if missing:
        from gitops_gate.cachedir import ResultCache, cache_root

        python = f"py{sys.version_info.major}.{sys.version_info.minor}"
        stored = ResultCache(f"screen-{_CACHE_VERSION}-{python}", root=cache_root() / "secrets")
        for regex in missing:
            known = _stored_form(stored.entries.get(_key(regex)))
            if known is None:
                known = form(regex)
                stored.put(_key(regex), _entry(known))
            _FORMS[_key(regex)] = known
        stored.save()
    return {_key(r): _FORMS[_key(r)] for r in regexes}


def _entry(known: Form) -> dict[str, Any]:
    needs = None if known.needs is None else sorted(known.needs)
    return {"needs": needs, "searchable": known.searchable, "lowerable": known.lowerable}


def _stored_form(entry: Any) -> Form | None:
    if not isinstance(entry, dict):
        return None
    needs, searchable, lowerable = (entry.get(k) for k in ("needs", "searchable", "lowerable"))
    if not (isinstance(searchable, bool) and isinstance(lowerable, bool)):
        return None
    if needs is None:
        return Form(None, searchable, lowerable)
    if isinstance(needs, list) and needs and all(isinstance(x, str) and x for x in needs):
        return Form(frozenset(needs), searchable, lowerable)
    return None


def _patterns(plugin: Any) -> list[re.Pattern[str]] | None:
    """Patterns without a match in a line of which plugin finds nothing there, or None."""
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin

    cls = type(plugin)
    own: list[Any]
    if isinstance(plugin, RegexBasedDetector) and cls.analyze_line is BasePlugin.analyze_line:
        # BasePlugin.analyze_line yields what analyze_string finds: its denylist's findall.
        own = list(plugin.denylist)
    elif (
        isinstance(plugin, HighEntropyStringsPlugin)
        and cls.analyze_line is HighEntropyStringsPlugin.analyze_line
        and cls.analyze_string is HighEntropyStringsPlugin.analyze_string
    ):
        # A scan never asks for the eager search: only quoted strings its regex finds count.
        own = [_long_enough(plugin)]
    else:
        found = _keyword_patterns(plugin)
        if found is None:
            return None
        own = found
    if not all(isinstance(r, re.Pattern) and isinstance(r.pattern, str) for r in own):
        return None
    return own


def _long_enough(plugin: Any) -> Any:
    """The plugin's quoted-string regex, for strings long enough to pass its entropy limit.

    Entropy over n characters is at most log2(n), so a string shorter than 2**limit never
    passes (the boundary itself is kept: floating point may round log2 up). Its regex as
    it is when it is not the one this expects.
    """
    charset = getattr(plugin, "charset", None)
    limit = getattr(plugin, "entropy_limit", None)
    regex = plugin.regex
    if not isinstance(charset, str) or not isinstance(limit, int | float):
        return regex
    # Its own text, as detect-secrets writes it: ([\'"])([<charset>]+)(\1)
    quoted = "([\\'\"])([" + re.escape(charset) + "]{})(\\1)"
    if getattr(regex, "pattern", None) != quoted.format("+"):
        return regex
    return re.compile(quoted.format(f"{{{max(1, math.floor(2**limit))},}}"))


def _keyword_patterns(plugin: Any) -> list[re.Pattern[str]] | None:
    """The keyword detector's words, when every regex it may use needs one of them.

    Its regexes (one set per file type) all contain its DENYLIST_REGEX group, so a line with
    none of the words, in any case, matches none of them. If that stops being true in some
    release, the detector is asked about every line again.
    """
    from detect_secrets.plugins import keyword

    required = getattr(keyword, "DENYLIST_REGEX", None)
    words = getattr(keyword, "DENYLIST", None)
    if type(plugin) is not keyword.KeywordDetector or not isinstance(required, str):
        return None
    if not isinstance(words, tuple) or not all(isinstance(w, str) for w in words):
        return None
    constants = [v for k, v in vars(keyword).items() if k.isupper()]
    regexes = [r for value in constants for r in _regexes(value)]
    if not regexes or not all(required in r.pattern for r in regexes):
        return None
    return [re.compile("|".join(words), re.IGNORECASE)]


def _regexes(value: Any) -> Iterator[re.Pattern[str]]:
    """Every compiled pattern in a constant: itself, or inside a (nested) dict."""
    if isinstance(value, re.Pattern):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _regexes(key)
            yield from _regexes(inner)


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
