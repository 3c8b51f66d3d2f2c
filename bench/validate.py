"""Benchmark: schema validation, kubeconform alone against gitops-gate's backends, side by side.

Run: `python3 -m uv run python bench/validate.py` (prints a table; needs the pinned kubeconform,
`gitops-gate tools install`). Targets: kubeconform backend <= 1.15x kubeconform alone;
built-in <= 3x; warm cache <= 0.2x. gitops-gate's columns include loading the YAML (the warm
column skips files whose bytes and schema set are unchanged: that is what it measures). The
columns run in turns, ROUNDS rounds (bench/_timing.py); each cell gives the best run and both
ratios, best to best and median to median, peers side by side in one process, on the same
files and the same schemas: kubeconform alone is given the Kubernetes version and schema locations
gitops-gate uses, CRDs included, so it validates custom resources too instead of only
reporting their schemas missing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import generate
from _timing import interleaved

from gitops_gate import tools
from gitops_gate.config import load_config
from gitops_gate.manifests.loader import load
from gitops_gate.validate.options import from_config
from gitops_gate.validate.paths import validate_paths
from gitops_gate.validate.run import crds_for, make_store
from gitops_gate.validate.store import SchemaStore

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROUNDS = 9


def kubeconform_alone(binary: Path, root: Path, store: SchemaStore) -> None:
    argv = [str(binary), "-summary", "-kubernetes-version", store.k8s_version]
    for loc in store.locations():
        argv += ["-schema-location", loc]
    subprocess.run([*argv, str(root)], capture_output=True, check=False)


def our_store(root: Path) -> SchemaStore:
    """The schema set gitops-gate validates root against: its Kubernetes kinds and CRDs."""
    config = load_config(root)
    options = from_config(config, crd_dirs=_crds())
    return make_store(crds_for(load([root], root=root).resources, options, config), options)


def ours(root: Path, engine: str, cache_dir: Path | None) -> None:
    overrides = {"cache": cache_dir is not None, "cache_dir": cache_dir, "crd_dirs": _crds()}
    validate_paths([root], engine=engine, overrides=overrides)


def _crds() -> tuple[Path, ...]:
    return (SHARED / "crds",)


def row(name: str, root: Path, binary: Path, tmp: Path) -> str:
    # Warm the schema folder (all kinds, once per version) and the CRD cache once, so every
    # column reads the same files from disk and none pays a one-time write.
    ours(root, "builtin", None)
    ours(root, "subprocess", None)
    store = our_store(root)
    warm_dir = tmp / f"warm-{name}"
    ours(root, "builtin", warm_dir)
    timings = interleaved(
        {
            "alone": lambda: kubeconform_alone(binary, root, store),
            "kubeconform": lambda: ours(root, "subprocess", None),
            "builtin": lambda: ours(root, "builtin", None),
            "warm": lambda: ours(root, "builtin", warm_dir),
        },
        ROUNDS,
    )
    cells = [f"{timings.best('alone'):.2f}s"]
    cells += [timings.cell(column, "alone") for column in ("kubeconform", "builtin", "warm")]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> None:
    binary = tools.resolve("kubeconform").path
    print(
        "| corpus | kubeconform alone | gitops-gate + kubeconform | gitops-gate built-in "
        "| gitops-gate warm cache |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        generated = generate(Path(tmp) / "generated")
        print(row("generated 5,000", generated, binary, Path(tmp)), flush=True)
        for corpus in sorted((SHARED / "corpora").iterdir()):
            print(row(corpus.name, corpus, binary, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
