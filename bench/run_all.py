"""Run every benchmark in bench/ and rewrite README's benchmark section from what they print.

Run: `python3 -m uv run python bench/run_all.py [--only NAME ...] [--quick] [--dry-run]
[--readme PATH] [--timeout S]`. Each benchmark runs as its own process (as by hand), one at a
time, and its output (markdown tables) replaces the part of README between
`<!-- bench:NAME start -->` and `<!-- bench:NAME end -->` (bench/_readme.py); the prose around
is kept. Two more parts, `machine` and `peers`, say where the figures were taken and which
peer versions ran. A benchmark whose needs are missing (the pinned tools, ../shared corpora,
kubectl, a PostgreSQL server) or that fails is skipped, says why, and leaves its old part as it
was. `--quick` runs each at a small size to prove the plumbing: its figures are not the
targets' sizes, and its parts say so. `--dry-run` prints what would run and what would be
skipped, and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _readme import rewrite

from gitops_gate.tools import find
from gitops_gate.tools.doctor import doctor

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED = ROOT.parent / "shared"
PEERS = ("kubeconform", "conftest", "kustomize", "gitleaks", "etcd", "kube-apiserver")


@dataclass(frozen=True)
class Benchmark:
    """One script in bench/, its arguments at full and at quick size, and what it needs."""

    name: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()
    tools: tuple[str, ...] = ()
    needs: tuple[str, ...] = field(default=())  # keys of NEEDS

    @property
    def script(self) -> Path:
        return BENCH / f"{self.name}.py"


def _has_postgres() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or bool(shutil.which("initdb"))


# What a benchmark may need besides pinned tools: a check, and what to say when it fails.
NEEDS: dict[str, tuple[Callable[[], bool], str]] = {
    "shared": (lambda: (SHARED / "corpora").is_dir(), f"no corpora at {SHARED / 'corpora'}"),
    "kubectl": (lambda: shutil.which("kubectl") is not None, "kubectl is not on PATH"),
    "postgres": (_has_postgres, "no PostgreSQL server binaries (initdb)"),
}

BENCHMARKS = (
    Benchmark("load", quick=()),
    Benchmark("validate", tools=("kubeconform",), needs=("shared",)),
    Benchmark("policy", tools=("conftest", "kubeconform"), needs=("shared",)),
    Benchmark("diff", ("10", "50"), ("3", "10"), tools=("kustomize",)),
    Benchmark("hooks", tools=("kubeconform", "conftest")),
    Benchmark("fastpaths", quick=("3", "hook"), needs=("shared",)),
    Benchmark("scale", quick=("1000",), tools=("kubeconform", "conftest")),
    Benchmark("audit", ("100000", "--postgres"), ("5000", "--postgres"), needs=("postgres",)),
    Benchmark("prcheck", ("3",), ("1",), tools=("kustomize",)),
    Benchmark(
        "reconcile", ("1000", "3"), ("100", "1"), ("etcd", "kube-apiserver"), needs=("kubectl",)
    ),
)


def missing(bench: Benchmark) -> str | None:
    """Why bench cannot run here, or None."""
    if not bench.script.is_file():
        return f"{bench.script.name} is not in bench/"
    for name in bench.needs:
        check, reason = NEEDS[name]
        if not check():
            return reason
    absent = [tool for tool in bench.tools if find(tool) is None]
    if absent:
        return f"pinned {', '.join(absent)} not installed (run `gitops-gate tools install`)"
    return None


def command(bench: Benchmark, *, quick: bool) -> list[str]:
    return [sys.executable, str(bench.script), *(bench.quick if quick else bench.args)]


def shown(argv: Sequence[str]) -> str:
    """argv as a person would type it from the repo root."""
    return " ".join(["python", str(Path(argv[1]).relative_to(ROOT)), *argv[2:]])


@dataclass
class Outcome:
    name: str
    status: str  # "ran", "skipped", "failed"
    detail: str = ""
    body: str = ""


def run(bench: Benchmark, *, quick: bool, timeout: float) -> Outcome:
    argv = command(bench, quick=quick)
    load = os.getloadavg()[0]
    began = time.monotonic()
    try:
        done = subprocess.run(
            argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return Outcome(bench.name, "failed", f"timed out after {timeout:.0f}s")
    took = time.monotonic() - began
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no stderr)"]
        return Outcome(bench.name, "failed", f"exit {done.returncode}: {tail[0]}")
    small = quick and bench.quick != bench.args  # a benchmark with no quick size ran in full
    size = " (--quick: a small size to prove the plumbing, not the targets')" if small else ""
    head = f"`{shown(argv)}`{size}, {_today()}, {took:.0f} s, load average {load:.1f} at its start:"
    return Outcome(bench.name, "ran", f"{took:.0f}s", f"{head}\n\n{as_markdown(done.stdout)}")


def as_markdown(output: str) -> str:
    """output as it is when it holds a markdown table; else fenced, so its columns stay aligned."""
    lines = output.strip().splitlines()
    if not any(line.startswith("|") for line in lines):
        return "```text\n" + "\n".join(lines) + "\n```"
    # A table needs a blank line on each side: a text line after it would be read as a row.
    out: list[str] = []
    for line in lines:
        if out and out[-1].strip() and out[-1].startswith("|") != line.startswith("|"):
            out.append("")
        out.append(line)
    return "\n".join(out)


def _today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def machine() -> str:
    """The machine part: cores, memory, Python, OS, and how loaded it was at the start."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return "\n".join(
        [
            "| machine | |",
            "|---|---|",
            f"| cores | {os.cpu_count()} |",
            f"| memory | {_memory_gb():.1f} GB |",
            f"| Python | {platform.python_version()} ({platform.python_implementation()}) |",
            f"| OS | {_os_name()} ({platform.machine()}) |",
            f"| load average at the start of the run (1, 5, 15 min) | {load} |",
            f"| date | {_today()} |",
        ]
    )


