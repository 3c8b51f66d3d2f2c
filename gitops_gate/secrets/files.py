"""Which files a secret scan reads: every file named or under a folder, not only manifests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
_MAX_BYTES = 2 * 1024 * 1024


def files_to_scan(
    paths: Sequence[Path | str], root: Path, *, exclude: tuple[str, ...] = ()
) -> dict[Path, str]:
    """Regular text files under paths (relative ones are taken from root), each once, with
    the repo-relative name of what each resolves to."""
    spec = _excluded(exclude)
    real_root = root.resolve()
    found: dict[Path, str] = {}
    for given in paths or [root]:
        path = Path(given)
        path = path if path.is_absolute() else root / path
        for f in _walk(path):
            if f in found:
                continue
            rel = relative(f, real_root)
            if not (spec is not None and spec.match_file(rel)) and _readable(f):
                found[f] = rel
    return found


def _excluded(exclude: tuple[str, ...]) -> Any:
    """The exclude globs as a path spec, or None for none (pathspec takes 20 ms to import)."""
    if not exclude:
        return None
    import pathspec

    return pathspec.PathSpec.from_lines("gitwildmatch", exclude)


def _walk(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    for child in sorted(path.iterdir()):
        if child.is_dir() and child.name not in _SKIP_DIRS and not child.is_symlink():
            yield from _walk(child)
        elif child.is_file() and not child.is_symlink():
            yield child


def _readable(path: Path) -> bool:
    try:
        if path.stat().st_size > _MAX_BYTES:
            return False
        with path.open("rb") as f:
            return b"\0" not in f.read(8192)
    except OSError:
        return False


def relative(path: Path, real_root: Path) -> str:
    """What path resolves to, relative to the resolved root; path itself if outside."""
    try:
        return path.resolve().relative_to(real_root).as_posix()
    except ValueError:
        return path.as_posix()
