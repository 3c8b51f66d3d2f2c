"""Which Flux Kustomizations build from this repository, and the folder each one builds."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from gitops_gate.manifests.gitops import Artifact, FluxKustomization, artifacts_of
from gitops_gate.manifests.kustomization import join
from gitops_gate.manifests.model import Resource


class Sources:
    """The repo's GitRepositories and ArtifactGenerators, read once."""

    def __init__(self, resources: list[Resource], fluxes: list[FluxKustomization]) -> None:
        self.urls: dict[tuple[str, str], str] = {}
        for r in resources:
            if r.body.get("kind") == "GitRepository" and _group(r.body).startswith("source."):
                spec = r.body.get("spec")
                spec = spec if isinstance(spec, dict) else {}
                # A branch of the same URL is other content: the URL and the ref name a checkout.
                where = f"{spec.get('url') or ''}#{spec.get('ref') or ''}"
                self.urls[(r.key.namespace or "flux-system", r.key.name)] = where
        used = Counter(
            (f.source_namespace, f.source_name) for f in fluxes if f.source_kind == "GitRepository"
        )
        # This repository is what bootstrap names flux-system, and what most Kustomizations build
        # from; a GitRepository of another URL (a tenant's repo) is not read from here.
        self.mine = {key for key in self.urls if key[1] == "flux-system"}
        self.mine |= {key for key, _ in used.most_common(1)}
        self.mine_urls = {self.urls[k] for k in self.mine if k in self.urls}
        self.artifacts = [(r, a) for r in resources for a in artifacts_of(r.body)]

    def path(self, defined_in: str, fk: FluxKustomization) -> str | None:
        """The repo folder fk builds; None when it builds from elsewhere (OCI, another repo)."""
        if fk.source_kind == "GitRepository":
            key = (fk.source_namespace, fk.source_name)
            if key in self.urls and key not in self.mine and self.urls[key] not in self.mine_urls:
                return None
            return join(PurePosixPath("."), fk.path)
        if fk.source_kind == "ExternalArtifact":
            art = self._artifact(defined_in, fk)
            return art.repo_path(fk.path) if art is not None else None
        return None

    def _artifact(self, defined_in: str, fk: FluxKustomization) -> Artifact | None:
        found = [
            (r, a)
            for r, a in self.artifacts
            if (a.namespace, a.name) == (fk.source_namespace, fk.source_name)
        ]
        if not found:
            return None
        # Each cluster has its generator of the same name: the one written nearest.
        return max(found, key=lambda c: len(os.path.commonpath([defined_in, c[0].path])))[1]


def _group(body: dict[str, Any]) -> str:
    return str(body.get("apiVersion") or "").rpartition("/")[0]
