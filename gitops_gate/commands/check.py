"""`gitops-gate check`: every check over a repo, one verdict and an exit code."""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from gitops_gate.commands._audit_check import record_check
from gitops_gate.commands._output import FORMATS, console, pick_format, report, run
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.errors import UsageError
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.report.json import counts
from gitops_gate.report.text import finding_lines, plural, skipped_summary, substituted_summary
from gitops_gate.windows.when import parse_moment


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads it anyway.

    p = subparsers.add_parser(
        "check",
        parents=[common],
        help="check manifests (load, schema, policy, secrets, windows) and exit 1 on failure",
        description="Check a GitOps repository. Exit 0 passed, 1 failed, 2 usage, 3 environment.",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    p.add_argument(
        "--sample",
        action="store_true",
        help="check the sample repository that ships with gitops-gate",
    )
    p.add_argument(
        "--engine",
        choices=ENGINE_MODES,
        help="schema and policy engines: kubeconform/conftest or built-in (default: config)",
    )
    change = p.add_mutually_exclusive_group()
    change.add_argument("--base", metavar="REF", help="check the change from git REF to HEAD")
    change.add_argument(
        "--changed",
        action="append",
        metavar="FILE",
        help="FILE (repo-relative, may be deleted) is part of the change; repeatable "
        "(hooks pass the staged files while PATHs name what they affect)",
    )
    p.add_argument(
        "--override", metavar="REASON", help="let a change through a closed sync window (reported)"
    )
    p.add_argument(
        "--at", metavar="TIME", help="judge sync windows at TIME (ISO 8601; default now)"
    )
    p.add_argument("--audit", action="store_true", help="record the run in the audit log")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return check(
        paths=args.paths,
        sample=args.sample,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
        engine=args.engine,
        base=args.base,
        changed=args.changed,
        override=args.override,
        at=args.at,
        audit=args.audit,
    )


def check(
    *,
    paths: list[Path],
    sample: bool,
    config: Path | None,
    fmt: str | None,
    quiet: bool,
    engine: str | None = None,
    base: str | None = None,
    changed: list[str] | None = None,
    override: str | None = None,
    at: str | None = None,
    audit: bool = False,
    graph: SharedGraph | None = None,
) -> int:

    chosen = pick_format(fmt, FORMATS)
    root = None
    if sample:
        if paths:
            raise UsageError("--sample takes no paths")
        root = sample_root()
        paths = [root]
    result = run(
        paths,
        fmt=chosen,
        quiet=quiet,
        config_path=config,
        root=root,
        engines={"schema": engine, "policy": engine} if engine else {},
        base_ref=base,
        changed=changed,
        at=parse_moment(at) if at else None,
        override=override,
        graph=graph,
    )
    if audit:
        record_check(result, base=base)
    return report(
        result, chosen, name="gitops-gate check", text=lambda: _print_text(result, quiet=quiet)
    )


def sample_root() -> Path:

    return Path(str(resources.files("gitops_gate").joinpath("sample")))


def _print_text(result: Any, *, quiet: bool) -> None:

    loaded = result.loaded
    c = counts(result.findings)
    summary = (
        f"Checked {plural(len(loaded.files), 'file')} "
        f"({plural(len(loaded.resources), 'resource')}) in {result.seconds:.2f}s: "
        f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, "
        f"{plural(c['info'], 'notice')}" + (f", {c['waived']} waived" if c["waived"] else "")
    )
    notes = [] if quiet else [skipped_summary(loaded.files), substituted_summary(loaded.files)]
    level = result.config.fail_level.label
    if not sys.stdout.isatty():  # a hook's or CI's pipe: plain lines, and no Rich to import
        lines = [*finding_lines(result.findings, markup=False), summary]
        lines += [n for n in notes if n]
        lines.append(f"{'Failed' if result.failed else 'Passed'} (fail level: {level})")
        print("\n".join(lines))
        return
    out = console()
    for line in finding_lines(result.findings):
        out.print(line)
    out.print(summary)
    for note in notes:
        if note:
            out.print(note, markup=False)
    verdict = "[bold red]Failed[/]" if result.failed else "[bold green]Passed[/]"
    out.print(f"{verdict} (fail level: {level})")
