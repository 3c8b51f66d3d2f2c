"""`gitops-gate set-image`, `promote` and `revert`: changes written back to Git as commits."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from gitops_gate.commands._audit_sink import audit_sink
from gitops_gate.commands._output import console, pick_format
from gitops_gate.promote.flow import WriteOptions, promote, set_image
from gitops_gate.promote.outcome import Outcome
from gitops_gate.promote.pullrequest import DEFAULT_TOKEN_ENV, PullTarget, pull_target
from gitops_gate.promote.revert import revert
from gitops_gate.report.escape import markup as escape
from gitops_gate.report.json import dumps

FORMATS = ("text", "json")
_WRITE_HELP = (
    "The change is made in a private checkout of the base (the work tree is not touched), "
    "gated with `check` (sync windows aside: they hold the merge, not the pull request), and "
    "committed on a new branch; --open-pr pushes it and opens a pull request (GITHUB_REPOSITORY, "
    "GITHUB_TOKEN and GITHUB_API_URL, or --repo, --token-env, --api-url) labelled with "
    "promotion.labels. Exit 0 written (or shown with --dry-run), 1 the result would fail the "
    "gate, 2 refused (usage, promotion.requires, an image set in a shared base), 3 git or "
    "GitHub failed."
)


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = _parser(subparsers, common, "set-image", "set an environment's image tag or digest")
    p.add_argument("--env", required=True, metavar="ENV", help="the environment to change")
    p.add_argument("images", nargs="+", metavar="NAME=TAG|NAME@DIGEST")
    p.set_defaults(func=_set_image)
    p = _parser(subparsers, common, "promote", "give one environment another's images")
    p.add_argument("--from", dest="source", required=True, metavar="ENV")
    p.add_argument("--to", dest="target", required=True, metavar="ENV")
    p.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="NAME",
        help="only this image (repeatable; default: every image --from runs)",
    )
    p.add_argument("--all", dest="everything", action="store_true",
                   help="also the promotion diff's other differences: refused, naming them,"
                   " until they can be copied safely")  # fmt: skip
    p.set_defaults(func=_promote)
    p = _parser(subparsers, common, "revert", "revert a change in one environment's files")
    p.add_argument("--env", required=True, metavar="ENV")
    p.add_argument("commit", nargs="?", metavar="COMMIT",
                   help="default: the last commit that changed the environment")  # fmt: skip
    p.set_defaults(func=_revert)


def _parser(subparsers: Any, common: argparse.ArgumentParser, name: str, text: str) -> Any:
    description = f"{text}. {_WRITE_HELP}"
    p = subparsers.add_parser(name, parents=[common], help=text, description=description)
    p.add_argument("--root", type=Path, default=Path(), help="the repo folder (default: here)")
    p.add_argument("--base", metavar="REF", help="start from this commit (default: HEAD)")
    p.add_argument("--branch", metavar="NAME", help="the new branch's name")
    p.add_argument("--dry-run", action="store_true", help="print the patch; write nothing")
    p.add_argument("--push", metavar="REMOTE", nargs="?", const="origin", help="push the branch")
    _pull_arguments(p)
    return p


def _pull_arguments(p: Any) -> None:
    p.add_argument("--open-pr", action="store_true",
                   help="push the branch (to origin unless --push names a remote) and open a"
                   " pull request, the promotion diff as its body")  # fmt: skip
    p.add_argument("--pr-base", metavar="BRANCH",
                   help="the pull request's base (default: the branch --base names, else the"
                   " current branch, else the remote's default)")  # fmt: skip
    p.add_argument("--repo", metavar="OWNER/NAME", help="default GITHUB_REPOSITORY")
    p.add_argument("--token-env", metavar="VAR", default=DEFAULT_TOKEN_ENV,
                   help="the variable holding the GitHub token (default GITHUB_TOKEN)")  # fmt: skip
    p.add_argument("--api-url", metavar="URL", help="GitHub's API (default GITHUB_API_URL)")


def _options(args: argparse.Namespace) -> WriteOptions:
    config = Path(args.config) if args.config else None
    return WriteOptions(args.base, args.branch, args.dry_run, args.push, config, _pull(args))


def _pull(args: argparse.Namespace) -> PullTarget | None:
    if not args.open_pr or args.dry_run:
        return None
    return pull_target(os.environ, repo=args.repo, token_env=args.token_env,
                       api_url=args.api_url, base_branch=args.pr_base)  # fmt: skip


def _set_image(args: argparse.Namespace) -> int:
    options = _options(args)
    with audit_sink(args.root, options.config_path) as sink:
        outcome = set_image(args.root, args.env, args.images, options=options, sink=sink)
    return _show(outcome, args.fmt, args.dry_run)


def _promote(args: argparse.Namespace) -> int:
    options = _options(args)
    with audit_sink(args.root, options.config_path) as sink:
        outcome = promote(args.root, args.source, args.target, images=args.image,
                          everything=args.everything, options=options, sink=sink)  # fmt: skip
    return _show(outcome, args.fmt, args.dry_run)


def _revert(args: argparse.Namespace) -> int:
    options = _options(args)
    with audit_sink(args.root, options.config_path) as sink:
        outcome = revert(args.root, args.env, args.commit, options=options, sink=sink)
    return _show(outcome, args.fmt, args.dry_run)


def _show(outcome: Outcome, fmt: str | None, dry_run: bool) -> int:
    if pick_format(fmt, FORMATS) == "json":
        print(dumps(outcome.to_json()))
        return 0
    out = console()
    out.print(escape(outcome.summary()))
    for m in outcome.moves:
        what = f"{m.image} {m.old} -> {m.new}"
        out.print(f"  {escape(m.path)}:{m.line}: {escape(what)}")
    if dry_run:
        print(outcome.patch, end="")
        out.print("Dry run: nothing written.")
    else:
        out.print(f"Committed {outcome.commit} on branch {escape(outcome.branch or '')}"
                  + (" and pushed it." if outcome.pushed else "."))  # fmt: skip
        if outcome.pull_request:
            out.print(f"Pull request: {escape(outcome.pull_request)}")
    return 0
