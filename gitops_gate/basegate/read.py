"""The gate's own files as a checked change's base ref has them, read from git objects."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gitops_gate import gitrefs
from gitops_gate.basegate.changes import config_changes, file_change, project_changes
from gitops_gate.config import CONFIG_NAME, Config, load_config, load_config_text
from gitops_gate.config.load import MAX_CONFIG_BYTES
from gitops_gate.config.sections import DEFAULT_BASELINE
from gitops_gate.errors import ConfigError, ManifestError
from gitops_gate.findings import Finding
from gitops_gate.manifests.decode import decode
from gitops_gate.manifests.loader import load_text
from gitops_gate.manifests.model import Resource
from gitops_gate.waivers import WAIVERS_FILE

_HINT = "a change is checked against its base ref's config; fix it there"


@dataclass(frozen=True, slots=True)
class GateBase:
    """What configures the gate for a change, from its base ref, and what the change does to it.

    `config` is the base's settings over the work tree (its secrets baseline read from git);
    `findings` are the change's edits of the config, the waivers file and the baseline.
    """

    ref: str
    repo: gitrefs.Repo
    sha: str
    prefix: str  # the root's folder in the repository, "" at its top
    config: Config
    head: Config  # the work tree's, for the deny windows it adds
    waivers_text: str | None
    findings: tuple[Finding, ...]

    def projects(
        self, resources: Sequence[Resource], changed: Sequence[str], scope: Sequence[str]
    ) -> tuple[list[Resource], list[Finding]]:
        """The base's AppProjects, from the files that hold one now or that the change touches
        (within scope, the root-relative folders checked), and the change's edits of their
        syncWindows. Any other AppProject's file is the same at both."""
        heads = [r for r in resources if _is_project(r)]
        files = {r.path for r in heads}
        files |= {c for c in changed if c.endswith((".yaml", ".yml")) and _within(c, scope)}
        data = gitrefs.read_at(self.repo, self.sha, [self._in_repo(f) for f in files])
        before: list[Resource] = []
        for rel in sorted(files):
            blob = data.get(self._in_repo(rel))
            if blob is not None:
                before += [r for r in self._resources(rel, blob) if _is_project(r)]
        return before, project_changes(self.config, self.ref, before, heads)

    def _resources(self, rel: str, blob: bytes) -> list[Resource]:
        try:
            text = decode(blob, rel)
        except ManifestError:
            return []  # not text at the base: it held no AppProject
        return load_text(text, rel, self.config.load_options()).resources

    def _in_repo(self, rel: str) -> str:
        return posixpath.join(self.prefix, rel) if self.prefix else rel


def read_base(root: Path, ref: str, config_path: Path | None = None) -> GateBase:
    """The config, waivers file and secrets baseline at ref, for a check of root's change.

    The work tree's config is still loaded, so a broken one fails as before; an explicit
    config_path outside the repository is no part of any change and is used as it is.
    """
    repo = gitrefs.open_repo(root)
    sha = gitrefs.resolve(repo, ref)
    top, root = repo.top.resolve(), root.resolve()
    prefix = "" if root == top else root.relative_to(top).as_posix()
    head = load_config(root, config_path)
    config_file = (config_path or root / CONFIG_NAME).resolve()
    name = config_file.relative_to(top).as_posix() if config_file.is_relative_to(top) else None
    waivers = posixpath.join(prefix, WAIVERS_FILE) if prefix else WAIVERS_FILE
    default = _baseline_rel(prefix, DEFAULT_BASELINE)
    data = gitrefs.read_at(repo, sha, [p for p in (name, waivers, default) if p])
    found = []
    config = head
    if name is not None:  # a config from outside the repository is the caller's
        config = _base_config(root, config_file, data.get(name), ref)
        found += config_changes(config, head, ref, had=name in data, has=config_file.is_file())
    found += file_change(config, ref, WAIVERS_FILE, data.get(waivers), root / WAIVERS_FILE)
    baseline = _baseline_rel(prefix, config.secrets.baseline)
    if baseline is not None:
        if baseline not in data and baseline != default:
            data.update(gitrefs.read_at(repo, sha, [baseline]))
        config = _with_baseline(config, data.get(baseline), baseline)
        shown = config.secrets.baseline
        found += file_change(config, ref, shown, data.get(baseline), root / shown)
    waived = _text(data[waivers], WAIVERS_FILE) if waivers in data else None
    return GateBase(ref, repo, sha, prefix, config, head, waived, tuple(found))


def _with_baseline(config: Config, blob: bytes | None, rel: str) -> Config:
    """config with the base's baseline as its secrets baseline ("" when it has none)."""
    secrets = dataclasses.replace(config.secrets, baseline_text=_text(blob, rel))
    return dataclasses.replace(config, secrets=secrets)


def _base_config(root: Path, path: Path, blob: bytes | None, ref: str) -> Config:
    try:
        if blob is not None and len(blob) > MAX_CONFIG_BYTES:
            raise ConfigError(path.name, None, "the config is over 1 MiB")
        text = decode(blob, path.name) if blob is not None else None
        return load_config_text(root, path, text)
    except (ConfigError, ManifestError) as e:
        raise ConfigError(f"{ref}:{e.path}", e.line, e.message, hint=_HINT) from e


def _baseline_rel(prefix: str, baseline: str) -> str | None:
    """The baseline's repo-relative name; None when it lies outside the repository."""
    rel = PurePosixPath(posixpath.normpath(posixpath.join(prefix, baseline)))
    return None if rel.is_absolute() or rel.parts[:1] == ("..",) else rel.as_posix()


def _text(blob: bytes | None, rel: str) -> str:
    """A blob as text; "" when there is none (or it is not text: nothing can come of it)."""
    try:
        return decode(blob, rel) if blob is not None else ""
    except ManifestError:
        return ""


def _is_project(res: Resource) -> bool:
    return res.key.group == "argoproj.io" and res.key.kind == "AppProject"


def _within(rel: str, scope: Sequence[str]) -> bool:
    return any(d == "." or rel == d or rel.startswith(f"{d}/") for d in scope)
