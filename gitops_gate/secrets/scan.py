"""Run detect-secrets' plugins over files and turn what they find into findings."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.config import Config
from gitops_gate.findings import Finding, Severity
from gitops_gate.secrets.allow import Allowlist, load_allowlist
from gitops_gate.secrets.files import DEFAULT_MAX_BYTES, Selection, files_to_scan, relative
from gitops_gate.secrets.imports import import_detect_secrets
from gitops_gate.secrets.lines import scan_file

CHECK = "secrets"
RULE = "secret-detected"
NOT_SCANNED_RULE = "secrets-not-scanned"
ESCAPE_RULE = "symlink-escape"
_LOADER_UNREADABLE = frozenset({"file-too-large", "invalid-encoding"})
# Entropy detectors fire on digests, checksums and ciphertext; they count only under a key whose
# name says it holds a credential.
_ENTROPY = frozenset({"Base64 High Entropy String", "Hex High Entropy String"})
_KEYWORD = "Secret Keyword"
_CREDENTIAL_KEY = re.compile(
    r"(passw(or)?d|passwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key"
    r"|credential|auth[_-]?key|client[_-]?secret)[\"']?\s*[:=]",
    re.IGNORECASE,
)
# The same, for ASCII text lower-cased: a case-blind search of many words is 10x slower.
# Sound while the pattern's form is lowerable and searchable (regexform.form; a test checks).
_CREDENTIAL_KEY_LOWER = re.compile(_CREDENTIAL_KEY.pattern, _CREDENTIAL_KEY.flags & ~re.IGNORECASE)
_SOPS_VALUE = "ENC[AES256_GCM,"
# A key that names where a secret is, not the secret: `existingSecret: app-secret`,
# `secretName:`, `secretRef:`, `passwordFile:`. The policy library's lib.reference_pattern and
# camel_reference_pattern say the same (a test keeps them alike), and Helm charts call a
# Secret to use `existingSecret`. A keyword hit on such a line is no secret.
_LINE_KEY = re.compile(r"""^\s*(?:-\s+)?["']?([\w.-]+)["']?\s*[:=]""")
REFERENCE_PATTERN = r"(^|[_.-])(names?|refs?|references?|files?|paths?)$"
CAMEL_REFERENCE_PATTERN = r"[a-z0-9](Names?|Refs?|References?|Files?|Paths?)$"
_REFERENCE = re.compile(REFERENCE_PATTERN)
_CAMEL_REFERENCE = re.compile(CAMEL_REFERENCE_PATTERN)
_EXISTING_SECRET = re.compile(r"existing[_-]?secrets?$")
# detect-secrets keeps its settings in a global; one scan at a time.
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Hit:
    """A secret found: where, what kind, and detect-secrets' hash of it (never the value)."""

    path: str
    line: int
    kind: str
    hashed: str


def secret_findings(
    paths_or_files: Sequence[Path | str], root: Path, config: Config | None = None
) -> list[Finding]:
    """A finding per secret in the files under paths_or_files (repo-relative or absolute)."""
    exclude = tuple(config.exclude) if config else ()
    max_bytes = config.max_file_bytes if config else DEFAULT_MAX_BYTES
    chosen = files_to_scan(paths_or_files, root, exclude=exclude, max_bytes=max_bytes)
    allow = load_allowlist(root, config)
    # The baseline holds hashes of known secrets, which look like secrets themselves.
    is_baseline = _baseline_test(allow, root)
    named = [(path, rel) for path, rel in chosen.files.items() if not is_baseline(path, rel)]
    hits = [h for h in _scan_named(named) if not allow.allows(h)]
    found = [_finding(h) for h in hits] + _not_scanned(chosen, max_bytes)
    return sorted(found, key=lambda f: (f.path or "", f.line or 0, f.rule, f.message))


def _baseline_test(allow: Allowlist, root: Path) -> Callable[[Path, str], bool]:
    """Whether a file (path, repo name) is the baseline: by name when the baseline is inside
    the repo, else by where the file resolves."""
    real_root, baseline = root.resolve(), allow.baseline.resolve()
    if baseline.is_relative_to(real_root):
        name = baseline.relative_to(real_root).as_posix()
        return lambda path, rel: rel == name
    return lambda path, rel: path.resolve() == baseline


def scan_files(files: Iterable[Path], root: Path) -> list[Hit]:
    """A hit per secret in files, named relative to root."""
    real_root = root.resolve()
    return _scan_named([(path, relative(path, real_root)) for path in files])


def _scan_named(files: Iterable[tuple[Path, str]]) -> list[Hit]:

    import_detect_secrets()
    from detect_secrets.settings import default_settings

    hits: list[Hit] = []
    with _LOCK, default_settings():
        for path, rel in files:
            lines: list[str] | None = None
            for secret in scan_file(str(path), _unreported):
                line = int(secret.line_number or 0)
                lines = _read_lines(path) if lines is None else lines
                text = lines[line - 1] if 0 < line <= len(lines) else ""
                if _SOPS_VALUE in text:
                    continue
                if secret.type in _ENTROPY and not _CREDENTIAL_KEY.search(text):
                    continue
                if secret.type == _KEYWORD and _names_a_reference(text):
                    continue
                hits.append(Hit(rel, line, str(secret.type), str(secret.secret_hash)))
    return list(dict.fromkeys(hits))


def _names_a_reference(line: str) -> bool:
    """True when the line's key names where a secret is kept, not the secret itself."""
    found = _LINE_KEY.match(line)
    if found is None:
        return False
    key = found.group(1)
    lower = key.lower()
    return bool(
        _REFERENCE.search(lower) or _CAMEL_REFERENCE.search(key) or _EXISTING_SECRET.match(lower)
    )


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


def _not_scanned(chosen: Selection, max_bytes: int) -> list[Finding]:
    """A finding per file the scan did not read, saying why: nothing is passed over silently."""
    limit = f"{max_bytes / (1024 * 1024):g} MiB"
    large = f"not scanned for secrets: larger than limits.maxFileBytes ({limit})"
    binary = "not scanned for secrets: binary (a NUL byte, and not UTF-8 text)"
    other = "not scanned for secrets: not UTF-8 text (re-encode it as UTF-8)"
    # The loader's words for the same link, so `check` shows the two as one finding.
    escape = "is a symlink that points outside the repository; it was not read"
    links = [
        Finding(ESCAPE_RULE, Severity.ERROR, f"{rel} {escape}", "load", rel)
        for rel in chosen.escapes
    ]
    return [
        *(
            Finding(NOT_SCANNED_RULE, Severity.WARNING, large, CHECK, rel)
            for rel in chosen.too_large
        ),
        *(Finding(NOT_SCANNED_RULE, Severity.INFO, binary, CHECK, rel) for rel in chosen.binary),
        *(
            Finding(NOT_SCANNED_RULE, Severity.WARNING, other, CHECK, rel)
            for rel in chosen.not_utf8
        ),
        *links,
    ]


def not_repeated(found: list[Finding], loader: list[Finding]) -> list[Finding]:
    """found without a not-scanned finding for a file the loader already refused as unreadable
    (it fails the gate on its own, and one line a bad file reads best)."""
    said = {f.path for f in loader if f.rule in _LOADER_UNREADABLE}
    return [f for f in found if not (f.rule == NOT_SCANNED_RULE and f.path in said)]


def _finding(hit: Hit) -> Finding:
    message = f"{hit.kind} found (value not shown): remove it and rotate the credential"
    return Finding(
        RULE, Severity.ERROR, message, CHECK, hit.path, hit.line, extra={"kind": hit.kind}
    )


__all__ = ["Allowlist", "Hit", "not_repeated", "scan_files", "secret_findings"]
