"""`gitops-gate graph`: the dependency graph as Mermaid (for a PR comment), DOT or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import pick_format
from gitops_gate.config import find_root, load_config
from gitops_gate.errors import EXIT_FAILED, EXIT_OK, UsageError
from gitops_gate.findings import Severity
from gitops_gate.graph import build
from gitops_gate.graph.export import to_dot, to_json, to_mermaid
from gitops_gate.manifests.loader import LoadOptions, load
from gitops_gate.report.escape import terminal
from gitops_gate.report.json import dumps

FORMATS = ("mermaid", "dot", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "graph",
        parents=[common],
        help="print the dependency graph (files, kustomizations, Flux, Argo CD, environments)",
        description=(
            "Print how files feed kustomizations, Flux Kustomizations, Argo CD Applications and"
            " environments. Exit 0, 1 a dependency cycle, 2 usage."
        ),
    )
    p.add_argument("path", nargs="?", type=Path, default=Path(), help="repository (default .)")
    p.add_argument("--env", metavar="ENV", help="only what makes up this environment")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return graph(
        path=args.path,
        env=args.env,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
    )


def graph(*, path: Path, env: str | None, config: Path | None, fmt: str | None) -> int:

    chosen = pick_format(fmt, FORMATS)
    root = find_root([path], config)
    cfg = load_config(root, config)
    g = build(load([root], root=root, options=LoadOptions(exclude=cfg.exclude)), cfg)
    if env is not None:
        if cfg.environment(env) is None:
            known = ", ".join(e.name for e in cfg.environments) or "none"
            raise UsageError(f"unknown environment {env!r}", hint=f"use one of: {known}")
        g = g.for_environment(env)
    if chosen == "json":
        print(dumps(to_json(g)))
    else:
        print(to_mermaid(g) if chosen == "mermaid" else to_dot(g), end="")
    for f in g.findings:
        print(terminal(f"gitops-gate: {f.location}: {f.message}"), file=sys.stderr)
    return EXIT_FAILED if any(f.severity >= Severity.ERROR for f in g.findings) else EXIT_OK
