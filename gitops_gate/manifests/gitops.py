"""Typed views of GitOps objects: Flux Kustomizations, Argo CD Applications, artifacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from gitops_gate.manifests.kustomization import join

FLUX_GROUP = "kustomize.toolkit.fluxcd.io"
ARGO_GROUP = "argoproj.io"
ARTIFACT_GROUP = "source.extensions.fluxcd.io"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _group(body: dict[str, Any]) -> str:
    return str(body.get("apiVersion") or "").rpartition("/")[0]


@dataclass(frozen=True, slots=True)
class FluxKustomization:
    """A Flux Kustomization: what it builds (`spec.path` from `sourceRef`) and what it waits for."""

    name: str
    namespace: str
    path: str  # spec.path as written, relative to the source's root
    source_kind: str
    source_name: str
    source_namespace: str
    depends_on: tuple[tuple[str, str], ...]  # (namespace, name)
    spec: dict[str, Any] = field(compare=False, hash=False)

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @classmethod
    def of(cls, body: dict[str, Any], namespace: str | None = None) -> FluxKustomization | None:
        """The view of body; namespace: the one a kustomization including it sets, which
        kustomize writes over the object's own (and which its references then default to)."""
        if body.get("kind") != "Kustomization" or _group(body) != FLUX_GROUP:
            return None
        meta, spec = _dict(body.get("metadata")), _dict(body.get("spec"))
        ns = namespace or str(meta.get("namespace") or "flux-system")
        src = _dict(spec.get("sourceRef"))
        deps = tuple(
            (str(d.get("namespace") or ns), str(d.get("name")))
            for d in _list(spec.get("dependsOn"))
            if isinstance(d, dict) and d.get("name")
        )
        return cls(
            name=str(meta.get("name") or ""),
            namespace=ns,
            path=str(spec.get("path") or "./"),
            source_kind=str(src.get("kind") or "GitRepository"),
            source_name=str(src.get("name") or ""),
            source_namespace=str(src.get("namespace") or ns),
            depends_on=deps,
            spec=spec,
        )


@dataclass(frozen=True, slots=True)
class ArgoApplication:
    """An Argo CD Application: the repo paths it deploys and where to."""

    name: str
    namespace: str
    paths: tuple[str, ...]
    destination_namespace: str | None
    helm: bool

    @property
    def id(self) -> str:
        return f"{self.namespace}/{self.name}"

    @classmethod
    def of(cls, body: dict[str, Any]) -> ArgoApplication | None:
        if body.get("kind") != "Application" or _group(body) != ARGO_GROUP:
            return None
        meta, spec = _dict(body.get("metadata")), _dict(body.get("spec"))
        sources = [_dict(spec.get("source"))] + [_dict(s) for s in spec.get("sources") or []]
        paths = tuple(str(s["path"]) for s in sources if s.get("path") is not None)
        return cls(
            name=str(meta.get("name") or ""),
            namespace=str(meta.get("namespace") or "argocd"),
            paths=paths,
            destination_namespace=_dict(spec.get("destination")).get("namespace"),
            helm=any("helm" in s or "chart" in s for s in sources),
        )


@dataclass(frozen=True, slots=True)
class Artifact:
    """An ExternalArtifact an ArtifactGenerator assembles: artifact prefix -> repo prefix copies."""

    name: str
    namespace: str
    copies: tuple[tuple[str, str], ...]  # (artifact prefix, repo prefix)

    def repo_path(self, path: str) -> str | None:
        """The repo folder behind path inside the artifact, or None when no copy covers it."""
        want = join(PurePosixPath("."), path)
        for to, frm in sorted(self.copies, key=lambda c: -len(c[0])):
            if to == "." or want == to or want.startswith(to + "/"):
                rest = want[len(to) :].lstrip("/") if to != "." else want
                return join(PurePosixPath(frm), rest) if rest not in ("", ".") else frm
        return None


def artifacts_of(body: dict[str, Any]) -> list[Artifact]:
    """The ExternalArtifacts an ArtifactGenerator makes from this repo's sources."""
    if body.get("kind") != "ArtifactGenerator" or _group(body) != ARTIFACT_GROUP:
        return []
    meta, spec = _dict(body.get("metadata")), _dict(body.get("spec"))
    ns = str(meta.get("namespace") or "flux-system")
    out = []
    for art in spec.get("artifacts") or []:
        art = _dict(art)
        copies = []
        for c in art.get("copy") or []:
            c = _dict(c)
            frm, to = _strip_glob(c.get("from")), _strip_glob(c.get("to"))
            if frm is not None and to is not None:
                copies.append((to, frm))
        out.append(Artifact(str(art.get("name") or ""), ns, tuple(copies)))
    return out


def _strip_glob(value: Any) -> str | None:
    """`@alias/a/b/**` -> `a/b`; `@artifact/` -> `.`; None for a single-file copy."""
    if not isinstance(value, str) or not value.startswith("@"):
        return None
    rest = value.partition("/")[2]
    rest = rest.removesuffix("**").removesuffix("*")
    if any(ch in rest for ch in "*?["):
        return None
    return join(PurePosixPath("."), rest) if rest.strip("/") else "."


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
