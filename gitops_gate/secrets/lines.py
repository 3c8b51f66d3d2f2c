"""detect-secrets' line scan, asking its regex plugins only about lines one of their regexes hits.

detect-secrets calls every plugin on every line through its dependency injection, ~10 us a
call: 27 plugins over microservices-demo's 9,191 lines took 2 s. 24 of them are regex
detectors that find nothing unless one of their `denylist` patterns matches the line, so one
search of all those patterns at once decides whether they need asking at all. Everything else
(the order of plugins, filters, transformers, the second pass with eager transformers) is
detect-secrets' own code, called as its `scan_file` calls it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


def scan_file(filename: str) -> Iterator[Any]:
    """detect_secrets.core.scan.scan_file, with the regex plugins screened per line."""
    from detect_secrets.core import scan

    if scan._is_filtered_out(required_filter_parameters=["filename"], filename=filename):
        return
    try:
        for lines in scan._get_lines_from_file(filename):
            found = list(scan_lines(list(enumerate(lines, start=1)), filename))
            yield from found
            if found:
                break
    except OSError:
        return


def scan_lines(lines: Sequence[tuple[int, str]], filename: str) -> Iterator[Any]:
    """detect_secrets.core.scan._process_line_based_plugins, with the regex plugins screened."""
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins
    from detect_secrets.util.code_snippet import get_code_snippet

    plugins = list(get_plugins())
    screen = _screen(plugins)
    content = [line[1] for line in lines]
    for number, raw in lines:
        line = raw.rstrip()
        snippet = get_code_snippet(lines=content, line_number=number)
        if scan._is_filtered_out(
            required_filter_parameters=["line"], filename=filename, line=line, context=snippet
        ):
            continue
        hit = screen.pattern is None or screen.pattern.search(line) is not None
        for plugin in plugins:
            if not hit and id(plugin) in screen.screened:
                continue
            for secret in scan._scan_line(
                plugin=plugin, filename=filename, line=line, line_number=number, context=snippet
            ):
                if not scan._is_filtered_out(
                    required_filter_parameters=["context"],
                    filename=secret.filename,
                    secret=secret.secret_value,
                    plugin=plugin,
                    line=line,
                    context=snippet,
                ):
                    yield secret


class _Screen:
    """One pattern matching wherever any screened plugin's denylist matches."""

    def __init__(self, pattern: re.Pattern[str] | None, screened: frozenset[int]) -> None:
        self.pattern = pattern
        self.screened = screened


def _screen(plugins: Sequence[Any]) -> _Screen:
    """Built per file: microseconds, and re.compile caches the joined pattern."""
    from detect_secrets.plugins.base import BasePlugin, RegexBasedDetector

    parts: list[str] = []
    screened: set[int] = set()
    for plugin in plugins:
        cls = type(plugin)
        # Only plugins that find through BasePlugin.analyze_line and their denylist's findall:
        # no denylist match in a line means nothing found in it.
        if not isinstance(plugin, RegexBasedDetector) or cls.analyze_line is not (
            BasePlugin.analyze_line
        ):
            continue
        own = [_scoped(p) for p in plugin.denylist]
        if any(p is None for p in own):
            continue
        parts += [p for p in own if p is not None]
        screened.add(id(plugin))
    if not parts:
        return _Screen(None, frozenset())
    try:
        return _Screen(re.compile("|".join(parts)), frozenset(screened))
    except re.error:  # a group name used twice, say: ask every plugin, as detect-secrets does
        return _Screen(None, frozenset())


def _scoped(pattern: Any) -> str | None:
    """pattern as a group of an alternation with its own flags; None if that could change it."""
    if not isinstance(pattern, re.Pattern) or not isinstance(pattern.pattern, str):
        return None
    text = pattern.pattern
    # Backreferences by number would point at other groups once joined; global inline flags
    # are refused anywhere but the start.
    if re.search(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)", text):
        return None
    known = re.UNICODE | sum(flag for flag, _ in _FLAGS)
    if pattern.flags & ~known:
        return None
    flags = "".join(letter for flag, letter in _FLAGS if pattern.flags & flag)
    return f"(?{flags}:{text})" if flags else f"(?:{text})"
