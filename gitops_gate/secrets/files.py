"""Which files a secret scan reads: every file named or under a folder, not only manifests."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
_MAX_BYTES = 2 * 1024 * 1024


def files_to_scan(
    paths: Sequence[Path | str], root: Path, *, exclude: tuple[str, ...] = ()
) -> list[Path]:
    """Regular text files under paths (relative ones are taken from root), each once."""
    import pathspec

    spec = pathspec.PathSpec.from_lines("gitwildmatch", exclude)
    found: dict[Path, None] = {}
    for given in paths or [root]:
        path = Path(given)
        path = path if path.is_absolute() else root / path
        for f in _walk(path):
            rel = _rel(f, root)
            if not spec.match_file(rel) and _readable(f):
                found[f] = None
    return list(found)


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


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
