"""Benchmark: what each fast path gains a `check` or a hook, measured with and without it.

Run: `python3 -m uv run python bench/fastpaths.py [ROUNDS [TEXT]]` (prints one table). Every command
runs as a subprocess, as pre-commit runs a hook, from bytecode compiled before timing. The
"without" runs are the same command with the fast path turned off inside that process only
(FAST_PATHS, applied as its module is imported); both go through this file's start-up, so
they differ in the fast path alone. A fast path stays while it gains a `check` or a hook at
least ~15% of its CPU or ~30 ms a run (issue 14); README's figures come from this table.
Rows run in turns, round after round (bench/_timing.py's reasoning), and each cell is the
median over rounds of the wall time and of the CPU time (user + system of the command and
everything it waited for: getrusage(RUSAGE_CHILDREN)), which a machine shared with other work
disturbs far less than the wall time. `[ROUNDS [TEXT]]`: TEXT picks rows by what they hold.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED = Path(__file__).resolve().parents[2] / "shared"
ROUNDS = 7
LEAF = "clusters/staging/patches/app-2.yaml"  # bench/hooks.py's Flux repo


def _no_version_record(module: ModuleType) -> None:
    """Every process asks each tool `--version` again (once: its lru_cache stays)."""
    record = module.ResultCache

    def forgetful(namespace: str, *, enabled: bool = True, root: Path | None = None) -> Any:
        return record(namespace, enabled=False, root=root)

    module.__dict__["ResultCache"] = forgetful


def _plain_line_scan(module: ModuleType) -> None:
    """Each file goes to detect-secrets' own scan_file, every plugin on every line (the
    built-in engine's extra pass over YAML's raw lines too)."""

    def scan_file(filename: str, unreported: Any = None) -> Any:
        from detect_secrets.core.scan import scan_file as own

        return own(filename)

    def scan_lines(lines: Any, filename: str) -> Any:
        from detect_secrets.core.scan import _process_line_based_plugins

        return _process_line_based_plugins(lines=lines, filename=filename)

    module.__dict__["scan_file"] = scan_file
    module.__dict__["scan_lines"] = scan_lines


def _ordinary_import(module: ModuleType) -> None:
    """detect-secrets imports requests and multiprocessing, as it does on its own."""
    module.__dict__["import_detect_secrets"] = module._import_all


# The fast path's name -> (the module it lives in, what turns it off there).
FAST_PATHS: dict[str, tuple[str, Callable[[ModuleType], None]]] = {
    "tool version record": ("gitops_gate.tools.resolve", _no_version_record),
    "secrets line screen": ("gitops_gate.secrets.builtin", _plain_line_scan),
    "secrets import stand-ins": ("gitops_gate.secrets.imports", _ordinary_import),
}


class _Patcher(importlib.abc.MetaPathFinder):
    """Turns a fast path off right after its module is imported, never importing it sooner
    (which would add its import to the "without" runs)."""

    def __init__(self, module: str, turn_off: Callable[[ModuleType], None]) -> None:
        self.module, self.turn_off = module, turn_off

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.module:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        run_module = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run_module(module)
            self.turn_off(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _run_gate(without: str, argv: list[str]) -> int:
    """gitops-gate's CLI with the named fast path (or none: "-") turned off."""
    if without != "-":
        sys.meta_path.insert(0, _Patcher(*FAST_PATHS[without]))
    from gitops_gate.cli import main

    return main(argv)


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one run of argv, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def _rows(hooks_repo: Path, corpora: Path) -> list[tuple[str, str, Path, list[str]]]:
    """(fast path, what runs, where, gitops-gate's arguments)."""
    demo, home = (
        corpora / "GoogleCloudPlatform__microservices-demo",
        corpora / "joryirving__home-ops",
    )
    secrets, check = ["hooks", "run", "secrets", LEAF], ["hooks", "run", "check", LEAF]
    policy, whole = ["hooks", "run", "policy", LEAF], ["check", "."]
    return [
        ("tool version record", "hook `check`, one file", hooks_repo, check),
        ("tool version record", "hook `policy`, one file", hooks_repo, policy),
        ("tool version record", "`check`, microservices-demo", demo, whole),
        ("secrets line screen", "hook `secrets`, one file", hooks_repo, secrets),
        ("secrets line screen", "`check`, hooks' repo (2,000 manifests)", hooks_repo, whole),
        ("secrets line screen", "`check`, microservices-demo", demo, whole),
        ("secrets line screen", "`check`, home-ops", home, whole),
        ("secrets import stand-ins", "hook `secrets`, one file", hooks_repo, secrets),
        ("secrets import stand-ins", "hook `check`, one file", hooks_repo, check),
        ("secrets import stand-ins", "`check`, microservices-demo", demo, whole),
    ]


