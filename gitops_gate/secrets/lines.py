"""detect-secrets' line scan, asking its plugins only about lines one of their patterns hits.

detect-secrets calls every plugin on every line through its dependency injection, ~10 us a
call: 27 plugins over microservices-demo's 9,191 lines took 2 s. The screen (screen.py) puts
a line only to the plugins whose own patterns match it; line filters are asked only once a
plugin found something. Its pure-Python YAML reader is skipped where its answer is known (a
stream of documents), where nothing it could give a plugin holds a secret (yamlpass.py), or
where it would cost minutes (aliases, large files). The rest (the order of plugins, filters,
other transformers) is detect-secrets' own code, called as its `scan_file` calls it; tests
compare the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from gitops_gate.manifests.yamlsafe import ANCHOR
from gitops_gate.secrets.screen import screen
from gitops_gate.secrets.yamlpass import expanded_nodes, finds_nothing, shape

# detect-secrets' YAML transformer walks the document with every alias expanded: nine nested
# aliases of nine items cost it minutes. A YAML file whose aliases expand it past this many
# nodes is read as lines; ordinary ones (a name given once, used a few times) are not.
_ALIAS = re.compile(r"(?:^|[\s\[{,:])\*[^\s\[\]{},]+", re.MULTILINE)
_MAX_EXPANDED_NODES = 100_000
# So is a large one: its pure-Python reader takes about 10 s a MB, and keys made to share one
# hash (multiples of 2**61-1) make it quadratic. Above this size the lines are scanned as they
# are, which loses what that reader adds: quotes around unquoted high-entropy values, and
# block scalars (key: |) read as one value.
_YAML_READER_MAX = 256 * 1024


def scan_file(
    filename: str, unreported: Callable[[str], frozenset[str]] | None = None
) -> Iterator[Any]:
    """detect_secrets.core.scan.scan_file, with the regex plugins screened per line and no YAML
    transformer where its answer is known or would cost too much (see _line_sets).

    unreported(text) names the secret types the caller drops anyway from a file with that
    text: work whose only outcome could be those types may be skipped, so only what is left
    once they are dropped is sure to be what detect-secrets finds.
    """
    from detect_secrets.core import scan

    if scan._is_filtered_out(required_filter_parameters=["filename"], filename=filename):
        return
    try:
        for lines in _line_sets(filename, unreported):
            found = list(scan_lines(list(enumerate(lines, start=1)), filename))
            yield from found
            if found:
                break
    except OSError:
        return


def _line_sets(
    filename: str, unreported: Callable[[str], frozenset[str]] | None
) -> Iterator[list[str]]:
    """What scan_file reads: detect-secrets' lines, with its YAML transformer run only where
    its answer is neither known nor too costly (see _yaml_lines)."""
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins
    from detect_secrets.util.filetype import FileType, determine_file_type

    # YAML as detect-secrets decides it (by extension, case and all): its YAML transformer
    # runs on those files only; others get its eager pass, which we must not skip.
    if determine_file_type(filename) is FileType.YAML:
        try:
            text = Path(filename).read_text(encoding="utf-8")
        except UnicodeDecodeError:  # detect-secrets passes over a file it cannot decode
            return
        if len(text) > _YAML_READER_MAX or _expands_far(text):
            # read_text made every \r and \r\n a \n; splitlines() would also break at \f, U+2028
            # and more, where detect-secrets' readlines() does not, and shift line numbers.
            yield text.split("\n")
            return
        found = shape(text)
        if found.stream:
            yield from _yaml_lines(filename, "gives up")
            return
        if found.candidates is not None:
            # A YAML file has no eager pass: what its first one finds is all it finds.
            dropped = unreported(text) if unreported is not None else frozenset()
            plugins = [p for p in get_plugins() if getattr(p, "secret_type", None) not in dropped]
            if finds_nothing([*found.candidates, *text.split("\n")], filename, plugins):
                yield from _yaml_lines(filename, "clean")
                return
        yield from _yaml_lines(filename, "run")
        return
    yield from scan._get_lines_from_file(filename)


def _expands_far(text: str) -> bool:
    """Whether text's aliases, expanded, make more nodes than the YAML reader can walk soon."""
    if not (ANCHOR.search(text) and _ALIAS.search(text)):
        return False
    return expanded_nodes(text, _MAX_EXPANDED_NODES) > _MAX_EXPANDED_NODES


def _yaml_lines(
    filename: str, transformer_is: Literal["gives up", "clean", "run"]
) -> Iterator[list[str]]:
    """detect_secrets.core.scan._get_lines_from_file for a YAML file, its own transformer
    run or not as transformer_is says.

    "gives up": on a stream of several documents it parses the first in pure Python, then
    gives up and the raw lines are scanned (microservices-demo: 0.5 s of a 1.3 s scan).
    "clean": yamlpass showed that neither its lines nor the raw ones hold anything a plugin
    finds, so no line it would give matters. "run": it runs, and where it fails in a way
    detect-secrets does not catch (a key named like its own markers, an impossible date,
    nesting deeper than Python's stack) the raw lines are scanned, as when it fails to
    parse. The other transformers run as they do, in their order; there is no eager pass
    for YAML.
    """
    from detect_secrets.transformers import get_transformers
    from detect_secrets.transformers.exceptions import ParsingError
    from detect_secrets.transformers.yaml import YAMLTransformer

    with open(filename) as f:  # noqa: PTH123 - detect-secrets' transformers take a named file
        try:
            lines: list[str] | None = None
            transformer: Any
            for transformer in get_transformers():
                if transformer.is_eager or not transformer.should_parse_file(filename):
                    continue
                if isinstance(transformer, YAMLTransformer) and transformer_is != "run":
                    continue
                try:
                    lines = transformer.parse_file(f)
                    break
                except ParsingError:
                    pass
                except Exception:  # see above: read as lines
                    if not isinstance(transformer, YAMLTransformer):
                        raise
                finally:
                    f.seek(0)
            yield lines or ([] if transformer_is == "clean" else f.readlines())
        except UnicodeDecodeError:
            return


def scan_lines(lines: Sequence[tuple[int, str]], filename: str) -> Iterator[Any]:
    """detect_secrets.core.scan._process_line_based_plugins, with the regex plugins screened.

    Its line filters are asked only about a line on which a plugin found something: they
    drop every secret of a line or none, and plugins have no side effects, so asking later
    changes nothing but the cost (they were 9,300 calls on microservices-demo).
    """
    from detect_secrets.core import scan
    from detect_secrets.settings import get_plugins
    from detect_secrets.util.code_snippet import get_code_snippet

    content = [line[1] for line in lines]
    stripped = [raw.rstrip() for raw in content]
    active = screen(list(get_plugins())).for_lines(stripped)
    for index, (number, _) in enumerate(lines):
        asked = active.plugins(index)
        if not asked:
            continue
        line = stripped[index]
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
