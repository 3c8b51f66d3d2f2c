"""`gitops-gate hooks install|run`: git hooks, and the entry point every hook calls."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gitops_gate.commands.check import check as check_paths
from gitops_gate.commands.policy import policy
from gitops_gate.commands.secrets import secrets
from gitops_gate.commands.validate import validate
from gitops_gate.config import find_root
from gitops_gate.errors import EXIT_OK, EXIT_USAGE
from gitops_gate.gitrefs import Repo, open_repo, worktree
from gitops_gate.hooks.install import HOOKS, install
from gitops_gate.hooks.runtime import head_commit, parse_push_lines, plan, pushed_change
from gitops_gate.hooks.runtime import staged as staged_files

CHECKS = ("validate", "policy", "secrets", "check")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "hooks", parents=[common], help="install git hooks, or run the checks a hook runs"
    )
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    inst = verbs.add_parser(
        "install",
        parents=[common],
        help="install pre-commit and pre-push git hooks (keeps existing hooks unless --force)",
    )
    inst.add_argument("repo", nargs="?", type=Path, default=Path(), metavar="REPO")
    inst.add_argument("--force", action="store_true", help="replace hooks that are already there")
    inst.add_argument(
        "--hook",
        action="append",
        choices=("pre-commit", "pre-push"),
        help="only this hook (repeatable; default: both)",
    )
    inst.set_defaults(func=_install)
    run = verbs.add_parser(
        "run",
        parents=[common],
        help="run a check on changed files and the environments that include them",
        description=(
            "What the pre-commit hooks (.pre-commit-hooks.yaml) and the git hooks in hooks/ "
            "run: CHECK over the given files, the staged files (--staged) or the files a push "
            "changes (--pre-push REMOTE, refs on stdin), plus every environment that includes "
            "a changed file."
        ),
    )
    run.add_argument("check", choices=CHECKS, metavar="CHECK", help=", ".join(CHECKS))
    run.add_argument("files", nargs="*", metavar="FILE", help="changed files (from pre-commit)")
    source = run.add_mutually_exclusive_group()
    source.add_argument("--staged", action="store_true", help="the files staged for commit")
    source.add_argument("--pre-push", metavar="REMOTE", help="the files a push to REMOTE changes")
    run.set_defaults(func=_run)


def _install(args: argparse.Namespace) -> int:
    return hooks_install(repo=args.repo, hooks=args.hook, force=args.force, quiet=args.quiet)


def _run(args: argparse.Namespace) -> int:
    return hooks_run(
        check=args.check,
        files=args.files,
        staged=args.staged,
        pre_push=args.pre_push,
        fmt=args.fmt,
        quiet=args.quiet,
    )


def hooks_install(*, repo: Path, hooks: list[str] | None, force: bool, quiet: bool) -> int:

    done = install(repo, hooks=tuple(hooks or HOOKS), force=force)
    for hook in done:
        if hook.written and not quiet:
            print(f"installed {hook.path}")
        elif not hook.written:
            print(f"gitops-gate: kept {hook.path}: {hook.reason}", file=sys.stderr)
    return EXIT_OK if all(h.written for h in done) else EXIT_USAGE


def hooks_run(
    *,
    check: str,
    files: list[str],
    staged: bool,
    pre_push: str | None,
    fmt: str | None,
    quiet: bool,
) -> int:

    root = open_repo(Path.cwd()).top if staged or pre_push else find_root([Path.cwd()])
    if pre_push is not None:
        return _run_pre_push(check, root, pre_push, fmt=fmt, quiet=quiet)
    changed = staged_files(root) if staged else files
    return _run_plan(check, root, changed, head_commit(root), fmt=fmt, quiet=quiet)


def _run_plan(
    check: str, root: Path, changed: list[str], base: str | None, *, fmt: str | None, quiet: bool
) -> int:

    chosen = plan(check, root, changed, base)
    if chosen.selection.empty:
        return 0
    # In this process, through the commands' own functions: a second interpreter would
    # double start-up, and the output is the command's own.
    paths, config = chosen.paths, chosen.config
    if check == "validate":
        return validate(paths=paths, config=config, fmt=fmt, quiet=quiet, engine=None, overrides={})
    if check == "policy":
        # The change itself, as `check` gets it: policies judge the environments it reaches.
        return policy(paths=paths, config=config, fmt=fmt, engine="auto", base_ref=chosen.base,
                      changed=list(chosen.changed), graph=chosen.graph)  # fmt: skip
    if check == "secrets":
        return secrets(paths=paths, config=config, fmt=fmt)

    changed_rels = list(chosen.changed)
    return check_paths(
        paths=paths,
        sample=False,
        config=config,
        fmt=fmt,
        quiet=quiet,
        base=chosen.base,
        changed=changed_rels,
        graph=chosen.graph,
    )


def _run_pre_push(check: str, root: Path, remote: str, *, fmt: str | None, quiet: bool) -> int:

    worst = 0
    for ref in parse_push_lines(sys.stdin.read()):
        base, changed = pushed_change(root, remote, ref)
        if not changed:
            continue
        # The push is checked as pushed, in a worktree no user hook runs for.
        with worktree(Repo(root), ref.local_sha) as tree:
            worst = max(worst, _run_plan(check, tree, changed, base, fmt=fmt, quiet=quiet))
    return worst
