"""`gitops-gate demo`: the whole loop on a scaffolded repository in a temp folder."""

from __future__ import annotations

import argparse
from typing import Any

from gitops_gate.demo.run import run_demo


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "demo",
        parents=[common],
        help="the whole loop, scaffold to audit, in a temp folder",
        description=(
            "Scaffold a repository, stop a bad change, pass its fix with the environment diff, "
            "dry-run the PR check, reconcile dev on a local control plane, promote to "
            "production through its sync window, roll back a broken rollout, and verify the "
            "audit log. The first run builds the pinned etcd and kube-apiserver with Go "
            "(minutes); without Go, or with --no-cluster, the cluster steps are skipped. "
            "Everything it starts is stopped and its temp folder removed, also on Ctrl-C. "
            "Exit 0 every step done or skipped, 1 a step failed, 3 environment."
        ),
    )
    p.add_argument("--no-cluster", action="store_true", help="skip the steps needing a cluster")
    p.add_argument("--keep", action="store_true", help="keep the temp folder to look around")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return demo(use_cluster=not args.no_cluster, keep=args.keep)


def demo(*, use_cluster: bool, keep: bool) -> int:
    """Run the story, printing each step as it goes."""
    result = run_demo(say=lambda line: print(line, flush=True), use_cluster=use_cluster, keep=keep)
    where = f"kept {result.folder}" if result.kept else f"removed {result.folder}"
    done = sum(s.outcome == "done" for s in result.steps)
    skipped = sum(s.outcome == "skipped" for s in result.steps)
    print(f"{done} steps done, {skipped} skipped; {where}")
    return result.exit_code
