"""Benchmark: `gitops-gate check` on ever bigger generated repos, its wall time and peak memory.

Run: `python3 -m uv run python bench/scale.py [COUNT ...]` (prints a table; default 2,500 /
5,000 / 10,000 / 20,000 resources; needs the pinned tools, `gitops-gate tools install`).
Target: peak RSS under 300 MB at 20,000 resources, and time growing linearly. `check` runs as
a subprocess, once with the built-in engines, where every byte measured is ours (the process
and the children it forks for the secrets scan), and once with kubeconform and conftest, where
our process's peak and the largest process's (a tool's) are told apart. Each size runs ROUNDS
times, in turns (bench/_timing.py); the table gives the best time and the largest peak.
Every run is a cold one: it gets a cache folder of its own, with only the downloaded schemas
and CRDs and the pinned tools of the real one linked in, so no result cache is ever warm.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import generate

from gitops_gate.cachedir import cache_root

SIZES = (2_500, 5_000, 10_000, 20_000)
ROUNDS = 2
ENGINES = ("builtin", "subprocess")


def check_once(root: Path, engine: str) -> tuple[float, float, float]:
    """Seconds, our process's peak RSS and the largest process's (MB) of one `gitops-gate
    check` of root in a fresh process.

    RUSAGE_CHILDREN gives the largest finished descendant, not the sum: a new Python runs the
    check so that the peaks of earlier, bigger ones do not hide this one's.
    """
    argv = [sys.executable, "-c", _MEASURE, str(root), engine]
    with tempfile.TemporaryDirectory() as cache:
        ours = Path(cache) / "gitops-gate"
        ours.mkdir()
        for kept in ("schemas", "crds", "tools"):
            if (cache_root() / kept).exists():
                (ours / kept).symlink_to(cache_root() / kept)
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=True, env=env)
        own, largest = done.stdout.split()[-2:]
        return time.perf_counter() - started, float(own), float(largest)


# Runs in the fresh Python: check in a child of its own, which reports its own peak as it
# exits (forked children and tools aside); then that and the largest descendant's, in MB.
_SELF = """
import atexit, resource, runpy, sys
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
atexit.register(lambda: print("self-peak", peak(), file=sys.stderr))
sys.argv = ["gitops-gate", *sys.argv[1:]]
runpy.run_module("gitops_gate", run_name="__main__")
"""
_MEASURE = f"""
import resource, subprocess, sys
argv = [sys.executable, "-c", {_SELF!r}, "check", "--quiet", "--engine", sys.argv[2], sys.argv[1]]
done = subprocess.run(argv, capture_output=True, text=True, check=False)
if done.returncode not in (0, 1):  # 2 usage, 3 environment: nothing was checked
    sys.exit(f"gitops-gate check exited {{done.returncode}}: {{done.stderr[-500:]}}")
own = int(done.stderr.rpartition("self-peak ")[2].split()[0])
print(own / 1024, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or list(SIZES)
    runs: dict[tuple[int, str], list[tuple[float, float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        roots = {n: generate(Path(tmp) / str(n), n) for n in sizes}
        for _ in range(ROUNDS):
            for n in sizes:
                for engine in ENGINES:
                    runs.setdefault((n, engine), []).append(check_once(roots[n], engine))
    print(
        "| resources | built-in engines: s | peak MB (KB per resource) "
        "| kubeconform + conftest: s | our process MB | largest process MB |"
    )
    print("|---|---|---|---|---|---|")
    for n in sizes:
        b, t = runs[(n, "builtin")], runs[(n, "subprocess")]
        peak = max(r[2] for r in b)
        print(
            f"| {n:,} | {min(r[0] for r in b):.1f} | {peak:.0f} ({peak * 1024 / n:.1f}) "
            f"| {min(r[0] for r in t):.1f} | {max(r[1] for r in t):.0f} "
            f"| {max(r[2] for r in t):.0f} |"
        )
    print(
        f"\nbest time and largest peak of {ROUNDS} rounds, every run cold; with the built-in"
        " engines every byte is our process's (forked secrets scans included)."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
