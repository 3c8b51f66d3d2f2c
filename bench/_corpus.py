"""Generated benchmark corpora: resources of mixed kinds, spread over files like a real repo."""

from __future__ import annotations

from pathlib import Path

_KINDS = ("deployment", "service", "configmap", "statefulset", "cronjob")


def _deployment(i: int, kind: str) -> str:
    return f"""apiVersion: apps/v1
kind: {kind}
metadata:
  name: app-{i}
  namespace: team-{i % 17}
  labels: {{app.kubernetes.io/name: app-{i}, tier: backend}}
spec:
  replicas: {i % 5 + 1}
  selector:
    matchLabels: {{app.kubernetes.io/name: app-{i}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: app-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/team/app-{i}:1.{i % 30}.0
          ports: [{{containerPort: 8080}}]
          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: DB_HOST, value: db-{i}.svc}}
          resources:
            requests: {{cpu: 100m, memory: 128Mi}}
            limits: {{cpu: "1", memory: 512Mi}}
"""


def _service(i: int) -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: app-{i}
  namespace: team-{i % 17}
spec:
  selector: {{app.kubernetes.io/name: app-{i}}}
  ports:
    - {{port: 80, targetPort: 8080, protocol: TCP}}
"""


def _configmap(i: int) -> str:
    return f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: app-{i}-config
  namespace: team-{i % 17}
data:
  settings.yaml: |
    feature_a: true
    retries: {i % 7}
  MODE: production
"""


def _cronjob(i: int) -> str:
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: job-{i}
  namespace: team-{i % 17}
spec:
  schedule: "*/{i % 50 + 5} * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: registry.example.com/team/job-{i}:2.{i % 9}.1
              args: [--once, --verbose]
"""


def resource(i: int) -> str:
    kind = _KINDS[i % len(_KINDS)]
    if kind == "deployment":
        return _deployment(i, "Deployment")
    if kind == "statefulset":
        return _deployment(i, "StatefulSet")
    if kind == "service":
        return _service(i)
    if kind == "configmap":
        return _configmap(i)
    return _cronjob(i)


def generate(root: Path, count: int = 5000, per_file: int = 10) -> Path:
    """Write count resources, per_file documents a file, under root/apps/<team>/; return root."""
    for start in range(0, count, per_file):
        docs = [resource(i) for i in range(start, min(start + per_file, count))]
        path = root / "apps" / f"team-{start % 17}" / f"bundle-{start // per_file:04d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("---\n".join(docs))
    return root
