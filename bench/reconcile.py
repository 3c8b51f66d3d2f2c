"""Benchmark: the reconciler's sync against `kubectl apply --server-side` and `kubectl diff`.

On the test control plane (pinned etcd + kube-apiserver, started here and stopped at the end):
N objects (ConfigMaps, Secrets, ServiceAccounts, Roles, RoleBindings: kinds no controller has
to act on) in 10 namespaces, each round in namespaces of its own.
- first sync: ours (plan + apply + inventory + health) vs `kubectl apply --server-side
  --validate=false -f DIR` of the same objects into the round's other namespaces.
- nothing changed: our cycle again vs `kubectl diff --server-side -f DIR`.
- 10 changed: ours vs `kubectl apply --server-side` with the same 10 objects changed.
Targets: first <= 1.0x kubectl apply; nothing changed <= 0.3x kubectl diff; 10 changed <=
0.5x kubectl apply. The gate and render are not in these rows (they are `check` and `diff`,
measured by their own benchmarks); a full `reconcile` (checkout, gate, render, plan) of the
same objects from a git repository, less its Secrets (plaintext, the gate refuses them), is
timed below the table, first and with nothing changed.
Run: `python3 -m uv run python bench/reconcile.py [N] [ROUNDS]`.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from gitops_gate.config.model import Config, Environment
from gitops_gate.reconcile.cycle import reconcile, sync_revision
from gitops_gate.reconcile.kube import Cluster
from gitops_gate.reconcile.model import Request, Status
from gitops_gate.reconcile.source import Revision
from gitops_gate.tools import install
from tests.helpers import controlplane
from tests.helpers.tree import make_repo

NAMESPACES = 10
KINDS = ("ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding")


def objects(prefix: str, n: int, version: str) -> list[dict[str, Any]]:
    """n objects over NAMESPACES namespaces named prefix-0.. (and those namespaces)."""
    out: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"{prefix}-{i}"}}
        for i in range(NAMESPACES)
    ]
    for i in range(n):
        meta = {"name": f"o-{i}", "namespace": f"{prefix}-{i % NAMESPACES}",
                "labels": {"app": f"a{i}"}}  # fmt: skip
        out.append(_body(KINDS[i % len(KINDS)], meta, f"{version}-{i}" if i < 10 else "1"))
    return out


def _body(kind: str, meta: dict[str, Any], value: str) -> dict[str, Any]:
    rbac = "rbac.authorization.k8s.io/v1"
    if kind == "ConfigMap":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "data": {"v": value}}
    if kind == "Secret":
        return {"apiVersion": "v1", "kind": kind, "metadata": meta, "stringData": {"v": value}}
    if kind == "ServiceAccount":
        meta = {**meta, "annotations": {"v": value}}
        return {"apiVersion": "v1", "kind": kind, "metadata": meta}
    if kind == "Role":
        rule = {"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"],
                "resourceNames": [value]}  # fmt: skip
        return {"apiVersion": rbac, "kind": kind, "metadata": meta, "rules": [rule]}
    subject = {"kind": "ServiceAccount", "name": f"sa-{value}", "namespace": meta["namespace"]}
    ref = {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": meta["name"]}
    return {"apiVersion": rbac, "kind": kind, "metadata": meta, "subjects": [subject],
            "roleRef": ref}  # fmt: skip


def write(folder: Path, bodies: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "all.yaml").write_text(yaml.safe_dump_all(bodies))
    return folder


def kubectl(kubeconfig: Path, *args: str | Path, ok: tuple[int, ...] = (0,)) -> None:
    argv = ["kubectl", "--kubeconfig", str(kubeconfig), *map(str, args)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"{argv[3:5]} exited {done.returncode}: {done.stderr[-500:]}")


def ours(cluster: Cluster, env: str, bodies: list[dict[str, Any]], sha: str) -> Status:
    environment = Environment(name=env, paths=("bench",), source="bench")
    rev = Revision(sha, environment, Config(root=Path()), objects=bodies)
    request = Request(Path(), env)
    result = sync_revision(rev, request, cluster=cluster, audit=lambda e: None,
                           at=datetime.now(UTC))  # fmt: skip
    if result.status is not Status.SYNCED:
        raise SystemExit(f"our sync: {result.status.value}: {result.reason}")
    return result.status


def timed(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def one_round(cluster: Cluster, kc: Path, tmp: Path, n: int, r: int) -> dict[str, float]:
    g, k = f"g{r}", f"k{r}"
    mine, theirs = objects(g, n, "1"), objects(k, n, "1")
    mine2, theirs2 = objects(g, n, "2"), objects(k, n, "2")
    d1, d2 = write(tmp / f"{k}-1", theirs), write(tmp / f"{k}-2", theirs2)
    env = f"bench{r}"
    row = {
        "first: ours": timed(lambda: ours(cluster, env, mine, "a" * 40)),
        "first: kubectl apply": timed(
            lambda: kubectl(kc, "apply", "--server-side", "--validate=false", "-f", d1)
        ),
        "no-op: ours": timed(lambda: ours(cluster, env, mine, "a" * 40)),
        "no-op: kubectl diff": timed(
            lambda: kubectl(kc, "diff", "--server-side", "-f", d1, ok=(0, 1))
        ),
        "10 changed: ours": timed(lambda: ours(cluster, env, mine2, "b" * 40)),
        "10 changed: kubectl apply": timed(
            lambda: kubectl(kc, "apply", "--server-side", "--validate=false", "-f", d2)
        ),
    }
    return row


def full_cycles(cluster: Cluster, tmp: Path, n: int) -> tuple[float, float, int]:
    """Seconds for a first and a no-op `reconcile` of a repository; how many objects."""
    bodies = [b for b in objects("full", n, "1") if b["kind"] != "Secret"]
    files = {f"envs/full/o{i}.yaml": yaml.safe_dump(b) for i, b in enumerate(bodies)}
    files[".gitops-gate.yaml"] = "environments:\n  full: {paths: [envs/full], autoSync: true}\n"
    make_repo(tmp / "repo", files)
    request = Request(tmp / "repo", "full")
    first = timed(lambda: reconcile(request, cluster=cluster, audit=lambda e: None))
    again = timed(lambda: reconcile(request, cluster=cluster, audit=lambda e: None))
    return first, again, len(bodies)


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    rounds = int(argv[1]) if len(argv) > 1 else 3
    etcd, api = (r.path for r in install(["etcd", "kube-apiserver"]))
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as tmp:
        plane = controlplane.start(Path(tmp) / "cp", etcd, api)
        try:
            cluster = Cluster.connect(plane.kubeconfig)
            rows = [one_round(cluster, plane.kubeconfig, Path(tmp), n, r) for r in range(rounds)]
            first, again, count = full_cycles(cluster, Path(tmp), n)
        finally:
            plane.stop()
    _print(rows, n, rounds)
    print(f"full reconcile of {count} objects from git: first {first:.2f}s, no-op {again:.2f}s")
    return 0


def _print(rows: list[dict[str, float]], n: int, rounds: int) -> None:
    best = {k: min(r[k] for r in rows) for k in rows[0]}
    print(f"{n} objects in {NAMESPACES} namespaces, best of {rounds} rounds")
    print("| case | ours | kubectl | ratio | target |")
    print("| --- | --- | --- | --- | --- |")
    for case, peer, target in (("first", "kubectl apply", 1.0), ("no-op", "kubectl diff", 0.3),
                               ("10 changed", "kubectl apply", 0.5)):  # fmt: skip
        a, b = best[f"{case}: ours"], best[f"{case}: {peer}"]
        print(f"| {case} | {a:.2f}s | {b:.2f}s ({peer}) | {a / b:.2f}x | <= {target}x |")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
