"""Benchmark: a hook on one changed file in a repo of 2,000 manifests (target: under a second).

Run: `python3 -m uv run python bench/hooks.py [--no-bytecode]` (prints a table). Each row is
the wall time of the command a hook runs, as a subprocess (interpreter start-up included, as
pre-commit pays it), best and median of REPEATS runs, next to the same check over the whole
repo: what a hook without affected-file selection would cost.

gitops-gate runs as an installed tool does, from bytecode compiled once before timing (as
bench/diff.py does): an inherited PYTHONDONTWRITEBYTECODE would otherwise make every run
compile gitops-gate and its dependencies from source first (~0.6 s of CPU for a `check`
hook). `--no-bytecode` keeps the inherited setting and measures that.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import import_module
from pathlib import Path
from typing import Any

REPEATS = 5
APPS = 400  # x 4 manifests in base/ = 1,600
# Not production by name, so Flux objects that sync on their own break no policy.
ENVIRONMENTS = ("dev", "staging", "qa", "perf")
PATCHES = 100  # per environment: 400 more manifests

_KUSTOMIZATION = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"


def _app(i: int) -> dict[str, str]:
    ns = f"team-{i % 17}"
    meta = f"metadata:\n  name: app-{i}\n  namespace: {ns}\n  labels: {{app: app-{i}}}\n"
    deployment = (
        f"apiVersion: apps/v1\nkind: Deployment\n{meta}spec:\n  replicas: 2\n"
        f"  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: app-{i}}}}}\n    spec:\n"
        "      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n"
        "      containers:\n"
        f"        - name: app\n          image: registry.example.com/app-{i}:1.{i % 30}.0\n"
        "          resources:\n            requests: {cpu: 50m, memory: 64Mi}\n"
        "            limits: {cpu: 200m, memory: 128Mi}\n"
        "          securityContext: {allowPrivilegeEscalation: false, "
        "capabilities: {drop: [ALL]}}\n"
    )
    service = (
        f"apiVersion: v1\nkind: Service\n{meta}spec:\n  selector: {{app: app-{i}}}\n"
        "  ports: [{port: 80, targetPort: 8080}]\n"
    )
    config = f"apiVersion: v1\nkind: ConfigMap\n{meta}data:\n  MODE: fast\n  RETRIES: '{i % 7}'\n"
    account = f"apiVersion: v1\nkind: ServiceAccount\n{meta}"
    base = f"base/app-{i}"
    names = ("deployment.yaml", "service.yaml", "configmap.yaml", "serviceaccount.yaml")
    return {
        f"{base}/deployment.yaml": deployment,
        f"{base}/service.yaml": service,
        f"{base}/configmap.yaml": config,
        f"{base}/serviceaccount.yaml": account,
        f"{base}/kustomization.yaml": _KUSTOMIZATION
        + "resources:\n"
        + "".join(f"  - {n}\n" for n in names),
    }


def _environment(env: str, n: int) -> dict[str, str]:
    # Every environment runs app-0 (a shared base); the others are spread across them.
    apps = [0, *range(1 + n, APPS, len(ENVIRONMENTS))][:PATCHES]
    files = {
        f"clusters/{env}/patches/app-{i}.yaml": (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n"
            f"  namespace: team-{i % 17}\nspec:\n  replicas: {n + 1}\n"
        )
        for i in apps
    }
    files[f"clusters/{env}/kustomization.yaml"] = (
        _KUSTOMIZATION
        + "resources:\n"
        + "".join(f"  - ../../base/app-{i}\n" for i in apps)
        + "patches:\n"
        + "".join(f"  - path: patches/app-{i}.yaml\n" for i in apps)
    )
    return files


def _flux(env: str) -> dict[str, str]:
    """A Flux Kustomization per environment: the dependency graph is then needed."""
    return {
        f"flux/{env}/apps.yaml": (
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
            f"metadata: {{name: apps, namespace: flux-system}}\nspec:\n  interval: 10m\n"
            f"  path: ./clusters/{env}\n  prune: true\n"
            "  sourceRef: {kind: GitRepository, name: repo}\n"
        )
    }


def make_repo(root: Path, *, flux: bool) -> int:
    files: dict[str, str] = {}
    for i in range(APPS):
        files.update(_app(i))
    for n, env in enumerate(ENVIRONMENTS):
        files.update(_environment(env, n))
        files.update(_flux(env) if flux else {})
    flux_path = ", flux/{env}" if flux else ""
    envs = "".join(
        f"  {env}:\n    paths: [clusters/{env}{flux_path.format(env=env)}]\n"
        f"    kustomization: clusters/{env}\n"
        for env in ENVIRONMENTS
    )
    files[".gitops-gate.yaml"] = f"version: 1\nenvironments:\n{envs}"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git = ["git", "-c", "user.name=b", "-c", "user.email=b@example.com"]
    subprocess.run([*git, "init", "-q", str(root)], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", "bench"], check=True)
    return sum(1 for rel in files if not rel.endswith("kustomization.yaml") and "/" in rel)


def gate_env(pyc: Path | None) -> dict[str, str]:
    """The hook's environment; with pyc, the bytecode of what it imports is kept there."""
    env = {**os.environ, "NO_COLOR": "1"}
    if pyc is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pyc)
    return env


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int]:
    """Best and median wall time, median CPU time (the run and its children: conftest,
    kustomize, git), and the worst exit code. The CPU column is what to compare on a shared
    machine, where wall time also counts the other users' turns."""
    if "PYTHONPYCACHEPREFIX" in env:  # one untimed run compiles what this command imports
        subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    times, cpus, code = [], [], 0
    for _ in range(REPEATS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(sum(getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime")))
        code = max(code, done.returncode)  # the worst run's exit code
    return min(times), statistics.median(times), statistics.median(cpus), code


def main(pyc: Path | None) -> None:
    gate = [sys.executable, "-m", "gitops_gate"]
    leaf = "clusters/staging/patches/app-2.yaml"  # staging runs app-0, app-2, app-6, ...
    shared = "base/app-0/deployment.yaml"
    env = gate_env(pyc)
    how = "bytecode" if pyc is not None else "no bytecode: compiled from source every run"
    print(f"{REPEATS} runs each; wall time of a subprocess, as pre-commit runs a hook ({how})\n")
    print("| repo | what runs | best s | median s | CPU s (median) | exit |")
    print("|---|---|---|---|---|---|")
    for flux in (False, True):
        with tempfile.TemporaryDirectory(prefix="bench-hooks-") as tmp:
            root = Path(tmp)
            manifests = make_repo(root, flux=flux)
            for rel in (leaf, shared):  # a missing one would measure a deleted file instead
                assert (root / rel).is_file(), rel
            name = f"{manifests} manifests" + (", Flux" if flux else ", kustomize only")
            rows = [("interpreter + CLI start (`--version`)", [*gate, "--version"])]
            for check in ("validate", "policy", "secrets", "check"):
                rows.append(
                    (f"hook `{check}`, one overlay file", [*gate, "hooks", "run", check, leaf])
                )
            rows.append(
                ("hook `check`, a base all 4 envs use", [*gate, "hooks", "run", "check", shared])
            )
            for check in ("validate", "policy", "check"):
                rows.append((f"peer: `{check}` on the whole repo", [*gate, check, "."]))
            for label, argv in rows:
                best, median, cpu, code = timed(argv, root, env)
                print(f"| {name} | {label} | {best:.2f} | {median:.2f} | {cpu:.2f} | {code} |")


def stages() -> None:
    """Where a hook's selection time goes, in-process, on the Flux repo (run in a fresh process:
    the import row is only meaningful before anything imported the graph)."""
    from gitops_gate.config import load_config
    from gitops_gate.hooks import affected

    scanned: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="bench-hooks-") as tmp:
        root = Path(tmp)
        make_repo(root, flux=True)
        config = load_config(root)
        changed = ["base/app-0/deployment.yaml"]
        print("\n| stage (Flux repo, one changed base) | s |\n|---|---|")
        rows = [
            (
                "kustomize walk (affected_by_kustomize_references)",
                lambda: affected.affected_by_kustomize_references(root, changed, config),
            ),
            ("import gitops_gate.graph", lambda: __import__("gitops_gate.graph")),
            (
                "graph: quick scan (walk, read, parse GitOps files)",
                lambda: scanned.append(import_module("gitops_gate.graph.scan").scan(root, config)),
            ),
            (
                "graph: build + affected_environments",
                lambda: (
                    import_module("gitops_gate.graph")
                    .build(scanned[0], config)
                    .affected_environments(changed)
                ),
            ),
            (
                "all of the hook's selection (_reached: graph, kustomize walk for deleted files)",
                lambda: affected._reached(root, changed, config),
            ),
        ]
        for label, fn in rows:
            start = time.perf_counter()
            fn()
            print(f"| {label} | {time.perf_counter() - start:.3f} |")


if __name__ == "__main__":
    if sys.argv[1:] == ["--stages"]:
        stages()
    elif "--no-bytecode" in sys.argv:
        main(None)
        subprocess.run([sys.executable, __file__, "--stages"], check=True)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-hooks-pyc-") as pyc:
            main(Path(pyc))
        subprocess.run([sys.executable, __file__, "--stages"], check=True)
