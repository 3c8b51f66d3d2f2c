"""The diff for a terminal: a summary line per environment and coloured unified diffs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gitops_gate.diff.api import DiffResult
from gitops_gate.report.escape import markup as escape

if TYPE_CHECKING:
    from rich.console import Console

_STYLE = {"high": "bold red", "medium": "yellow", "low": "green", "none": "dim"}


def show(result: DiffResult, out: Console, *, quiet: bool = False) -> None:
    for env in result.envs:
        level = env.impact.label
        out.print(
            f"[bold]{escape(env.env)}[/]: {env.count('added')} added, {env.count('removed')} "
            f"removed, {env.count('changed')} changed, impact [{_STYLE[level]}]{level}[/]"
        )
        for old, new in env.images:
            out.print(f"  image {escape(old or '-')} -> {escape(new or '-')}")
        for f in env.findings:
            out.print(f"  [red]{escape(f.location)}: {escape(f.message)}[/]")
        if quiet:
            continue
        for c in env.changes:
            reason = escape(c.reason)
            out.print(f"  [bold]{c.change}[/] {escape(str(c.key))} ({c.impact.label}: {reason})")
            for line in c.diff.splitlines():
                style = "green" if line.startswith("+") else "red" if line.startswith("-") else ""
                style = "cyan" if line.startswith("@@") else style
                out.print(f"    [{style}]{escape(line)}[/]" if style else f"    {escape(line)}")
    if not result.envs:
        out.print("No environment is affected.")
    if result.skipped:
        skipped = ", ".join(escape(n) for n in result.skipped)
        out.print(f"Not compared (unaffected or not selected): {skipped}")
