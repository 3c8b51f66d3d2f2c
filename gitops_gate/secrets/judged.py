"""A scan's raw hits judged in GitOps context, with the hits in decoded Secret.data."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.findings import Severity
from gitops_gate.secrets.context import KEYWORD_KINDS, judge
from gitops_gate.secrets.decode import kinds_by_line, secret_data
from gitops_gate.secrets.engine import Engine, RawHit

_YAML = (".yaml", ".yml")
# The inline allow README documents (detect-secrets' pragma), on the line or the one before.
_ALLOWED = re.compile(r"pragma: ?allowlist[ -]secret", re.IGNORECASE)
_ALLOWED_NEXT = re.compile(r"pragma: ?allowlist[ -]nextline[ -]secret", re.IGNORECASE)
# Text for people: a keyword in it is prose unless its value looks generated.
_PROSE = (".md", ".markdown", ".rst", ".txt")


@dataclass(frozen=True, slots=True)
class Hit:
    """A secret found: where, what kind, and detect-secrets' hash of it (never the value)."""

    path: str
    line: int
    kind: str
    hashed: str
    severity: Severity = Severity.ERROR


def judged_hits(engine: Engine, files: Sequence[tuple[Path, str]]) -> list[Hit]:
    """What engine finds in files and in their decoded Secret.data, judged in GitOps
    context (context.judge), each credential once (_without_repeats)."""
    by_rel = {rel: path for path, rel in files}
    lines = _Lines()
    judged = [(_judged(raw, by_rel[raw.path], lines, None), raw) for raw in engine.scan(files)]
    with tempfile.TemporaryDirectory(prefix="gitops-gate-decoded-") as scratch:
        decoded = decoded_files(files, Path(scratch))
        for raw in engine.scan([(d.written, rel) for rel, d in decoded.items()]):
            found = decoded[raw.path]
            source = (raw.path, found.lines[raw.line - 1]) if raw.line <= len(found.lines) else None
            if source is not None:
                judged.append((_judged(raw, found.written, lines, source), raw))
    return _without_repeats([(hit, raw.value or "") for hit, raw in judged if hit is not None])


def _without_repeats(found: list[tuple[Hit, str]]) -> list[Hit]:
    """found without a keyword rule's hit on a credential a token's own rule found on its
    line (`GITHUB_TOKEN=ghp_...` is a GitHub Token, not also a GitOps Credential), so that
    allowing it by kind allows it. detect-secrets may give a part of a token as its value
    (`ghp`): a value inside the other counts as the same."""
    own: dict[tuple[str, int], list[str]] = {}
    for hit, value in found:
        if hit.kind not in KEYWORD_KINDS and value:
            own.setdefault((hit.path, hit.line), []).append(value)
    return [
        hit
        for hit, value in found
        if hit.kind not in KEYWORD_KINDS
        or not any(o in value or value in o for o in own.get((hit.path, hit.line), []))
    ]


def one_per_line(hits: list[Hit]) -> list[Hit]:
    """A hit per place, what a person reads: the most severe, then a token's own format
    before a keyword rule's."""
    best: dict[tuple[str, int], Hit] = {}
    for hit in hits:
        rank = (hit.severity, hit.kind not in KEYWORD_KINDS)
        known = best.get((hit.path, hit.line))
        if known is None or rank > (known.severity, known.kind not in KEYWORD_KINDS):
            best[(hit.path, hit.line)] = hit
    return list(best.values())


def _judged(raw: RawHit, read: Path, lines: _Lines, source: tuple[str, int] | None) -> Hit | None:
    """raw judged on the line it was found on; a decoded value's hit is reported at source."""
    text, kind = lines.at(read, raw.line)
    if _ALLOWED.search(text) or _ALLOWED_NEXT.search(lines.at(read, raw.line - 1)[0]):
        return None  # detect-secrets' inline allow, for both engines (gitleaks' own is off)
    if source is not None:
        kind = "Secret"
    prose = read.suffix.lower() in _PROSE
    severity = judge(raw.kind, text, raw.value, object_kind=kind, prose=prose)
    if severity is None:
        return None
    path, line = source if source is not None else (raw.path, raw.line)
    return Hit(path, line, raw.kind, raw.hashed, severity)


class _Lines:
    """Each file's lines and, for YAML, the kind of object each is in; read once."""

    def __init__(self) -> None:
        self._files: dict[Path, tuple[list[str], list[str]]] = {}

    def at(self, path: Path, line: int) -> tuple[str, str]:
        if path not in self._files:
            text = _read_lines(path)
            yaml = path.suffix.lower() in _YAML
            self._files[path] = (text, kinds_by_line(text) if yaml else [])
        text, kinds = self._files[path]
        found = text[line - 1] if 0 < line <= len(text) else ""
        return found, kinds[line - 1] if 0 < line <= len(kinds) else ""


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A file's decoded Secret.data, written where an engine reads it, and for each line of
    it the line of the key it came from."""

    written: Path
    lines: list[int]


def decoded_files(files: Sequence[tuple[Path, str]], scratch: Path) -> dict[str, _Decoded]:
    """The decoded Secret.data values of each YAML file, written under scratch (the engines
    read files), one file for each: repo name -> what was written."""
    out: dict[str, _Decoded] = {}
    for path, rel in files:
        if path.suffix.lower() not in _YAML:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        values = list(secret_data(text))
        if values:
            written = scratch / str(len(out)) / "data.yaml"
            written.parent.mkdir()
            written.write_text("".join(v.text for v in values), encoding="utf-8")
            keys = [v.line for v in values for _ in range(v.text.count("\n"))]
            out[rel] = _Decoded(written, keys)
    return out


def _read_lines(path: Path) -> list[str]:
    """The file's lines as the engines number them."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []
