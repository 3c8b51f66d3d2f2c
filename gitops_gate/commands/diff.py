"""`gitops-gate diff`: what a change does to each environment, or what a promotion would do."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import console, pick_format
from gitops_gate.config import find_root
from gitops_gate.diff import diff_environments, diff_refs
from gitops_gate.diff.markdown import render
from gitops_gate.diff.text import show
from gitops_gate.errors import EXIT_FAILED, EXIT_OK, UsageError
from gitops_gate.report.json import dumps

FORMATS = ("text", "markdown", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "diff",
        parents=[common],
        help="render environments at two refs (or two environments) and show what changes",
        description=(
            "Render the environments a change affects at --base and --head (in throwaway git"
            " worktrees) and compare them object by object, or compare --from-env with --to-env."
            " Exit 0, 1 a render refused or failed (or a diff with --exit-code), 2 usage (a ref"
            " that does not exist),"
            " 3 environment."
        ),
    )
    p.add_argument("path", nargs="?", type=Path, default=Path(), help="repository (default .)")
    p.add_argument("--base", metavar="REF", help="the ref to compare against (e.g. origin/main)")
    p.add_argument("--head", metavar="REF", help="the ref with the change (default HEAD)")
    p.add_argument("--from-env", metavar="ENV", help="compare this environment ...")
    p.add_argument("--to-env", metavar="ENV", help="... with this one (what promotion changes)")
    p.add_argument("--env", action="append", default=[], metavar="ENV", help="only these")
    p.add_argument("--all", action="store_true", help="every environment, affected or not")
    p.add_argument("--no-cache", action="store_true", help="render everything afresh")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there is a diff")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return diff(
        path=args.path,
        base=args.base,
        head=args.head,
        from_env=args.from_env,
        to_env=args.to_env,
        envs=args.env,
        every=args.all,
        use_cache=not args.no_cache,
        exit_code=args.exit_code,
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
    )


def diff(
    *,
    path: Path,
    base: str | None,
    head: str | None,
    from_env: str | None,
    to_env: str | None,
    envs: list[str],
    every: bool,
    use_cache: bool,
    exit_code: bool,
    config: Path | None,
    fmt: str | None,
    quiet: bool,
) -> int:

    chosen = pick_format(fmt, FORMATS)
    root = find_root([path], config)
    if (from_env is None) != (to_env is None):
        raise UsageError("--from-env and --to-env go together")
    if from_env is not None and to_env is not None:
        if base is not None:
            raise UsageError("use either --base or --from-env/--to-env, not both")
        result = diff_environments(
            root=root, from_env=from_env, to_env=to_env, ref=head, config_path=config,
            use_cache=use_cache,
        )  # fmt: skip
        rerun = f"gitops-gate diff --from-env {from_env} --to-env {to_env}"
    else:
        if base is None:
            raise UsageError("diff needs --base REF (or --from-env and --to-env)")
        result = diff_refs(
            root=root, base=base, head=head or "HEAD", config_path=config,
            environments=envs, all_environments=every, use_cache=use_cache,
        )  # fmt: skip
        rerun = f"gitops-gate diff --base {base}" + (f" --head {head}" if head else "")
    _print(result, chosen, quiet=quiet, rerun=rerun)
    # A refused or failed render fails the run, whatever --exit-code says: its diff is unknown.
    return EXIT_FAILED if result.has_errors or (exit_code and result.has_diff) else EXIT_OK


def _print(result: Any, chosen: str, *, quiet: bool, rerun: str) -> None:
    if chosen == "json":
        print(dumps(result.to_json()))
    elif chosen == "markdown":
        print(render(result, rerun=rerun), end="")
    else:
        show(result, console(), quiet=quiet)
