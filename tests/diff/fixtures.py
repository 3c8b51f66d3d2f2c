"""A three-environment repo (base + overlays) used by the diff tests."""

from __future__ import annotations


def deployment(name: str, image: str, replicas: int = 1) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: {name}
          image: {image}
"""


def overlay(env: str, replicas: int) -> dict[str, str]:
    return {
        f"web/overlays/{env}/kustomization.yaml": (
            f"resources:\n  - ../../base\nnamespace: {env}\npatches:\n  - path: replicas.yaml\n"
        ),
        f"web/overlays/{env}/replicas.yaml": (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"
            f"spec:\n  replicas: {replicas}\n"
        ),
    }


def three_envs() -> dict[str, str]:
    files = {
        "web/base/kustomization.yaml": "resources:\n  - web.yaml\n  - secret.yaml\n",
        "web/base/web.yaml": deployment("web", "nginx:1.27"),
        "web/base/secret.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n"
            "stringData:\n  password: hunter2\n  user: app\n"
        ),
    }
    for env, replicas in (("dev", 1), ("staging", 2), ("production", 3)):
        files.update(overlay(env, replicas))
    return files
