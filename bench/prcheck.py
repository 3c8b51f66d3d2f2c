"""Benchmark: `gitops-gate pr-check` beside `check --base` + `diff --base` run by hand.

A 2,000-manifest repository (4 environments x 500 Deployments, one file each, built with
kustomize), one environment changed by the pull request (a new tag on every Deployment, and
the latest tag on LATEST of them, so the check has annotations to post in batches). pr-check
posts to a local GitHub API (tests/helpers/github_server.py) and the HTTP requests it makes
are counted.
Targets: pr-check <= 1.2x the two commands together; requests <= 4 + ceil(annotations / 50).
Every command runs from an empty render cache, as a CI job starts, in interleaved rounds
(bench/_timing.py); all of them run the same pinned kustomize.
Run: `python3 -m uv run python bench/prcheck.py [ROUNDS]`.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import interleaved

from gitops_gate.tools import resolve
from tests.helpers.github_server import GitHubServer, serving

ENVIRONMENTS = ("dev", "qa", "staging", "production")
PER_ENV = 500
LATEST = 120
TOKEN = "ghs_" + "b" * 36
GIT = ["git", "-c", "user.name=b", "-c", "user.email=b@example.com"]


def deployment(env: str, i: int, tag: str) -> str:
    return (
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n"
        f"  labels: {{app: app-{i}, env: {env}}}\nspec:\n  replicas: 2\n"
        f"  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n"
        f"    metadata: {{labels: {{app: app-{i}, env: {env}}}}}\n    spec:\n      containers:\n"
        f"        - name: app\n          image: example.com/app-{i}:{tag}\n"
        "          resources: {limits: {cpu: 100m, memory: 128Mi}}\n"
    )


def write_env(root: Path, env: str, tag: str, latest: int = 0) -> None:
    folder = root / "clusters" / env
    folder.mkdir(parents=True, exist_ok=True)
    names = [f"app-{i}.yaml" for i in range(PER_ENV)]
    (folder / "kustomization.yaml").write_text(
        f"namespace: {env}\nresources:\n" + "".join(f"  - {n}\n" for n in names)
    )
    for i, name in enumerate(names):
        (folder / name).write_text(deployment(env, i, "latest" if i < latest else tag))


def make_repo(root: Path) -> tuple[str, str]:
    """main (every environment at 1.0), then a pull request changing staging; both shas."""
    for env in ENVIRONMENTS:
        write_env(root, env, "1.0")
    envs = "".join(
        f"  {e}:\n    paths: [clusters/{e}]\n    kustomization: clusters/{e}\n"
        + ("    production: true\n" if e == "production" else "")
        for e in ENVIRONMENTS
    )
    (root / ".gitops-gate.yaml").write_text(f"version: 1\nenvironments:\n{envs}")
    subprocess.run([*GIT, "init", "-q", "-b", "main", str(root)], check=True)
    base = _commit(root, "main")
    subprocess.run([*GIT, "-C", str(root), "checkout", "-q", "-b", "topic"], check=True)
    write_env(root, "staging", "1.1", latest=LATEST)
    return base, _commit(root, "the change")


def _commit(root: Path, message: str) -> str:
    subprocess.run([*GIT, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(root), "commit", "-q", "-m", message], check=True)
    out = subprocess.run([*GIT, "-C", str(root), "rev-parse", "HEAD"], capture_output=True)
    return out.stdout.decode().strip()


def environment(cache: Path, server: GitHubServer) -> dict[str, str]:
    kustomize = resolve("kustomize").path
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "BENCH_TOKEN": TOKEN}
    env["PATH"] = f"{kustomize.parent}{os.pathsep}{env.get('PATH', '')}"
    for name in ("GITHUB_EVENT_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN"):
        env.pop(name, None)
    return env


def gate(root: Path, env: dict[str, str], *args: str, ok: tuple[int, ...] = (0, 1)) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "gitops_gate", *args], cwd=root, env=env, capture_output=True
    )
    if done.returncode not in ok:
        raise SystemExit(f"{args[0]} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
    return done.stdout.decode()


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp, serving(TOKEN) as server:
        root, cache = Path(tmp) / "repo", Path(tmp) / "cache"
        root.mkdir()
        base, head = make_repo(root)
        server.add_pull(1, base_sha=base, head_sha=head)
        env = environment(cache, server)
        pr = ["pr-check", ".", "--repo", "acme/gitops", "--pr", "1", "--token-env",
              "BENCH_TOKEN", "--api-url", server.url, "--format", "json"]  # fmt: skip
        counts: list[int] = []
        annotations: list[int] = []

        def by_hand() -> None:
            gate(root, env, "check", "--base", base, ".", "--format", "json")
            gate(root, env, "diff", "--base", base, "--format", "markdown")

        def pr_check() -> None:
            before = len(server.state.requests)
            out = gate(root, env, *pr)
            counts.append(len(server.state.requests) - before)
            annotations.append(len(json.loads(out)["checkRun"]["output"]["annotations"]))

        clear = lambda: shutil.rmtree(cache, ignore_errors=True)  # noqa: E731
        gate(root, env, "--version")  # compile bytecode once, as an installed tool has it
        times = interleaved(
            {"by hand": by_hand, "pr-check": pr_check}, rounds,
            setup={"by hand": clear, "pr-check": clear},
        )  # fmt: skip
    allowed = 4 + math.ceil(max(annotations) / 50)
    ratio = times.best("pr-check") / times.best("by hand")
    print(f"{len(ENVIRONMENTS) * PER_ENV} manifests, staging changed, {os.cpu_count()} cores, "
          f"best of {rounds} interleaved rounds")  # fmt: skip
    print(f"check --base + diff --base by hand  {times.best('by hand'):6.2f}s")
    print(f"pr-check                            {times.cell('pr-check', 'by hand')}"
          f"  target <= 1.2x {'ok' if ratio <= 1.2 else 'MISS'}")  # fmt: skip
    worst = max(counts)
    print(f"HTTP requests per pr-check          {counts} for {max(annotations)} annotations"
          f"  target <= {allowed} {'ok' if worst <= allowed else 'MISS'}")  # fmt: skip


if __name__ == "__main__":
    main()
