"""A Flux Kustomization takes the namespace of the kustomization that includes it, as
kustomize writes it: labels and dependsOn follow (no false missing-dependency)."""

from __future__ import annotations

from pathlib import Path

from gitops_gate.config import load_config
from gitops_gate.graph import build
from gitops_gate.graph.scan import scan
from tests.helpers.tree import write_tree


def _ks(name: str, *, depends: str = "", namespace: str = "") -> str:
    meta = f"\n  namespace: {namespace}" if namespace else ""
    return f"""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {name}{meta}
spec:
  path: ./apps/{name}
  sourceRef: {{kind: GitRepository, name: flux-system, namespace: flux-system}}
  dependsOn: [{depends}]
"""


def _graph(root: Path) -> tuple[list[str], list[str]]:
    config = load_config(root)
    g = build(scan(root, config), config)
    labels = sorted(d["label"] for d in g.graph.nodes.values() if d["kind"] == "flux")
    return labels, [f"{f.path}:{f.line}: {f.message}" for f in g.findings]


def test_the_including_kustomizations_namespace_is_the_flux_kustomizations(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            # The outermost kustomization that sets a namespace wins; the object's own is
            # written over.
            "clusters/prod/kustomization.yaml": "namespace: team-a\nresources: [web]\n",
            "clusters/prod/web/kustomization.yaml": (
                "namespace: ignored\nresources: [web.yaml, db.yaml]\n"
            ),
            "clusters/prod/web/web.yaml": _ks("web", depends="{name: db, namespace: team-a}"),
            "clusters/prod/web/db.yaml": _ks("db", namespace="flux-system"),
            "clusters/prod/cache.yaml": _ks("cache", depends="{name: db}"),
            "apps/web/a.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "apps/db/a.yaml": "apiVersion: v1\nkind: ConfigMap\n",
            "apps/cache/a.yaml": "apiVersion: v1\nkind: ConfigMap\n",
        },
    )
    labels, findings = _graph(tmp_path)
    assert labels == [
        "Kustomization flux-system/cache",  # listed by no kustomization: its own (the default)
        "Kustomization team-a/db",
        "Kustomization team-a/web",
    ]
    # web's dependency resolves; cache's, in flux-system, does not.
    assert findings == [
        "clusters/prod/cache.yaml:8: Kustomization flux-system/cache depends on"
        " flux-system/db, which is not in the repository"
    ]
