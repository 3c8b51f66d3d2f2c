"""The loader: files -> Resources with file:line provenance, and Findings for what is wrong."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from gitops_gate.errors import ManifestError
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests import classify, decode, kustomization, referenced
from gitops_gate.manifests.budget import Budget, Spent
from gitops_gate.manifests.model import Document, FileKind, FileRecord, FileSource, Resource
from gitops_gate.manifests.walk import Candidate, walk
from gitops_gate.manifests.yamlsafe import Limits, ParsedDocument, parse

# A Flux postBuild placeholder, `${VAR}` or `${VAR:=default}`: its value is known at deploy time.
FLUX_VARIABLE = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?:[:=?-][^}]*)?\}")


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """What to read and how much of it to accept."""

    exclude: tuple[str, ...] = ()
    gitignore: bool = True
    max_file_bytes: int = 5 * 1024 * 1024
    limits: Limits = field(default_factory=Limits)
    budget: Budget = field(default_factory=Budget)


@dataclass(slots=True)
class LoadResult:
    """Everything the loader produced: checks read resources, reports read files and findings."""

    root: Path
    resources: list[Resource] = field(default_factory=list)
    kustomizations: list[Document] = field(default_factory=list)
    patches: list[Resource] = field(default_factory=list)
    files: list[FileRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def extend(self, other: LoadResult) -> None:
        self.resources += other.resources
        self.kustomizations += other.kustomizations
        self.patches += other.patches
        self.files += other.files
        self.findings += other.findings


def load(
    paths: Sequence[Path],
    *,
    root: Path,
    options: LoadOptions | None = None,
    on_file: Callable[[str], None] | None = None,
) -> LoadResult:
    """Load every file under paths; one bad file never stops the others."""
    options = options or LoadOptions()
    candidates, findings = walk(paths, root, exclude=options.exclude, gitignore=options.gitignore)
    return load_walked(candidates, findings, root=root, options=options, on_file=on_file)


def load_walked(
    candidates: Sequence[Candidate],
    findings: list[Finding],
    *,
    root: Path,
    options: LoadOptions,
    on_file: Callable[[str], None] | None = None,
) -> LoadResult:
    """load() over what walk() found under the paths: a record for each candidate, in order."""
    result = LoadResult(root=root.resolve(), findings=list(findings))
    spent = Spent(options.budget)
    with collector_paused():
        for candidate in candidates:
            if on_file is not None:
                on_file(candidate.rel)
            if spent.exhausted:
                result.files.append(FileRecord(candidate.rel, FileKind.ERROR, reason=_UNREAD))
                continue
            result.extend(_load_file(candidate, result.root, options, spent))
    set_patches_apart(result, options)
    return result


_UNREAD = "not loaded: the run's budget ran out before it (limits in .gitops-gate.yaml)"
_PATCH_REASON = "kustomize patch: a partial object, checked once rendered (gitops-gate diff)"


def set_patches_apart(result: LoadResult, options: LoadOptions) -> None:
    """Patches are partial objects: checking them as whole resources gives false findings.

    Safe to run again on results merged from several loads: what is set apart stays apart.
    """
    manifests = [f for f in result.files if f.kind is FileKind.MANIFESTS]
    targets = patch_targets(
        result.root, [f.path for f in manifests], options, result.kustomizations
    )
    if not targets:
        return
    for record in manifests:
        if record.path in targets:
            record.kind, record.reason = FileKind.PATCH, _PATCH_REASON
    result.patches += [r for r in result.resources if r.path in targets]
    result.resources = [r for r in result.resources if r.path not in targets]


def patch_targets(
    root: Path, files: Sequence[str], options: LoadOptions, loaded: Sequence[Document] = ()
) -> set[str]:
    """The files that the loaded kustomizations, or those in the folders above files (read
    from disk), use as patches: what load() sets apart."""
    targets: set[str] = set()
    for k in loaded:
        targets |= kustomization.patch_files(k.path, k.body)
    known = {k.path for k in loaded}
    for rel in sorted(_ancestor_kustomizations(root, files) - known):
        targets |= _patch_files_of(root, rel, options)
    return targets


def _ancestor_kustomizations(root: Path, files: Sequence[str]) -> set[str]:
    """Kustomization files in the folders above files (a file named alone is still known)."""
    found: set[str] = set()
    seen: set[str] = set()
    top = str(root)
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder not in seen:  # string work: pathlib's parents cost more than the stats
            seen.add(folder)
            for name in kustomization.KUSTOMIZATION_NAMES:
                inside = f"{folder}/{name}" if folder else name
                if Path(f"{top}/{inside}").is_file():
                    found.add(inside)
            if not folder:
                break
            folder = folder.rpartition("/")[0]
    return found


def _patch_files_of(root: Path, rel: str, options: LoadOptions) -> set[str]:
    try:
        text = decode.read_text(root / rel, rel, max_bytes=options.max_file_bytes)
        docs = list(parse(text, rel, options.limits))
    except ManifestError:
        return set()  # reported when that file itself is checked
    return set().union(*(kustomization.patch_files(rel, d.value) for d in docs)) if docs else set()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC while a repo's values pile up.

    Loading allocates hundreds of thousands of long-lived dicts and lists; with the collector
    on, each pass rescans them all (bench/load.py: 1.00x PyYAML alone, 0.81x paused). What we
    build holds no cycles, so reference counting frees it without the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_text(text: str, path: str = "<stdin>", options: LoadOptions | None = None) -> LoadResult:
    """Load one file's text as if it were a file at path (for stdin and tests)."""
    result = LoadResult(root=Path.cwd())
    _load_documents(text, path, options or LoadOptions(), result)
    return result