def _measure(
    rows: Sequence[tuple[str, str, Path, list[str]]], rounds: int, env: dict[str, str]
) -> dict[tuple[int, str], list[tuple[float, float, int]]]:
    """(row, "-" or the fast path turned off) -> (wall, CPU, exit code) of each round's run."""
    me = [sys.executable, __file__, "--gate"]
    runs: dict[tuple[int, str], list[tuple[float, float, int]]] = {}
    for fast, _, where, args in rows:  # one untimed run each compiles the bytecode
        for without in ("-", fast):
            subprocess.run([*me, without, *args], cwd=where, env=env, capture_output=True)
    for _ in range(rounds):
        for n, (fast, _, where, args) in enumerate(rows):
            for without in ("-", fast):
                runs.setdefault((n, without), []).append(_timed([*me, without, *args], where, env))
    return runs


def _table(rows: Sequence[tuple[str, str, Path, list[str]]], runs: Any, rounds: int) -> None:
    print(f"{rounds} rounds in turns; medians; CPU: user + system, the process and its children\n")
    print(
        "| fast path | what runs | CPU with | without | gain | wall with | without | gain | exit |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n, (fast, label, _, _) in enumerate(rows):
        wall, cpu, codes = zip(*runs[(n, "-")], strict=True)
        wall_off, cpu_off, codes_off = zip(*runs[(n, fast)], strict=True)
        cells = [statistics.median(x) for x in (cpu, cpu_off, wall, wall_off)]
        # The same exit code with and without: a fast path must not change the outcome.
        print(
            f"| {fast} | {label} | {cells[0]:.3f}s | {cells[1]:.3f}s | {_gain(*cells[:2])} "
            f"| {cells[2]:.3f}s | {cells[3]:.3f}s | {_gain(*cells[2:])} "
            f"| {_codes(codes)} / {_codes(codes_off)} |"
        )


def _codes(codes: Sequence[int]) -> str:
    return ",".join(map(str, sorted(set(codes))))


def _gain(with_: float, without: float) -> str:
    return f"{(without - with_) * 1000:+.0f} ms ({(without - with_) / without:+.0%})"


def main(rounds: int, only: str) -> None:
    from hooks import gate_env, make_repo

    with tempfile.TemporaryDirectory(prefix="bench-fastpaths-") as tmp:
        work = Path(tmp)
        hooks_repo = work / "hooks"
        hooks_repo.mkdir()
        make_repo(hooks_repo, flux=True)
        corpora = work / "corpora"
        shutil.copytree(SHARED / "corpora", corpora)
        env = gate_env(work / "pyc")
        rows = [r for r in _rows(hooks_repo, corpora) if only in f"{r[0]} | {r[1]}"]
        _table(rows, _measure(rows, rounds, env), rounds)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--gate"]:
        raise SystemExit(_run_gate(sys.argv[2], sys.argv[3:]))
    # [ROUNDS [TEXT]]: TEXT picks the rows whose "fast path | what runs" holds it.
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS, " ".join(sys.argv[2:]))
