"""Files kubeconform alone can settle, so that our loader never parses them.

With the kubeconform backend, loading a file (libyaml, our checks, line provenance) cost more
CPU than kubeconform's own validation of it, and the two share the machine's cores. A file
whose every document kubeconform calls valid needs no line number. What it still needs is
what the loader would object to, and proof that kubeconform saw the documents the loader
would have made: a parse with yaml-rs (Rust, several times faster than libyaml plus Python,
and it refuses duplicate keys) and text checks for what yaml-rs accepts but our loader
refuses. Any doubt, and the file is loaded as before: this only ever skips work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gitops_gate.errors import ManifestError
from gitops_gate.manifests import classify, decode
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.manifests.yamlsafe import ANCHOR
from gitops_gate.validate.kubeconform import Signature, result_signature, signature

if TYPE_CHECKING:
    from gitops_gate.manifests.loader import LoadOptions
    from gitops_gate.validate.options import ValidateOptions
    from gitops_gate.validate.run import Summary

# yaml-rs recurses on block nesting and overflows its stack on a deep enough document (about
# 100,000 levels crash the process): a line indented this far is never handed to it.
_PREFIX = 64
_DEEP = re.compile(rf"\n[ \t?:-]{{{_PREFIX}}}")  # searched in "\n" + text: a literal start is fast
# Keys yaml-rs may tell apart where our duplicate check, comparing key text, does not: a
# quoted key ("1" and 1; in flow style no space need follow the colon) and a tagged one
# (!!str 1 and 1). Any quote before a colon, any tag, is enough to be unsure.
_QUOTED_KEY = re.compile(r"""["'][ \t]*:""")
_TAG = re.compile(r"(?:^|[\s\[{,:?-])!", re.MULTILINE)
# Keys yaml-rs builds as numbers or tuples: in Python, multiples of 2**61-1 all hash alike, so
# 20,000 such keys (600 KB) cost yaml-rs 4 s, quadratically more beyond. Too few keys fit in a
# small file to matter, so only larger ones are searched (linearly: token starts only,
# possessive). NaN is different at any size: .nan twice is one key to our loader, which keys
# by text, and two to yaml-rs (NaN never equals itself), so a duplicate would go unreported.
_TYPED_KEY_SCAN = 16 * 1024
_NAN = re.compile(r"\.nan", re.IGNORECASE)  # yaml-rs reads .nan in any letter case
_NUMBER_KEY = re.compile(
    r"[\s{,\[?](?:[-+]?\.(?i:nan|inf)|[-+]?\.?[0-9][0-9a-zA-Z_.+-]*+(?::[0-9]+)*+)"
    r"[ \t]*:(?:[ \t,}\]]|$)",
    re.MULTILINE,
)
_FLOW_KEY = re.compile(r"[\]}][ \t]*:(?:[ \t,}\]]|$)", re.MULTILINE)
# Both _QUOTED_KEY and _FLOW_KEY need one of these, blanks, then a colon: one scan for this
# rules both out in a third of the time the two scans take.
_CLOSED_KEY = re.compile(r"""[\]}"'][ \t]*:""")
_COMPLEX_KEY = re.compile(r"(?:^|[\s\[{,])\?(?:[ \t]|$)", re.MULTILINE)
# Line breaks other than \n: yaml-rs breaks lines at \r too, libyaml also at NEL, LS and PS.
_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


@dataclass(frozen=True, slots=True)
class Screened:
    """A file whose documents are all plain objects: what kubeconform must say to settle it."""

    rel: str
    signatures: tuple[Signature, ...]


def available() -> bool:
    try:
        import yaml_rs  # noqa: F401
    except ImportError:  # no wheel for this platform: every file is loaded, as before
        return False
    return True


def eligible(rel: str) -> bool:
    """Whether a file could be settled at all, from its name (patches are ruled out later)."""
    name = rel.rpartition("/")[2]
    return (
        name.endswith((".yaml", ".yml"))
        and not classify.is_kustomization_file(rel)
        and classify.known_non_manifest(rel) is None
    )


def screen(rel: str, data: bytes, load: LoadOptions, options: ValidateOptions) -> Screened | None:
    """The file's document signatures when nothing in it needs our loader, else None."""
    if len(data) > load.max_file_bytes:
        return None
    try:
        text = decode.decode(data, rel)  # as the loader decodes it; its errors are the loader's
    except ManifestError:
        return None
    if _unsure(text):
        return None
    docs = _documents(text)
    if docs is None or not docs:
        return None
    if 2 * (_PREFIX + 1) + text.count("[") + text.count("{") > load.limits.max_depth and any(
        _depth(d) > load.limits.max_depth for d in docs
    ):
        return None
    signatures = []
    for body in docs:
        if not _plain_object(body, options):
            return None
        signatures.append(signature(body))
    return Screened(rel, tuple(signatures))


