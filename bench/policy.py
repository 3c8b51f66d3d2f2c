"""Benchmark: policies, conftest alone against gitops-gate's engines and full check, side by side.

Run: `python3 -m uv run python bench/policy.py` (needs the pinned conftest and kubeconform:
`gitops-gate tools install`). Targets: conftest engine <= 1.15x conftest alone; `check`
(schema, policy and secrets concurrently) <= 0.8x kubeconform then conftest in sequence.
gitops-gate's columns include loading the YAML; the built-in engine is reported as measured
(on 5,000 resources, once, after the rounds).
The other columns run in turns, round after round (bench/_timing.py); each cell gives the best
run and both ratios, best to best and median to median.
Every `check` run starts from an empty schema result cache: a cold run, as the peers' are.
gitops-gate runs as an installed tool does, from bytecode compiled on first use (this matters
for `check`, whose secrets scan imports detect-secrets in a forked child every run);
`--no-bytecode` keeps an inherited PYTHONDONTWRITEBYTECODE.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import generate
from _timing import interleaved

from gitops_gate import tools
from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load
from gitops_gate.policy.context import policy_data
from gitops_gate.policy.run import evaluate
from gitops_gate.policy.source import load_policies

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROUNDS = 9


def peer_inputs(root: Path, work: Path) -> tuple[Path, Path]:
    """The same policy modules and data for conftest alone, written once outside the timing."""
    policies = work / "policies"
    policies.mkdir(exist_ok=True)
    for n, f in enumerate(load_policies(root).files):
        (policies / f"{n:03d}_{Path(f.path).name}").write_text(f.text)
    data = work / "data.json"
    data.write_text(json.dumps(policy_data(load_config(root)).with_current("")))
    return policies, data


def manifest_files(root: Path) -> list[str]:
    """The files our loader reads as manifests: conftest alone fails on Helm templates."""
    from gitops_gate.manifests.model import FileKind

    loaded = load([root], root=root)
    return [str(root / f.path) for f in loaded.files if f.kind == FileKind.MANIFESTS]


def conftest_alone(binary: Path, files: list[str], policies: Path, data: Path) -> None:
    argv = [str(binary), "test", "--all-namespaces", "--no-fail", "-o", "json"]
    subprocess.run([*argv, "-p", str(policies), "-d", str(data), *files], capture_output=True)


def ours(root: Path, engine: str) -> None:
    config = load_config(root)
    loaded = load([root], root=root)
    evaluate(load_policies(root), loaded.resources, config, engine=engine)


def peers_in_sequence(
    kubeconform: Path, conftest: Path, root: Path, files: list[str], p: Path, d: Path
) -> None:
    """kubeconform over the tree, then conftest over the manifest files (listed beforehand,
    untimed: the peers are not charged for our loader picking them)."""
    from gitops_gate.validate.store import SchemaStore

    argv = [str(kubeconform), "-summary", "-ignore-missing-schemas"]
    for loc in SchemaStore("1.33", False).locations():
        argv += ["-schema-location", loc]
    subprocess.run([*argv, str(root)], capture_output=True, check=False)
    conftest_alone(conftest, files, p, d)


def full_check(root: Path) -> None:
    from gitops_gate import api

    api.check([root], root=root)


def forget_results() -> None:
    """Empty the schema result cache, so every timed check is a cold one as the peers' runs
    are (the downloaded Kubernetes schemas stay: kubeconform alone reads them too)."""
    from gitops_gate.cachedir import cache_root

    shutil.rmtree(cache_root() / "results", ignore_errors=True)


def row(name: str, root: Path, work: Path) -> str:
    conftest = tools.resolve("conftest").path
    policies, data = peer_inputs(root, work)
    files = manifest_files(root)
    kubeconform = tools.resolve("kubeconform").path
    small = len(files) < 200
    columns = {
        "alone": lambda: conftest_alone(conftest, files, policies, data),
        "engine": lambda: ours(root, "subprocess"),
        "peers": lambda: peers_in_sequence(kubeconform, conftest, root, files, policies, data),
        "check": lambda: full_check(root),
    }
    if small:
        columns["builtin"] = lambda: ours(root, "builtin")
    # 5,000 resources: 30 s a round, and the built-in engine alone 10 s: 3 rounds, without it.
    timings = interleaved(columns, ROUNDS if small else 3, setup={"check": forget_results})
    if small:
        builtin = timings.cell("builtin", "alone")
    else:
        started = time.perf_counter()
        ours(root, "builtin")
        seconds = time.perf_counter() - started
        builtin = f"{seconds:.2f}s ({seconds / timings.best('alone'):.2f}x, one run)"
    cells = [f"{timings.best('alone'):.2f}s", timings.cell("engine", "alone"), builtin]
    cells += [f"{timings.best('peers'):.2f}s", timings.cell("check", "peers")]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    if "--no-bytecode" not in sys.argv:
        sys.dont_write_bytecode = False
        sys.pycache_prefix = tempfile.mkdtemp(prefix="gitops-gate-pyc-")
    print(
        "| corpus | conftest alone | gitops-gate conftest engine | gitops-gate built-in engine "
        "| kubeconform then conftest | gitops-gate check |"
    )
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(Path(tmp) / "generated")
        work = Path(tmp) / "work-generated"
        work.mkdir()
        print(row("generated 5,000", generated, work), flush=True)
        for corpus in sorted((SHARED / "corpora").iterdir()):
            work = Path(tmp) / f"work-{corpus.name}"
            work.mkdir()
            print(row(corpus.name, corpus, work), flush=True)


if __name__ == "__main__":
    main()
