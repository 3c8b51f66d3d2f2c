"""Kustomizations: their file names, and what one refers to (local paths, remote targets).

The one parser of which kustomization entries are paths: the loader (patch files), the
graph, the renderer and the hooks' affected-environment walk all read references here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

# The names kustomize looks for in a folder, in its order.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
_NAMES = frozenset(KUSTOMIZATION_NAMES)
# Fields whose entries are patches: partial objects the loader sets apart from resources.
PATCH_FIELDS = frozenset({"patches", "patchesJson6902", "patchesStrategicMerge"})
_PATCH_SUFFIXES = (".yaml", ".yml", ".json")

# Fields whose entries are paths (files or folders) relative to the kustomization's folder.
_PATH_LISTS = (
    "resources",
    "bases",
    "components",
    "crds",
    "patchesStrategicMerge",
    "generators",
    "transformers",
    "validators",
    "configurations",
)
# Fields holding a list of mappings with a `path:` (patches, replacements) or files lists.
_PATH_KEYS = ("patches", "patchesJson6902", "replacements")
_GENERATORS = ("configMapGenerator", "secretGenerator")

# Forms kustomize (and go-getter before it) fetches over the network.
_REMOTE = re.compile(
    r"""^(?:
        [a-z][a-z0-9+.-]*://          # https://, ssh://, git://, file:// (a clone)
      | git::                          # go-getter forcing git
      | git@[^:]+:                     # scp-like ssh
      | (?:github|gitlab|bitbucket)\.(?:com|org)/  # host-first shorthand
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class Ref:
    """One entry of a kustomization: where it is, which field named it, whether it is remote."""

    target: str  # repo-relative posix path, or the remote URL as written
    field: str
    pointer: str  # JSON pointer into the kustomization, for line numbers
    remote: bool = False
    written: str = ""  # the entry as the file has it, for messages


def is_kustomization_file(rel: str) -> bool:
    """True when the file at rel (a posix path) is a kustomization by its name."""
    return rel.rstrip("/").rpartition("/")[2] in _NAMES


def is_remote(entry: str) -> bool:
    """True when kustomize would fetch entry over the network (a URL, git::, ?ref=, host/...)."""
    text = entry.strip()
    if _REMOTE.match(text):
        return True
    return "?ref=" in text or "?version=" in text or (".git//" in text)


def refs(kustomization_path: str, body: Any) -> Iterator[Ref]:
    """Every path or URL the kustomization at kustomization_path refers to."""
    if not isinstance(body, dict):
        return
    folder = PurePosixPath(kustomization_path).parent
    for field, pointer, entry in _entries(body):
        if is_remote(entry):
            yield Ref(entry, field, pointer, remote=True, written=entry)
        else:
            yield Ref(join(folder, entry), field, pointer, written=entry)
    for i, chart in enumerate(_list(body.get("helmCharts"))):
        if isinstance(chart, dict) and isinstance(chart.get("valuesFile"), str):
            values = chart["valuesFile"]
            yield Ref(join(folder, values), "helmCharts", f"/helmCharts/{i}", written=values)


def patch_files(kustomization_path: str, body: Any) -> set[str]:
    """The local files (YAML or JSON) the kustomization uses as patches."""
    return {
        r.target
        for r in refs(kustomization_path, body)
        if r.field in PATCH_FIELDS and not r.remote and r.target.endswith(_PATCH_SUFFIXES)
    }


def _entries(body: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    for field in _PATH_LISTS:
        for i, entry in enumerate(_list(body.get(field))):
            # A patchesStrategicMerge entry may be the patch itself, inline: not a path. Any
            # other entry is a path, even one whose name holds a newline.
            if not isinstance(entry, str):
                continue
            if field != "patchesStrategicMerge" or "\n" not in entry.strip():
                yield field, f"/{field}/{i}", entry
    for field in _PATH_KEYS:
        yield from _path_items(field, _list(body.get(field)))
    for field in _GENERATORS:
        for i, gen in enumerate(_list(body.get(field))):
            if isinstance(gen, dict):
                yield from _generator_files(field, f"/{field}/{i}", gen)
    openapi = body.get("openapi")
    if isinstance(openapi, dict) and isinstance(openapi.get("path"), str):
        yield "openapi", "/openapi/path", openapi["path"]


def _path_items(field: str, items: list[Any]) -> Iterator[tuple[str, str, str]]:
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("path"), str):
            yield field, f"/{field}/{i}/path", item["path"]


def _generator_files(
    field: str, pointer: str, gen: dict[str, Any]
) -> Iterator[tuple[str, str, str]]:
    for key in ("files", "envs"):
        for j, entry in enumerate(_list(gen.get(key))):
            if isinstance(entry, str):
                # `files` entries may be `key=path`.
                yield field, f"{pointer}/{key}/{j}", entry.rpartition("=")[2]
    if isinstance(gen.get("env"), str):
        yield field, f"{pointer}/env", gen["env"]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def join(folder: PurePosixPath, entry: str) -> str:
    """folder/entry normalised without touching the disk ('..' collapsed, no trailing '/')."""
    text = entry.strip()
    # A relative entry splits on '/' as PurePosixPath would; an absolute one keeps pathlib's
    # handling of leading slashes.
    pieces = (
        f"{folder}/{text}".split("/")
        if not text.startswith("/") and not str(folder).startswith("/")
        else (folder / text).parts
    )
    parts: list[str] = []
    for part in pieces:
        if part in ("", "."):
            continue
        if part == ".." and parts and parts[-1] != "..":
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts) or "."
