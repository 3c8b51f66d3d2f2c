"""`gitops-gate init DEST`: a new GitOps repository, from the bundled Copier template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_gate.scaffold.init import init_repo, parse_data


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "init",
        parents=[common],
        help="start a GitOps repository the gate passes (Copier template)",
        description=(
            "Generate a GitOps repository (Argo CD, Flux or both) into DEST. Asks the template's "
            "questions on a terminal; --defaults (or no terminal) takes every default. Exit 2 "
            "when DEST is not empty (without --force) or an answer is invalid: nothing is "
            "written then. Later template versions: `copier update --trust` in DEST."
        ),
    )
    p.add_argument("dest", type=Path, metavar="DEST", help="folder to create (empty or missing)")
    p.add_argument("--defaults", action="store_true", help="ask nothing; take every default")
    p.add_argument(
        "--data",
        "-d",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="answer a question, e.g. -d engine=flux -d 'environments=[dev, prod]'",
    )
    p.add_argument("--force", action="store_true", help="write into a non-empty DEST")
    p.add_argument(
        "--template",
        metavar="SRC",
        help="another template (path or git URL; default: the one bundled with gitops-gate)",
    )
    p.add_argument("--vcs-ref", metavar="REF", help="template git ref (tag, branch or commit)")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return init(
        dest=args.dest,
        data=args.data,
        defaults=args.defaults,
        force=args.force,
        template=args.template,
        vcs_ref=args.vcs_ref,
        quiet=args.quiet,
    )


def init(
    *,
    dest: Path,
    data: list[str],
    defaults: bool,
    force: bool,
    template: str | None,
    vcs_ref: str | None,
    quiet: bool,
) -> int:

    interactive = not defaults and sys.stdin.isatty()
    init_repo(
        dest,
        data=parse_data(data),
        defaults=not interactive,
        force=force,
        template=template,
        vcs_ref=vcs_ref,
        quiet=quiet,
    )
    if not quiet:
        print(f"Created {dest}: run `gitops-gate check {dest}` to see it pass.")
    return 0
