"""Names for discovered environments: the part of their paths that tells them apart."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Folder names that say how a repo is organised, never which cluster or stage it is.
GENERIC = frozenset(
    {
        "",
        ".",
        "apps",
        "applications",
        "argo",
        "argocd",
        "argocd-apps",
        "base",
        "bootstrap",
        "cluster",
        "clusters",
        "config",
        "deploy",
        "environments",
        "envs",
        "flux",
        "flux-system",
        "fluxcd",
        "gitops",
        "infra",
        "infrastructure",
        "k8s",
        "kubernetes",
        "manifests",
        "overlays",
    }
)
# Names a stage goes by: an ApplicationSet element varying only in one of these is a stage.
STAGES = frozenset(
    {
        "dev",
        "develop",
        "development",
        "int",
        "integration",
        "live",
        "perf",
        "preprod",
        "prd",
        "prod",
        "production",
        "qa",
        "sandbox",
        "stage",
        "staging",
        "stg",
        "test",
        "testing",
        "uat",
    }
)
_INVALID = re.compile(r"[^a-z0-9-]+")


def clean(name: str) -> str:
    """name as .gitops-gate.yaml accepts one: lower-case letters, digits and '-', <= 63."""
    out = _INVALID.sub("-", name.lower()).strip("-")[:63].strip("-")
    return out or "cluster"


def distinguish(paths: Sequence[str], fallback: Sequence[str]) -> list[str]:
    """One name per path: the folders in which it differs from the others; for a single path,
    its last folder that is not a generic one (else the first usable fallback)."""
    parts = [[p for p in path.split("/") if p not in ("", ".")] for path in paths]
    if len(parts) == 1:
        return [_single(parts[0], fallback[0] if fallback else "")]
    head = _common(parts)
    tail = _common([list(reversed(p[head:])) for p in parts])
    names = [clean("-".join(p[head : len(p) - tail])) for p in parts]
    if len(set(names)) == len(names):
        return names
    return [clean("-".join(p)) for p in parts]


def _single(parts: list[str], fallback: str) -> str:
    for part in reversed(parts):
        if part.lower() not in GENERIC:
            return clean(part)
    return clean(fallback) if fallback.lower() not in GENERIC else "cluster"


def _common(parts: list[list[str]]) -> int:
    """How many leading items every list shares (leaving each at least one of its own)."""
    n = 0
    shortest = min(len(p) for p in parts)
    while n < shortest - 1 and all(p[n] == parts[0][n] for p in parts):
        n += 1
    return n
