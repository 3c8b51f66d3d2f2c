"""`gitops-gate windows`: is syncing allowed now (or at --at), why, and until when."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from gitops_gate.commands._output import console, pick_format
from gitops_gate.errors import EnvironmentProblem, UsageError
from gitops_gate.report.escape import markup as escape
from gitops_gate.report.json import dumps
from gitops_gate.windows.report import windows_report
from gitops_gate.windows.svg import render_svg
from gitops_gate.windows.text import subject_lines
from gitops_gate.windows.timeline import render
from gitops_gate.windows.when import format_moment, parse_zone, read_moment

FORMATS = ("text", "json")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    p = subparsers.add_parser(
        "windows",
        parents=[common],
        help="show whether sync windows allow syncing, why, and until when",
        description=(
            "Show each environment's sync-window state (allowed, manual-only or denied), "
            "the windows that decide it and when it next changes. Windows come from "
            "AppProject syncWindows and from environments in .gitops-gate.yaml. "
            "Exit 0, or 2 on a usage or configuration error."
        ),
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="repo files or folders")
    p.add_argument("--env", metavar="ENV", help="only this environment")
    p.add_argument("--app", metavar="APP", help="Applications matching this name or glob")
    p.add_argument(
        "--at",
        metavar="TIME",
        help="the moment to judge: ISO 8601, e.g. 2025-03-30T02:30+02:00 or "
        "'2025-03-30T02:30 Europe/Berlin' (no offset means UTC; default now)",
    )
    p.add_argument(
        "--started",
        metavar="TIME",
        help="when a sync started (same forms as --at): may it run on at --at, as Argo CD's "
        "syncOverrun decides",
    )
    p.add_argument("--week", action="store_true", help="draw the 7 days from --at's day")
    p.add_argument("--tz", metavar="ZONE", help="show times in this IANA zone")
    p.add_argument("--output", metavar="FILE", type=Path, help="with --week, also write an SVG")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    return windows(
        paths=args.paths,
        config=Path(args.config) if args.config else None,
        env=args.env,
        app=args.app,
        at=args.at,
        started=args.started,
        week=args.week,
        tz=args.tz,
        output=args.output,
        fmt=args.fmt,
    )


def windows(
    *,
    paths: list[Path],
    config: Path | None,
    env: str | None,
    app: str | None,
    at: str | None,
    week: bool,
    started: str | None = None,
    tz: str | None,
    output: Path | None,
    fmt: str | None,
) -> int:

    chosen = pick_format(fmt, FORMATS)
    if output is not None and not week:
        raise UsageError("--output draws the week", hint="add --week")
    moment, notice = read_moment(at)
    began, began_notice = read_moment(started) if started is not None else (None, None)
    for text in (notice, began_notice):
        if text:
            console(stderr=True).print(f"[yellow]notice[/] {escape(text)}")
    report = windows_report(
        paths,
        config_path=config,
        env=env,
        app=app,
        at=moment,
        week=week,
        zone=parse_zone(tz),
        started=began,
    )
    if output is not None:
        _write_svg(report, output, moment)
    if chosen == "json":
        print(dumps(report.to_json()))
    else:
        _print_text(report)
    return 0


def _write_svg(report: Any, output: Path, moment: datetime) -> None:

    svg = render_svg(report.week, report.week_start, report.zone, now=moment)
    try:
        output.write_text(svg, encoding="utf-8")
    except OSError as e:
        raise EnvironmentProblem(f"cannot write {output}: {e.strerror}") from e


def _print_text(report: Any) -> None:

    out = console()
    out.print(f"At {format_moment(report.at, report.zone)}:", markup=False)
    if report.started is not None:
        out.print(f"Sync started {format_moment(report.started, report.zone)}", markup=False)
    for line in subject_lines(report.rows, report.at):
        out.print(line)
    if report.week is not None:
        out.print()
        for line in render(report.week, report.week_start, report.zone):
            out.print(line)
    for f in report.findings:
        out.print(f"[yellow]{f.severity.label}[/] {escape(f.location)}: {escape(f.message)}")
