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
from typing import Any

from gitops_gate.cachedir import ResultCache, cache_root
from gitops_gate.secrets.regexform import Form, form


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
