"""Terminal plumbing shared by commands: consoles, progress, and the format option."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from gitops_gate.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console


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

    from gitops_gate.report.escape import block

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

    from gitops_gate.report.escape import markup

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
