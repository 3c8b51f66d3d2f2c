"""`gitops-gate init`: a new GitOps repository from the bundled Copier template."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path

from gitops_gate._bundled import bundled
from gitops_gate._version import __version__
from gitops_gate.errors import UsageError

TEMPLATE = "gitops-repo"


def template_path() -> Path:
    """The template that ships with gitops-gate (a checkout's templates/ or the wheel's)."""
    return bundled("templates") / TEMPLATE


def init_repo(
    dest: Path,
    *,
    data: Mapping[str, str] | None = None,
    defaults: bool = True,
    force: bool = False,
    template: str | None = None,
    vcs_ref: str | None = None,
    quiet: bool = False,
) -> Path:
    """Generate a repository at dest; refuse a non-empty dest unless force. Returns dest."""
    _check_destination(dest, force=force)
    answers = {"gitops_gate_version": __version__, **(data or {})}
    _copy(
        template or str(template_path()),
        dest,
        answers,
        defaults=defaults,
        overwrite=force,
        vcs_ref=vcs_ref,
        quiet=quiet,
    )
    return dest


def parse_data(pairs: list[str]) -> dict[str, str]:
    """`KEY=VALUE` answers from the command line; VALUE is YAML for list and mapping questions."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--data {pair!r} is not KEY=VALUE", hint="e.g. --data engine=flux")
        out[key.strip()] = value
    return out


def _check_destination(dest: Path, *, force: bool) -> None:
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a folder", hint="choose another destination")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise UsageError(
            f"{dest} is not empty; nothing was written",
            hint="choose an empty folder, or pass --force to write into it",
        )


def _copy(
    src: str,
    dest: Path,
    data: dict[str, str],
    *,
    defaults: bool,
    overwrite: bool,
    vcs_ref: str | None,
    quiet: bool,
) -> None:

    import copier
    from copier.errors import CopierError, DirtyLocalWarning

    try:
        with warnings.catch_warnings():
            # A dirty local template is what a developer of the template wants to see.
            warnings.simplefilter("ignore", category=DirtyLocalWarning)
            copier.run_copy(
                src,
                dest,
                data=data,
                defaults=defaults,
                overwrite=overwrite,
                vcs_ref=vcs_ref,
                quiet=quiet,
                unsafe=False,
            )
    except (ValueError, CopierError) as e:
        raise TemplateError(_one_line(str(e))) from e
    except KeyboardInterrupt:
        raise
    except OSError as e:
        raise UsageError(f"cannot write {dest}: {e.strerror or e}") from e


class TemplateError(UsageError):
    """An answer the template's validators refused, or a template that cannot be read."""

    def __init__(self, message: str) -> None:
        super().__init__(message, hint="nothing was written")


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines) if lines else "the template failed"
