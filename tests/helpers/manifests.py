"""Manifests tests share: a Deployment that passes every built-in policy but for its image."""

from __future__ import annotations

from typing import Any

_DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: shop}}
spec:
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: {name}
          image: {image}
          resources: {{requests: {{cpu: 10m, memory: 64Mi}}, limits: {{memory: 64Mi}}}}
"""


def deployment(image: str, name: str = "web") -> str:
    """A Deployment of image in namespace shop, with resources set."""
    return _DEPLOYMENT.format(image=image, name=name)


def crd(group: str, kind: str, schema: dict[str, Any], version: str = "v1") -> dict[str, Any]:
    """A namespaced CustomResourceDefinition of group/kind serving one version with schema."""
    plural = kind.lower() + "s"
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": f"{plural}.{group}"},
        "spec": {
            "group": group,
            "names": {"kind": kind, "plural": plural},
            "scope": "Namespaced",
            "versions": [
                {"name": version, "served": True, "storage": True,
                 "schema": {"openAPIV3Schema": schema}}
            ],
        },
    }  # fmt: skip
