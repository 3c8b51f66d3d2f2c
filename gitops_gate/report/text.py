"""Text for people: one line a finding (`path:line: severity: message [rule]`), then a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.model import FileKind, FileRecord
from gitops_gate.report.escape import markup as _esc
from gitops_gate.report.escape import terminal

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_SKIPPED_LABELS = {
    FileKind.OTHER_YAML: ("other YAML file", "other YAML files"),
    FileKind.HELM_TEMPLATE: ("Helm template", "Helm templates"),
    FileKind.COMMENT_ONLY: ("empty or comment-only file", "empty or comment-only files"),
    FileKind.NOT_YAML: ("non-YAML file", "non-YAML files"),
    FileKind.PATCH: ("kustomize patch", "kustomize patches"),
}


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def finding_lines(findings: Iterable[Finding], *, markup: bool = True) -> list[str]:
    """One line a finding, sorted by file and line: Rich markup, or plain text for pipes and
    files (which then need no Rich at all: a tenth of a second on a hook's start)."""
    lines = []
    for f in sorted(findings, key=Finding.sort_key):
        style = "dim" if f.waiver else _STYLE[f.severity]
        label = f"waived {f.severity.label}" if f.waiver else f.severity.label
        where = f"{f.resource} " if f.resource else ""
        waiver = f" (waived: {f.waiver.reason})" if f.waiver else ""
        if not markup:
            text = f"{f.location}: {label}: {where}{f.message}{waiver} [{f.check}/{f.rule}]"
            lines.append(terminal(text))
            continue
        lines.append(
            f"[bold]{_esc(f.location)}[/]: [{style}]{label}[/]: {_esc(where + f.message)}"
            f"{_esc(waiver)} [dim]\\[{_esc(f'{f.check}/{f.rule}')}][/]"
        )
    return lines


def skipped_summary(files: Sequence[FileRecord]) -> str | None:
    counts = Counter(_SKIPPED_LABELS[f.kind] for f in files if f.kind in _SKIPPED_LABELS)
    if not counts:
        return None
    parts = ", ".join(plural(n, *forms) for forms, n in sorted(counts.items()))
    total = plural(sum(counts.values()), "file")
    return f"Skipped {total}: {parts} (--format json lists each with its reason)"


def substituted_summary(files: Sequence[FileRecord]) -> str | None:
    n = sum(1 for f in files if f.substituted)
    if not n:
        return None
    return (
        f"{plural(n, 'file')} use Flux ${{VAR}} substitution: "
        "checked as written, but for fields holding a ${VAR}, which Flux fills at deploy time"
    )
