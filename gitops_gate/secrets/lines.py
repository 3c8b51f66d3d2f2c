"""detect-secrets' line scan, asking its plugins only about lines one of their patterns hits.

detect-secrets calls every plugin on every line through its dependency injection, ~10 us a
call: 27 plugins over microservices-demo's 9,191 lines took 2 s. Each of them finds nothing on
a line none of its own patterns matches (the regex detectors' denylists, the high-entropy
ones' quoted-string regex, the keyword detector's words), so searching those decides whether
it needs asking at all; its line filters are asked only once a plugin found something. Its
pure-Python YAML reader is skipped where its answer is known (a stream of documents) or
would cost minutes (aliases, large files). The rest (the order of plugins, filters, other
transformers) is detect-secrets' own code, called as its `scan_file` calls it; a test
compares the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from gitops_gate.manifests.yamlsafe import ANCHOR, event_parser

# detect-secrets' YAML transformer walks the document with every alias expanded: nine nested
# aliases of nine items cost it minutes. A YAML file with anchors and aliases is read as lines.
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s\[\]{},]+", re.MULTILINE)
# So is a large one: its pure-Python reader takes about 10 s a MB, and keys made to share one
# hash (multiples of 2**61-1) make it quadratic. Above this size the lines are scanned as they
# are, which loses what that reader adds: quotes around unquoted high-entropy values, and
# block scalars (key: |) read as one value.
_YAML_READER_MAX = 256 * 1024


def scan_file(filename: str) -> Iterator[Any]:
    """detect_secrets.core.scan.scan_file, with the regex plugins screened per line and no YAML
    transformer for a file it would choke on (see _line_sets)."""
    from detect_secrets.core import scan

    if scan._is_filtered_out(required_filter_parameters=["filename"], filename=filename):
        return
    try:
        for lines in _line_sets(filename):
            found = list(scan_lines(list(enumerate(lines, start=1)), filename))
            yield from found
            if found:
                break
    except OSError:
        return


def _line_sets(filename: str) -> Iterator[list[str]]:
    """What scan_file reads: detect-secrets' transformed lines, or the raw ones of YAML its
    reader would choke on (aliases it expands, a large file)."""
    from detect_secrets.core import scan
    from detect_secrets.util.filetype import FileType, determine_file_type

    # YAML as detect-secrets decides it (by extension, case and all): its YAML transformer
    # runs on those files only; others get its eager pass, which we must not skip.
    if determine_file_type(filename) is FileType.YAML:
        text = Path(filename).read_text(encoding="utf-8", errors="replace")
        if len(text) > _YAML_READER_MAX or (ANCHOR.search(text) and _ALIAS.search(text)):
            # read_text made every \r and \r\n a \n; splitlines() would also break at \f, U+2028
            # and more, where detect-secrets' readlines() does not, and shift line numbers.
            yield text.split("\n")
            return
        if _stream(text):
            yield from _without_yaml_transformer(filename)
            return
    yield from scan._get_lines_from_file(filename)


def _stream(text: str) -> bool:
    """Whether libyaml reads a first document in text and then the start of another.

    That is when detect-secrets' single-document YAML reader gives up. Reading events stops at
    the second document, so a long stream costs about its first document.
    """
    import yaml

    parser = event_parser(text)
    starts = 0
    try:
        while parser.check_event():
            if isinstance(parser.get_event(), yaml.DocumentStartEvent):
                starts += 1
                if starts == 2:
                    return True
    except yaml.YAMLError:
        return False
    finally:
        parser.dispose()
    return False


def _without_yaml_transformer(filename: str) -> Iterator[list[str]]:
    """detect_secrets.core.scan._get_lines_from_file for a YAML stream of several documents.

    Its YAML transformer reads one document only: on a stream it parses the first in pure
    Python, then gives up and the raw lines are scanned (microservices-demo: 0.5 s of a 1.3 s
    scan). We skip that transformer, whose answer we know, and keep the rest as it is.
    """
    from detect_secrets.transformers import get_transformers
    from detect_secrets.transformers.exceptions import ParsingError
    from detect_secrets.transformers.yaml import YAMLTransformer

    with open(filename) as f:  # noqa: PTH123 - detect-secrets' transformers take a named file
        try:
            lines: list[str] | None = None
            transformer: Any
            for transformer in get_transformers():
                if isinstance(transformer, YAMLTransformer) or transformer.is_eager:
                    continue
                if not transformer.should_parse_file(filename):
                    continue
                try:
                    lines = transformer.parse_file(f)
                    break
                except ParsingError:
                    pass
                finally:
                    f.seek(0)
            yield lines or f.readlines()
        except UnicodeDecodeError:
            return
        # detect-secrets' second, eager pass is for files of no known type: never YAML.


def scan_lines(lines: Sequence[tuple[int, str]], filename: str) -> Iterator[Any]:
    """detect_secrets.core.scan._process_line_based_plugins, with the regex plugins screened.

    Its line filters are asked only about a line on which a plugin found something: they
    drop every secret of a line or none, and plugins have no side effects, so asking later
    changes nothing but the cost (they were 9,300 calls on microservices-demo).
    """
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins
    from detect_secrets.util.code_snippet import get_code_snippet

    plugins = list(get_plugins())
    screen = _screen(plugins)
    unscreened = [p for p in plugins if id(p) not in screen.screened]
    content = [line[1] for line in lines]
    for number, raw in lines:
        line = raw.rstrip()
        asked = plugins if screen.hit(line) else unscreened
        if not asked:
            continue
        snippet = get_code_snippet(lines=content, line_number=number)
        filtered: bool | None = None
        for plugin in asked:
            for secret in scan._scan_line(
                plugin=plugin, filename=filename, line=line, line_number=number, context=snippet
            ):
                if filtered is None:
                    filtered = scan._is_filtered_out(
                        required_filter_parameters=["line"],
                        filename=filename,
                        line=line,
                        context=snippet,
                    )
                if filtered:
                    break
                if not scan._is_filtered_out(
                    required_filter_parameters=["context"],
                    filename=secret.filename,
                    secret=secret.secret_value,
                    plugin=plugin,
                    line=line,
                    context=snippet,
                ):
                    yield secret
            if filtered:
                break


class _Screen:
    """The screened plugins' own patterns: a line none of them hits needs none of them."""

    def __init__(self, patterns: tuple[re.Pattern[str], ...], screened: frozenset[int]) -> None:
        self.patterns = patterns
        self.screened = screened

    def hit(self, line: str) -> bool:
        # One by one, line by line: joined into one alternation they searched 2x slower
        # (literal prefixes lost); searched once over a file's whole text, 1.7x slower (the
        # lookbehind-led ones try every position of the text instead of each line's start).
        return any(p.search(line) is not None for p in self.patterns)


# By the plugins' ids; the entry holds the plugins, so no id is reused while it is cached.
_SCREENS: dict[tuple[int, ...], tuple[list[Any], _Screen]] = {}


def _screen(plugins: list[Any]) -> _Screen:
    key = tuple(id(p) for p in plugins)
    cached = _SCREENS.get(key)
    if cached is None:
        if len(_SCREENS) > 8:  # settings changed that often: keep the newest only
            _SCREENS.clear()
        cached = _SCREENS[key] = (plugins, _build_screen(plugins))
    return cached[1]


def _build_screen(plugins: Sequence[Any]) -> _Screen:
    patterns: list[re.Pattern[str]] = []
    screened: set[int] = set()
    for plugin in plugins:
        own = _patterns(plugin)
        if own is not None:
            patterns += own
            screened.add(id(plugin))
    return _Screen(tuple(patterns), frozenset(screened))


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
        own = [plugin.regex]
    else:
        found = _keyword_patterns(plugin)
        if found is None:
            return None
        own = found
    if not all(isinstance(r, re.Pattern) and isinstance(r.pattern, str) for r in own):
        return None
    return own


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
