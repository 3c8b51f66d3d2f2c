"""Which files a secret scan reads: every file named or under a folder, none outside the repo."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
# The loader's own default (limits.maxFileBytes); the scan takes the run's from its config.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(slots=True)
class Selection:
    """The files to scan (path -> repo name), and those that are not, each with why."""

    files: dict[Path, str] = field(default_factory=dict)
    too_large: list[str] = field(default_factory=list)
    binary: list[str] = field(default_factory=list)
    not_utf8: list[str] = field(default_factory=list)
    # Links that resolve outside the repo: never opened, named by the link alone.
    escapes: list[str] = field(default_factory=list)


def files_to_scan(
    paths: Sequence[Path | str],
    root: Path,
    *,
    exclude: tuple[str, ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Selection:
    """Regular files under paths (relative ones are taken from root), each once, with the
    repo-relative name of what each resolves to; what is passed over says why."""
    spec = _excluded(exclude)
    real_root = root.resolve()
    out = Selection()
    for given in paths or [root]:
        path = Path(given)
        path = path if path.is_absolute() else root / path
        for f in _walk(path, real_root):
            if f in out.files:
                continue
            if not f.resolve().is_relative_to(real_root):
                out.escapes.append(_name(f, root))
                continue
            rel = relative(f, real_root)
            if not (spec is not None and spec.match_file(rel)):
                _sort(out, f, rel, max_bytes)
    return out


def _sort(out: Selection, path: Path, rel: str, max_bytes: int) -> None:
    """Put path in files, or in the list that says why it is not scanned."""
    try:
        if path.stat().st_size > max_bytes:
            out.too_large.append(rel)
            return
        data = path.read_bytes()
    except OSError:
        return  # vanished or unreadable: nothing to scan, and the loader says so for manifests
    try:
        data.decode("utf-8")  # what detect-secrets reads; it passes over anything else silently
    except UnicodeDecodeError:
        (out.binary if b"\0" in data else out.not_utf8).append(rel)
        return
    out.files[path] = rel  # text with a NUL in it is still text, and still scanned


def _name(path: Path, root: Path) -> str:
    """path as named in the repo, without following its last part (a link's own name)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _excluded(exclude: tuple[str, ...]) -> Any:
    """The exclude globs as a path spec, or None for none (pathspec takes 20 ms to import)."""
    if not exclude:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(exclude)


def _walk(path: Path, real_root: Path) -> Iterator[Path]:
    if path.is_symlink() and not path.is_dir():
        yield path  # a link named (or changed) itself: files_to_scan decides where it leads
        return
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    for child in sorted(path.iterdir()):
        if child.is_dir() and child.name not in _SKIP_DIRS and not child.is_symlink():
            yield from _walk(child, real_root)
        elif child.is_symlink() and not child.is_dir():
            # One inside the repo is scanned under its target's name, when that is walked;
            # one leaving it is reported.
            if not child.resolve().is_relative_to(real_root):
                yield child
        elif child.is_file():
            yield child


def relative(path: Path, real_root: Path) -> str:
    """What path resolves to, relative to the resolved root; path itself if outside."""
    try:
        return path.resolve().relative_to(real_root).as_posix()
    except ValueError:
        return path.as_posix()