def _memory_gb() -> float:
    meminfo = Path("/proc/meminfo")
    for line in meminfo.read_text().splitlines() if meminfo.is_file() else ():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3


def _os_name() -> str:
    release = Path("/etc/os-release")
    for line in release.read_text().splitlines() if release.is_file() else ():
        if line.startswith("PRETTY_NAME="):
            name = line.split("=", 1)[1].strip('"')
            return f"{name}, {platform.system()} {platform.release()}"
    return platform.platform()


def peers() -> str:
    """The peers part: each pinned tool's wanted and found version, and kubectl's."""
    rows = ["| peer | pinned | found |", "|---|---|---|"]
    for row in doctor():
        if row.tool in PEERS:
            rows.append(f"| {row.tool} | {row.wanted} | {row.found or 'not installed'} |")
    rows.append(f"| kubectl | (not pinned) | {_kubectl_version()} |")
    return "\n".join(rows)


def _kubectl_version() -> str:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return "not on PATH"
    argv = [kubectl, "version", "--client", "-o", "json"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)
    try:
        return str(json.loads(done.stdout)["clientVersion"]["gitVersion"])
    except (ValueError, KeyError):
        return "unreadable"


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [b.name for b in BENCHMARKS]
    only = f"run only this benchmark (repeatable): {', '.join(names)}"
    parser.add_argument("--only", action="append", choices=names, metavar="NAME", help=only)
    parser.add_argument("--quick", action="store_true", help="small sizes: prove the plumbing")
    parser.add_argument("--dry-run", action="store_true", help="print what would run")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per benchmark")
    return parser.parse_args(argv)


def _outcome(bench: Benchmark, args: argparse.Namespace) -> Outcome:
    reason = missing(bench)
    if reason is not None:
        return Outcome(bench.name, "skipped", reason)
    line = shown(command(bench, quick=args.quick))
    if args.dry_run:
        return Outcome(bench.name, "would run", line)
    print(f"running {line} ...", file=sys.stderr, flush=True)
    return run(bench, quick=args.quick, timeout=args.timeout)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    outcomes = [_outcome(bench, args) for bench in chosen]
    for outcome in outcomes:
        print(f"{outcome.name}: {outcome.status} {outcome.detail}".rstrip())
    ran = {o.name: o.body for o in outcomes if o.status == "ran"}
    if ran and not args.dry_run:
        blocks = {"machine": machine(), "peers": peers(), **ran}
        args.readme.write_text(rewrite(args.readme.read_text(), blocks))
        print(f"rewrote {', '.join(blocks)} in {args.readme}")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
