"""Benchmark: `gitops-gate diff` against a shell-style script that builds every environment.

N environments x M resources. Commits: c0, c1 (one environment changed), c2 (another changed).
- script: `git worktree add` both refs, `kustomize build` every environment at both, in sequence.
- cold: `gitops-gate diff --base c0 --head c1 --all` with an empty render cache.
  Every timed row is the best of 3 runs (cold ones each from an empty cache again), so one
  run slowed by another process on the machine does not decide a row.
- warm: `gitops-gate diff --base c1 --head c2 --all` after the cold run: one environment changed.
  Each warm run starts from the cache as the cold run left it, so every one renders the
  changed environment (a repeat would find it cached too and measure an all-cached diff).
Targets: cold <= 0.6x the script (2 cores); warm <= (1/N + 0.1)x. Prints a table.

Both sides run the same pinned kustomize binary (the render cache is isolated with
XDG_CACHE_HOME, which would otherwise also hide the tool cache and make gitops-gate fall back
to the slower `kubectl kustomize`). gitops-gate runs as an installed tool does, from bytecode
compiled once before timing; `--no-bytecode` keeps an inherited PYTHONDONTWRITEBYTECODE, so
every run compiles ~550 modules from source first.
Run: `python3 -m uv run python bench/diff.py [N] [M] [--no-bytecode]`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import git

from gitops_gate.tools import resolve

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def resource(env: str, i: int, tag: str) -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{i}
  labels: {{env: {env}}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: app-{i}}}}}
  template:
    metadata: {{labels: {{app: app-{i}}}}}
    spec:
      containers:
        - name: app
          image: example.com/app-{i}:{tag}
          resources: {{limits: {{cpu: 100m, memory: 128Mi}}}}
---
apiVersion: v1
kind: Service
metadata: {{name: app-{i}}}
spec:
  selector: {{app: app-{i}}}
  ports: [{{port: 80}}]
"""


def write_env(root: Path, env: str, m: int, tag: str) -> None:
    folder = root / "apps" / "overlays" / env
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"r{i}.yaml" for i in range(m)]
    (folder / "kustomization.yaml").write_text(
        f"namespace: {env}\ncommonLabels: {{team: t}}\nresources:\n"
        + "".join(f"  - {n}\n" for n in names)
    )
    for i, n in enumerate(names):
        (folder / n).write_text(resource(env, i, tag))


def make_repo(root: Path, n: int, m: int) -> git.Repo:
    os.environ.update(GIT_ENV)
    repo = git.Repo.init(root, initial_branch="main")
    envs = [f"env{i:02d}" for i in range(n)]
    for e in envs:
        write_env(root, e, m, "1.0")
    repo.git.add("-A")
    repo.index.commit("c0")
    for c, e in (("c1", envs[0]), ("c2", envs[1])):
        write_env(root, e, m, c)
        repo.git.add("-A")
        repo.index.commit(c)
    return repo


def script(repo: git.Repo, kustomize: Path, base: str, head: str, n: int) -> float:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for ref in (base, head):
            wt = Path(tmp) / ref.replace("~", "_")
            repo.git.worktree("add", "--detach", "--quiet", str(wt), ref)
            for i in range(n):
                folder = wt / "apps" / "overlays" / f"env{i:02d}"
                subprocess.run([kustomize, "build", folder], check=True, capture_output=True)
            repo.git.worktree("remove", "--force", str(wt))
    return time.perf_counter() - start


def gate_env(cache: Path, kustomize: Path, pyc: Path | None) -> dict[str, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    env["PATH"] = f"{kustomize.parent}{os.pathsep}{env.get('PATH', '')}"
    if pyc is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pyc)
        imports = (
            "import gitops_gate.cli, gitops_gate.diff.api, gitops_gate.commands.diff,"
            " gitops_gate.report.json, gitops_gate.tools"
        )
        subprocess.run([sys.executable, "-c", imports], env=env, check=True)
    return env


def gate(root: Path, base: str, head: str, env: dict[str, str], cache: Path | None = None) -> float:
    """One timed run; with cache, the render cache is first reset to that saved copy."""
    if cache is not None:
        live = Path(env["XDG_CACHE_HOME"])
        shutil.rmtree(live, ignore_errors=True)
        shutil.copytree(cache, live)
    argv = [sys.executable, "-m", "gitops_gate", "diff", "--base", base, "--head", head, "--all"]
    start = time.perf_counter()
    done = subprocess.run([*argv, "--format", "json"], cwd=root, env=env, capture_output=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr.decode())
    return took


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 20
    m = int(args[1]) if len(args) > 1 else 100
    bytecode = "--no-bytecode" not in sys.argv
    kustomize = resolve("kustomize").path
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        repo = make_repo(root, n, m)
        env = gate_env(Path(tmp) / "cache", kustomize, Path(tmp) / "pyc" if bytecode else None)
        s1 = min(script(repo, kustomize, "main~2", "main~1", n) for _ in range(3))
        empty = Path(tmp) / "cache-empty"
        empty.mkdir()
        cold = min(gate(root, "main~2", "main~1", env, empty) for _ in range(3))
        after_cold = Path(tmp) / "cache-after-cold"
        shutil.copytree(env["XDG_CACHE_HOME"], after_cold)
        s2 = min(script(repo, kustomize, "main~1", "main", n) for _ in range(3))
        warm = min(gate(root, "main~1", "main", env, after_cold) for _ in range(3))
    rows = [
        ("sequential script, c0 vs c1", s1, 1.0, None),
        ("gitops-gate cold, c0 vs c1", cold, cold / s1, 0.6),
        ("sequential script, c1 vs c2", s2, 1.0, None),
        ("gitops-gate warm, c1 vs c2", warm, warm / s2, 1 / n + 0.1),
    ]
    how = "bytecode" if bytecode else "no bytecode: compiled from source every run"
    print(f"{n} environments x {m} resources ({2 * m} objects each), {os.cpu_count()} cores, {how}")
    print(f"{'run':32} {'seconds':>8} {'ratio':>7} {'target':>8}")
    for name, secs, ratio, target in rows:
        mark = (
            "" if target is None else f"<= {target:.2f}" + (" ok" if ratio <= target else " MISS")
        )
        print(f"{name:32} {secs:8.2f} {ratio:6.2f}x {mark:>8}")


if __name__ == "__main__":
    main()