def _load_file(candidate: Candidate, root: Path, options: LoadOptions, spent: Spent) -> LoadResult:
    result = LoadResult(root=root)
    rel, deployed = candidate.rel, candidate.referenced_by
    skip = classify.skip_reason(rel, root) if deployed is None else None
    if skip is not None:
        result.files.append(FileRecord(rel, skip[0], reason=skip[1]))
        return result
    try:
        text = decode.read_text(candidate.path, rel, max_bytes=options.max_file_bytes)
    except ManifestError as e:
        _failed(result, rel, e, rule=e.rule)
        if deployed is not None:
            result.findings.append(referenced.not_checked(deployed, rel, e.message))
        return result
    over = spent.before(rel, text)
    if over is not None:
        result.files.append(FileRecord(rel, FileKind.ERROR, reason=over.message))
        result.findings.append(over)
        return result
    _load_documents(text, rel, options, result, deployed=deployed is not None, spent=spent)
    source = FileSource(str(candidate.path), hash(text))
    for doc in (*result.resources, *result.kustomizations):
        # The text goes with this call: a line number is looked up in the file again.
        doc.text, doc.source = None, source
    return result


def _failed(result: LoadResult, rel: str, error: ManifestError, *, rule: str) -> None:
    result.files.append(FileRecord(rel, FileKind.ERROR, reason=error.message))
    result.findings.append(Finding(rule, Severity.ERROR, error.text(), "load", rel, error.line))


def _load_documents(
    text: str,
    rel: str,
    options: LoadOptions,
    result: LoadResult,
    *,
    deployed: bool = False,
    spent: Spent | None = None,
) -> None:
    """deployed: a kustomization lists the file, so it is a manifest whatever its name."""
    try:
        docs = list(parse(text, rel, options.limits))
    except ManifestError as e:
        if classify.looks_templated(text) and not deployed:
            reason = "Go template: not YAML until rendered (render it first)"
            result.files.append(FileRecord(rel, FileKind.HELM_TEMPLATE, reason=reason))
            return
        _failed(result, rel, e, rule=e.rule)
        return
    record = FileRecord(rel, FileKind.MANIFESTS)
    result.files.append(record)
    over = spent.after(rel, sum(d.nodes for d in docs)) if spent is not None else None
    if over is not None:
        result.findings.append(over)
    _classify_documents(docs, text, record, result, deployed=deployed)


def _classify_documents(
    docs: list[ParsedDocument], text: str, record: FileRecord, result: LoadResult, *, deployed: bool
) -> None:
    rel = record.path
    docs = [d for d in docs if d.value is not None]
    record.documents = len(docs)
    for d in docs:
        for line, key, first in d.duplicates:
            result.findings.append(_duplicate(rel, line, key, first))
    if not docs:
        record.kind, record.reason = FileKind.COMMENT_ONLY, "no documents: empty or only comments"
        return
    if classify.is_kustomization_file(rel):
        record.kind = FileKind.KUSTOMIZATION
        result.kustomizations += [
            Document(rel, d.index, d.value, d.node.start_mark.line + 1, text) for d in docs
        ]
        return
    known_other = classify.known_non_manifest(rel) if not deployed else None
    if known_other is not None or not any(classify.looks_like_object(d.value) for d in docs):
        record.kind = FileKind.OTHER_YAML
        record.reason = known_other or "not a Kubernetes resource (no apiVersion or kind)"
        return
    for d in docs:
        made, problems = classify.resources_of(d, rel, text)
        for r in made:
            r.substituted = _substituted(text, d)
        result.resources += made
        result.findings += problems
        record.resources += len(made)
    record.substituted = any(r.substituted for r in result.resources if r.path == rel)


def _substituted(text: str, doc: ParsedDocument) -> bool:
    start, end = doc.node.start_mark.index, doc.node.end_mark.index
    return "${" in text[start:end] and FLUX_VARIABLE.search(text, start, end) is not None


def _duplicate(rel: str, line: int, key: str, first: int) -> Finding:
    return Finding(
        rule="duplicate-key",
        severity=Severity.ERROR,
        message=(
            f"duplicate key {key!r} (first at line {first}); Kubernetes keeps only one of them"
            " (remove one)"
        ),
        check="load",
        path=rel,
        line=line,
    )
