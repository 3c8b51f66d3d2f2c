"""Manifests tests share: a Deployment that passes every built-in policy but for its image."""

from __future__ import annotations

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
