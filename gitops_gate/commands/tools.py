"""`gitops-gate tools install|doctor`: build the pinned toolchain, or report on it."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from gitops_gate.commands._output import console, pick_format, show_progress
from gitops_gate.errors import EXIT_ENVIRONMENT, EXIT_OK
from gitops_gate.report.json import dumps
from gitops_gate.tools import PINS, doctor, install
from gitops_gate.tools.doctor import go_status
from gitops_gate.tools.install import go_missing

if TYPE_CHECKING:
    from gitops_gate.tools import DoctorRow, InstallResult
    from gitops_gate.tools.doctor import GoStatus

FORMATS = ("text", "json")
TOOLS_HELP = "conftest, kubeconform, kustomize, etcd, kube-apiserver"


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    tools = subparsers.add_parser(
        "tools",
        help="install or check the pinned external tools",
        description=f"The pinned toolchain ({TOOLS_HELP}), built with Go into the user cache.",
    )
    tools.set_defaults(func=lambda _args: _usage(tools))
    sub = tools.add_subparsers(dest="tools_command", metavar="SUBCOMMAND")
    p = sub.add_parser(
        "install",
        parents=[common],
        help="build missing pinned tools with Go (a no-op when all are present)",
        description="Build the pinned tools into ${XDG_CACHE_HOME:-~/.cache}/gitops-gate/tools "
        "(or $GITOPS_GATE_TOOLS_DIR when set). "
        "Exit 0 when all are present, 3 when Go is missing or a build fails.",
    )
    p.add_argument("names", nargs="*", metavar="NAME", help=f"default: all ({TOOLS_HELP})")
    p.add_argument("--force", action="store_true", help="rebuild even when present")
    p.set_defaults(func=_install_main)
    d = sub.add_parser(
        "doctor",
        parents=[common],
        help="show each tool's wanted and found version and where it is",
        description="Exit 0 when every pinned tool is found at its version, 3 otherwise.",
    )
    d.set_defaults(func=_doctor_main)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _install_main(args: argparse.Namespace) -> int:
    return tools_install(names=args.names, force=args.force, quiet=args.quiet, fmt=args.fmt)


def _doctor_main(args: argparse.Namespace) -> int:
    return tools_doctor(fmt=args.fmt)


def tools_install(*, names: Sequence[str], force: bool, quiet: bool, fmt: str | None) -> int:

    chosen = pick_format(fmt, FORMATS)
    with _progress(quiet=quiet or chosen != "text") as say:
        results = install(list(names) or None, force=force, progress=say)
    if chosen == "json":
        _print_json([_result_json(r) for r in results])
    elif not quiet:
        _print_results(results)
    return EXIT_OK


def tools_doctor(*, fmt: str | None) -> int:

    chosen = pick_format(fmt, FORMATS)
    rows = doctor()
    if chosen == "json":
        _print_json([r.to_json() for r in rows])
    else:
        _print_table(rows)
        _print_advice(rows, go_status())
    return EXIT_OK if all(r.ok for r in rows) else EXIT_ENVIRONMENT


@contextmanager
def _progress(*, quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """A spinner on a terminal; plain lines on stderr otherwise (CI wants to see minutes pass)."""
    if quiet:
        yield None
        return

    err = console(stderr=True)
    if not show_progress(quiet):
        yield lambda msg: err.print(msg, markup=False)
        return
    with err.status("") as status:
        yield lambda msg: status.update(msg)


def _result_json(r: InstallResult) -> dict[str, Any]:
    return {"name": r.name, "version": r.version, "path": str(r.path), "status": r.status}


def _print_json(tools: list[dict[str, Any]]) -> None:

    print(dumps({"tools": tools}))


def _print_results(results: list[InstallResult]) -> None:

    out = console()
    width = max(len(r.name) for r in results)
    for r in results:
        took = f" in {r.seconds:.0f}s" if r.status == "installed" else ""
        out.print(f"{r.name:<{width}}  {r.version:<9}  {r.status}{took}  {r.path}", markup=False)
    built = sum(r.status == "installed" for r in results)
    out.print(f"{len(results)} tools ready ({built} built, {len(results) - built} present)")


def _print_table(rows: list[DoctorRow]) -> None:

    out = console()
    cells = [(r.tool, r.wanted, r.found or "-", str(r.path or "-"), _status_text(r)) for r in rows]
    header = ("TOOL", "WANTED", "FOUND", "PATH", "STATUS")
    if out.is_terminal:
        from rich.table import Table

        table = Table(*header, box=None, pad_edge=False)
        for cell in cells:
            table.add_row(*cell[:4], _status_markup(cell[4]))
        out.print(table)
        return
    widths = [max(len(c[i]) for c in [header, *cells]) for i in range(5)]
    for cell in [header, *cells]:
        out.print(
            "  ".join(v.ljust(w) for v, w in zip(cell, widths, strict=True)).rstrip(), markup=False
        )


def _status_text(row: DoctorRow) -> str:
    if row.status == "ok" and row.source != "cache":
        return f"ok ({row.source})"
    return row.status


def _status_markup(text: str) -> str:
    colour = "green" if text.startswith("ok") else "red"
    return f"[{colour}]{text}[/]"


def _print_advice(rows: list[DoctorRow], go: GoStatus) -> None:

    out = console()
    if go.path is None:
        missing = [PINS[r.tool] for r in rows if not r.ok]
        if missing:
            out.print(go_missing(missing).text(), markup=False)
        else:
            out.print("go: not found (not needed: every tool is present)")
        return
    out.print(f"go: {go.version or 'unknown version'} at {go.path}", markup=False)
    if not all(r.ok for r in rows):
        out.print("run `gitops-gate tools install` to build what is missing", markup=False)