def _unsure(text: str) -> bool:
    """Text yaml-rs might read differently from the loader, or that the loader reports on.

    Line breaks other than newline (the tests after it read lines by newlines alone), anchors,
    deep indentation, YAML directives and document ends, quoted, tagged, numeric or complex
    keys, and Flux variables (the loader marks their files). Plain substring tests first:
    they are C-fast.
    """
    lines = "\n" + text
    return (
        any(b in text for b in _BREAKS)
        or ("&" in text and ANCHOR.search(text) is not None)
        or _DEEP.search(lines) is not None
        or "\n%" in lines
        or "\n..." in lines
        or "${" in text
        or ("!" in text and _TAG.search(text) is not None)
        or _keys_unsure(text, lines)
    )


def _keys_unsure(text: str, lines: str) -> bool:
    """Quoted keys, or keys yaml-rs builds as numbers or tuples (see _NUMBER_KEY).

    A collection as a key is always unsure: our loader refuses it, yaml-rs builds a tuple.
    """
    closed = _CLOSED_KEY.search(text) is not None
    if closed and (_QUOTED_KEY.search(text) is not None or _FLOW_KEY.search(text) is not None):
        return True
    if "?" in text and _COMPLEX_KEY.search(text) is not None:
        return True
    if len(text) < _TYPED_KEY_SCAN and _NAN.search(text) is None:
        return False
    return _NUMBER_KEY.search(lines) is not None


def _documents(text: str) -> list[Any] | None:
    """yaml-rs' documents of text, when their count is certain, else None."""
    import yaml_rs

    marks, first = _marks(text)
    count = marks + (1 if _has_content(text[:first]) else 0)
    try:
        value = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # any refusal (syntax, duplicate key, limits) is the loader's to report
        return None
    if count == 1:
        return [value]
    # A list is several documents, or one document that is a list: the count tells them apart.
    if count > 1 and isinstance(value, list) and len(value) == count:
        return value
    return None


def _marks(text: str) -> tuple[int, int]:
    """How many lines start a document (`---`, then a blank or the line's end) and where the
    first of them starts (len(text) when none). str.find skips between line starts several
    times faster than a multiline regex, which tries every position."""
    count, first = 0, len(text)
    for start in _dashes(text):
        if text[start + 3 : start + 4] in ("", " ", "\t", "\n"):
            first = start if count == 0 else first  # _dashes goes in order
            count += 1
    return count, first


def _dashes(text: str) -> Iterator[int]:
    if text.startswith("---"):
        yield 0
    at = text.find("\n---")
    while at != -1:
        yield at + 1
        at = text.find("\n---", at + 1)


def _has_content(text: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _depth(value: Any) -> int:
    if not isinstance(value, dict | list):
        return 0
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack += [(c, depth + 1) for c in children if isinstance(c, dict | list)]
    return deepest


def _plain_object(body: Any, options: ValidateOptions) -> bool:
    """A resource the loader makes as is: apiVersion and kind, no List, nothing skipped."""
    if not isinstance(body, dict) or not body.get("apiVersion") or not body.get("kind"):
        return False
    kind, api_version = str(body["kind"]), str(body["apiVersion"])
    return not (
        kind.endswith("List")
        or options.skipped(kind, api_version)
        or options.rejected(kind, api_version)
    )


def settled(screened: Screened, results: Sequence[dict[str, Any]]) -> bool:
    """Whether kubeconform found exactly these documents in the file, every one valid."""
    if len(results) != len(screened.signatures):
        return False
    for r in results:
        if r.get("status") != "statusValid" or r.get("msg"):
            return False
    # Sorted lists compare as multisets do, a few times faster than two Counters.
    return sorted(map(result_signature, results)) == sorted(screened.signatures)


def record(screened: Screened, summary: Summary) -> FileRecord:
    """The file's record and counts, as loading and validating it would have left them."""
    n = len(screened.signatures)
    summary.resources += n
    summary.valid += n
    summary.by_file[screened.rel]["resources"] += n
    summary.by_file[screened.rel]["valid"] += n
    return FileRecord(screened.rel, FileKind.MANIFESTS, documents=n, resources=n)
