"""The built-in engine: detect-secrets in process, with the GitOps plugin and filter added."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gitops_gate.secrets.engine import RawHit
from gitops_gate.secrets.imports import import_detect_secrets
from gitops_gate.secrets.lines import scan_file, scan_lines

# Entropy detectors fire on digests, checksums and ciphertext; they count only under a key whose
# name says it holds a credential.
_ENTROPY = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})
_CREDENTIAL_KEY = re.compile(
    r"(passw(or)?d|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key"
    r"|credential|auth[_-]?key|client[_-]?secret)[\"']?\s*[:=]",
    re.IGNORECASE,
)
# The same, for ASCII text lower-cased: a case-blind search of many words is 10x slower.
# Sound while the pattern's form is lowerable and searchable (regexform.form; a test checks).
_CREDENTIAL_KEY_LOWER = re.compile(_CREDENTIAL_KEY.pattern, _CREDENTIAL_KEY.flags & ~re.IGNORECASE)
_YAML = (".yaml", ".yml")
# detect-secrets loads a custom plugin from its file, and a filter by import path.
_PLUGIN = ("GitOpsCredentialDetector", Path(__file__).with_name("dsplugin.py"))
_FILTER = "gitops_gate.secrets.dsplugin.is_reference"
# detect-secrets keeps its settings in a global; one scan at a time.
_LOCK = threading.Lock()


class BuiltinEngine:
    """detect-secrets' plugins and filters, and ours (dsplugin.py)."""

    name = "builtin"

    def scan(self, files: Sequence[tuple[Path, str]]) -> list[RawHit]:
        if not files:
            return []  # settings cost a few ms to set up and tear down
        import_detect_secrets()
        with _LOCK, gitops_settings():
            return [hit for path, rel in files for hit in _file_hits(path, rel)]


@contextmanager
def gitops_settings() -> Iterator[Any]:
    """detect-secrets' default settings with the GitOps plugin and filter added."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import default_settings, get_filters, get_plugins

    caches: tuple[Any, ...] = (get_mapping_from_secret_type_to_class, get_plugins, get_filters)
    with default_settings() as settings:
        settings.plugins[_PLUGIN[0]] = {"path": f"file://{_PLUGIN[1]}"}
        settings.filters[_FILTER] = {}
        try:
            for cache in caches:
                cache.cache_clear()
            yield settings
        finally:  # the mapping is cached apart from the settings: without ours from now on
            for cache in caches:
                cache.cache_clear()


def _file_hits(path: Path, rel: str) -> Iterator[RawHit]:
    """detect-secrets' scan of the file; for YAML also its raw lines, which its YAML reader
    leaves out: comments, sequence items (container args, generator literals)."""
    found = list(scan_file(str(path), _unreported))
    lines = _read_lines(path)
    if path.suffix.lower() in _YAML:
        found += scan_lines(list(enumerate(lines, start=1)), str(path))
    for secret in found:
        line = int(secret.line_number or 0)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if secret.type in _ENTROPY and not _CREDENTIAL_KEY.search(text):
            continue
        yield RawHit(rel, line, str(secret.type), str(secret.secret_hash), secret.secret_value)


def _unreported(text: str) -> frozenset[str]:
    """The kinds of secret none of which is reported from a file with this text: entropy
    strings when no line has a credential-like key."""
    if text.isascii():  # the pattern's letters are lower case: one case-sensitive search
        found = _CREDENTIAL_KEY_LOWER.search(text.lower())
    else:
        found = _CREDENTIAL_KEY.search(text)
    return frozenset() if found else _ENTROPY


def _read_lines(path: Path) -> list[str]:
    """The file's lines as detect-secrets numbers them: read_text has turned \r and \r\n into
    \n; splitlines() would also break at form feeds, U+2028 and the like."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return []
