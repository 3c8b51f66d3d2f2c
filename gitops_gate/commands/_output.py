"""Terminal plumbing shared by commands: the pipeline's run and report, consoles, progress."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_gate import api
from gitops_gate.errors import EXIT_FAILED, EXIT_OK, UsageError
from gitops_gate.report import ci
from gitops_gate.report.escape import block, markup
from gitops_gate.report.json import dumps
from gitops_gate.report.text import finding_lines
from gitops_gate.secrets.imports import use_stand_ins

if TYPE_CHECKING:
    from rich.console import Console

    from gitops_gate.api import CheckResult

# What every command over the pipeline (check, validate, policy, secrets) can print.
FORMATS = ("text", "json", *ci.FORMATS)


def run(paths: Sequence[Path], *, fmt: str, quiet: bool, **options: Any) -> CheckResult:
    """gitops_gate.check over paths, with a spinner while a person watches text output.

    A command owns its process: the secrets scan runs in forked children, on cores of its own,
    and detect-secrets is imported without `requests` (secrets.imports.use_stand_ins).
    """
    use_stand_ins()
    with progress("Loading", quiet=quiet or fmt != "text") as on_file:
        return api.check(paths, fork_secrets=True, on_file=on_file, **options)


def report(
    result: CheckResult,
    fmt: str,
    *,
    name: str,
    text: Callable[[], None],
    extra: dict[str, Any] | None = None,
) -> int:
    """Print result in fmt (text as the command words it) and return the exit code."""
    if fmt == "json":
        print(dumps({**result.to_json(), **(extra or {})}))
    elif fmt == "text":
        text()
    else:
        print(ci.render(fmt, result.findings, name=name, checked=result.resources))
    return EXIT_FAILED if result.failed else EXIT_OK


def plain(result: CheckResult, summary: Sequence[str]) -> str:
    """Plain text: a line a finding (control characters dropped), summary, the verdict."""

    lines = [*finding_lines(result.findings, markup=False), *summary]
    return "\n".join([*lines, "Failed" if result.failed else "Passed"])


def pick_format(fmt: str | None, allowed: Sequence[str]) -> str:
    """The --format value, or a one-line usage error listing the allowed ones."""
    chosen = fmt or allowed[0]
    if chosen not in allowed:
        raise UsageError(f"unknown format {chosen!r}", hint=f"use one of: {', '.join(allowed)}")
    return chosen


def console(*, stderr: bool = False) -> Console:
    no_color = "NO_COLOR" in os.environ
    return _safe_console()(stderr=stderr, no_color=no_color, highlight=False, soft_wrap=True)


@functools.cache
def _safe_console() -> type[Console]:
    from rich.console import Console

    class SafeConsole(Console):
        """Shows control and bidi characters as escapes before Rich reads the text: Rich passes
        ESC through, so a name or message from a hostile repo could restyle or clear the
        terminal. Every string Rich renders (printed, or a table's cell) goes through
        render_str; newlines stay, so each one-line field is escaped where it is formatted."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(block(text), **kwargs)

    return SafeConsole


def show_progress(quiet: bool) -> bool:
    """Progress only for a person watching: a terminal, not CI, not --quiet."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress(label: str, *, quiet: bool) -> Iterator[Callable[[str], None] | None]:
    """A transient spinner on stderr naming the item being worked on, or nothing."""
    if not show_progress(quiet):
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label)
        count = 0

        def advance(item: str) -> None:
            nonlocal count
            count += 1
            bar.update(task, description=f"{label} {count}: {markup(item)}")

        yield advance
