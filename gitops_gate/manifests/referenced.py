"""What the kustomizations under the walked folders deploy, even where the walk would not look.

The walk skips gitignored files, node_modules, .github, well-known names and Helm templates;
kustomize does not, when a kustomization lists them. Each file such an entry names is taken
as a manifest, or is a finding at the entry saying why it was not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from gitops_gate.errors import ManifestError
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests import decode, kustomization, walk
from gitops_gate.manifests.yamlsafe import line_of, parse

# Entries whose files end up in the cluster (resources, CRDs) or change what does (patches).
DEPLOYED = frozenset({"resources", "bases", "components", "crds", *kustomization.PATCH_FIELDS})
_MAX_KUSTOMIZATION_BYTES = 1024 * 1024


def follow(found: dict[str, walk.Candidate], root: Path, scopes: Sequence[str]) -> list[Finding]:
    """Add to found (rel -> walk.Candidate) every file the kustomizations in it deploy that lies
    under one of scopes (repo-relative folders, "" for all); a finding for each that cannot be
    read. Kustomizations reached this way are followed in turn."""
    findings: list[Finding] = []
    queue = [c for c in found.values() if kustomization.is_kustomization_file(c.rel)]
    seen = {c.rel for c in queue}
    while queue:
        for target, where in _targets(queue.pop(), root, findings):
            if not _in_scope(target, scopes):
                continue
            candidate = _walked(found, target, where) or _candidate(root, target, where, findings)
            if candidate is None:
                continue
            found[candidate.rel] = candidate
            if kustomization.is_kustomization_file(candidate.rel) and candidate.rel not in seen:
                seen.add(candidate.rel)
                queue.append(candidate)
    return findings


def _targets(
    k: walk.Candidate, root: Path, findings: list[Finding]
) -> Iterator[tuple[str, tuple[str, int]]]:
    """(repo-relative target, (kustomization, line)) of each local deployed entry of k."""
    try:
        text = decode.read_text(k.path, k.rel, max_bytes=_MAX_KUSTOMIZATION_BYTES)
        docs = list(parse(text, k.rel))
    except ManifestError:
        return  # the loader reports the kustomization itself
    for doc in docs:
        for ref in kustomization.refs(k.rel, doc.value):
            if ref.remote or ref.field not in DEPLOYED:
                continue
            where = (k.rel, line_of(doc.node, ref.pointer))
            if ref.target == ".." or ref.target.startswith(("../", "/")):
                findings.append(not_checked(where, ref.target, "it is outside the repository"))
                continue
            yield ref.target, where


def _in_scope(target: str, scopes: Sequence[str]) -> bool:
    return any(not s or target == s or target.startswith(s + "/") for s in scopes)


def _walked(
    found: dict[str, walk.Candidate], target: str, where: tuple[str, int]
) -> walk.Candidate | None:
    """target as the walk found it (a file, or a folder's kustomization), marked as deployed;
    the walk already followed its links."""
    for rel in (target, *(f"{target}/{n}" for n in kustomization.KUSTOMIZATION_NAMES)):
        walked = found.get(rel)
        if walked is not None:
            return walk.Candidate(walked.path, rel, referenced_by=where)
    return None


def _candidate(
    root: Path, target: str, where: tuple[str, int], findings: list[Finding]
) -> walk.Candidate | None:
    path = root / target
    if path.is_dir():
        name = next((n for n in kustomization.KUSTOMIZATION_NAMES if (path / n).is_file()), None)
        if name is None:
            return None  # kustomize fails to build it: the render says so
        target, path = f"{target}/{name}" if target != "." else name, path / name
    if not path.is_file():
        return None
    resolved = walk.resolve_link(path)
    if resolved is None or walk.inside(resolved, root) is None:
        findings.append(not_checked(where, target, "it is a link that leaves the repository"))
        return None
    return walk.Candidate(resolved, target, referenced_by=where)


def not_checked(where: tuple[str, int], target: str, why: str) -> Finding:
    return Finding(
        rule="referenced-not-checked",
        severity=Severity.ERROR,
        message=f"{target} is deployed by this kustomization but was not checked: {why}",
        check="load",
        path=where[0],
        line=where[1],
    )
