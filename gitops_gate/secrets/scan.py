"""Run a secret engine over files, judge what it finds in GitOps context, make findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from gitops_gate.config import Config
from gitops_gate.findings import Finding, Severity
from gitops_gate.secrets.allow import Allowlist, load_allowlist
from gitops_gate.secrets.builtin import BuiltinEngine
from gitops_gate.secrets.context import CAMEL_REFERENCE_PATTERN, REFERENCE_PATTERN
from gitops_gate.secrets.files import DEFAULT_MAX_BYTES, Selection, files_to_scan, relative
from gitops_gate.secrets.judged import Hit, judged_hits, one_per_line
from gitops_gate.secrets.registry import pick

CHECK = "secrets"
RULE = "secret-detected"
NOT_SCANNED_RULE = "secrets-not-scanned"
ESCAPE_RULE = "symlink-escape"
_LOADER_UNREADABLE = frozenset({"file-too-large", "invalid-encoding"})


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
    engine = pick(config.secrets.engine if config else "builtin", max_bytes=max_bytes)
    # Allowed before one is kept a line: allowing one secret hides no other on its line.
    hits = one_per_line([h for h in judged_hits(engine, named) if not allow.allows(h)])
    findings = [_finding(h) for h in hits] + _not_scanned(chosen, max_bytes)
    return sorted(findings, key=lambda f: (f.path or "", f.line or 0, f.rule, f.message))


def _baseline_test(allow: Allowlist, root: Path) -> Callable[[Path, str], bool]:
    """Whether a file (path, repo name) is the baseline: by name when the baseline is inside
    the repo, else by where the file resolves."""
    real_root, baseline = root.resolve(), allow.baseline.resolve()
    if baseline.is_relative_to(real_root):
        name = baseline.relative_to(real_root).as_posix()
        return lambda path, rel: rel == name
    return lambda path, rel: path.resolve() == baseline


def scan_files(files: Iterable[Path], root: Path) -> list[Hit]:
    """A hit per secret in files, named relative to root, found by the built-in engine."""
    real_root = root.resolve()
    named = [(path, relative(path, real_root)) for path in files]
    return one_per_line(judged_hits(BuiltinEngine(), named))


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
    if hit.severity is Severity.ERROR:
        message = f"{hit.kind} found (value not shown): remove it and rotate the credential"
    else:  # a keyword with a value that does not look generated, outside a Secret
        message = (
            f"{hit.kind} found (value not shown), though it does not look generated: if it is "
            "a credential, remove it and rotate it; if not, allow it under secrets.allow"
        )
    return Finding(RULE, hit.severity, message, CHECK, hit.path, hit.line, extra={"kind": hit.kind})


__all__ = [
    "CAMEL_REFERENCE_PATTERN",
    "REFERENCE_PATTERN",
    "Allowlist",
    "Hit",
    "not_repeated",
    "scan_files",
    "secret_findings",
]
