"""The files an environment renders from, parsed once: where each rendered object came from."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from gitops_gate.config import Config
from gitops_gate.errors import ManifestError
from gitops_gate.keys import ResourceKey
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.kustomization import is_kustomization_file
from gitops_gate.manifests.loader import LoadOptions, LoadResult, load
from gitops_gate.manifests.model import Document, Resource
from gitops_gate.manifests.yamlsafe import parse


@dataclass(slots=True)
class Sources:
    """One environment's resources and kustomizations as written, with file:line."""

    root: Path
    options: LoadOptions
    resources: list[Resource] = field(default_factory=list)
    kustomizations: list[Document] = field(default_factory=list)
    fallback: tuple[str, int] = ("", 1)  # where a finding no file explains is shown
    # Resources of files the graph does not count in (a file .gitignore hides from the walk
    # still renders): looked at when none of the environment's own matches.
    others: list[Resource] = field(default_factory=list)
    _parsed: dict[str, list[Document]] = field(default_factory=dict)

    def origin(self, key: ResourceKey) -> Resource | None:
        """The resource a rendered object was made from: same kind and name, or the name an
        overlay's namePrefix/nameSuffix grew; the closest match wins."""
        return _closest(self.resources, key) or _closest(self.others, key)

    def documents(self, rel: str) -> list[Document]:
        """rel's YAML documents (a patch file), each able to say its lines; [] if unreadable."""
        if rel not in self._parsed:
            self._parsed[rel] = _parse_file(self.root, rel, self.options)
        return self._parsed[rel]


def _closest(resources: list[Resource], key: ResourceKey) -> Resource | None:
    best, score = None, 0
    for res in resources:
        if (res.key.group, res.key.kind) != (key.group, key.kind):
            continue
        found = _score(res.key, key)
        if found > score:
            best, score = res, found
    return best


def _score(written: ResourceKey, rendered: ResourceKey) -> int:
    if written.name == rendered.name:
        return 3 if written.namespace == rendered.namespace else 2
    return 1 if written.name and written.name in rendered.name else 0


def _parse_file(root: Path, rel: str, options: LoadOptions) -> list[Document]:
    try:
        text = read_text(root / rel, rel, max_bytes=options.max_file_bytes)
        return [
            Document(rel, d.index, d.value, d.node.start_mark.line + 1, text=text)
            for d in parse(text, rel, options.limits)
        ]
    except (ManifestError, OSError):
        return []  # the loader reports the file itself


def parse_text(text: str, rel: str) -> list[Document]:
    """An inline patch's documents, lines counted from the text's first line."""
    try:
        return [
            Document(rel, d.index, d.value, d.node.start_mark.line + 1, text=text)
            for d in parse(text, rel)
        ]
    except ManifestError:
        return []


class SourcePool:
    """Every environment's sources, from what `check` loaded plus, once, the files it did not
    walk (a base outside the paths a hook checks)."""

    def __init__(self, loaded: LoadResult, config: Config) -> None:
        self.root = config.root
        self.options = config.load_options()
        self.loaded = LoadResult(root=loaded.root)
        self.loaded.extend(loaded)
        self.seen = {f.path for f in loaded.files}

    def sources(self, files: Iterable[str], fallback: tuple[str, int]) -> Sources:
        wanted = set(files)
        missing = sorted(wanted - self.seen)
        if missing:
            self.seen.update(missing)
            found = [self.root / rel for rel in missing if (self.root / rel).is_file()]
            if found:
                self.loaded.extend(load(found, root=self.root, options=self.options))
        out = Sources(self.root, self.options, fallback=fallback)
        out.resources = [r for r in self.loaded.resources if r.path in wanted]
        out.others = [r for r in self.loaded.resources if r.path not in wanted]
        out.kustomizations = [
            k
            for k in self.loaded.kustomizations
            if k.path in wanted and is_kustomization_file(k.path)
        ]
        return out
