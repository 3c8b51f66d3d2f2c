"""Reads .gitops-gate.yaml, validates it against the shipped schema, and finds the repo root."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_gate.cachedir import cache_root
from gitops_gate.config.discover import discover, is_production
from gitops_gate.config.model import CONFIG_NAME, Config, Environment
from gitops_gate.config.promotion import PromotionSection
from gitops_gate.config.reader import Reader
from gitops_gate.config.sections import (
    SEVERITIES,
    AuditSection,
    DiffSection,
    EnginesSection,
    LimitsSection,
    PolicySection,
    ReconcileSettings,
    SecretsSection,
    ValidateSection,
    WaiversSection,
    WindowsSection,
)
from gitops_gate.errors import ConfigError, ManifestError
from gitops_gate.findings import Severity
from gitops_gate.manifests.decode import read_text
from gitops_gate.manifests.model import Document
from gitops_gate.manifests.yamlsafe import parse

MAX_CONFIG_BYTES = 1024 * 1024


def find_root(paths: Sequence[Path], config: Path | None = None) -> Path:
    """The repo root: the config's folder, else the nearest folder holding the config or .git."""
    if config is not None:
        return config.resolve().parent
    # A link named is looked for from where it sits, never from where it leads (a staged
    # symlink to a runner's file would make that folder the root, named in every finding).
    given = Path(os.path.abspath(paths[0])) if paths else Path.cwd()  # noqa: PTH100 - keep links
    start = given.resolve() if given.is_dir() and not given.is_symlink() else given.parent.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file() or (folder / ".git").exists():
            return folder
    return start


def load_config(root: Path, path: Path | None = None) -> Config:
    """The effective config: the file's settings, or environments discovered from the repo."""
    root = root.resolve()
    if path is None and (root / CONFIG_NAME).is_file():
        path = root / CONFIG_NAME
        if not path.resolve().is_relative_to(root):  # --config may name any file; a link may not
            leaves = "the config is a link that leaves the repository; it was not read"
            raise ConfigError(CONFIG_NAME, None, leaves, hint="commit the config itself")
    if path is None:
        return _discovered(Config(root=root))
    if not path.is_file():
        raise ConfigError(str(path), None, "config file not found", hint="check --config")
    try:
        text = read_text(path, path.name, max_bytes=MAX_CONFIG_BYTES)
    except ManifestError as e:
        raise ConfigError(path.name, e.line, e.message, hint=e.hint) from e
    return load_config_text(root, path, text)


def load_config_text(root: Path, path: Path, text: str | None) -> Config:
    """The effective config from the file's text as read elsewhere (a commit's blob, when a
    change is checked against its base ref); None: there was no file, so environments are
    discovered. path names the file in messages, as if it were at path."""
    root = root.resolve()
    if text is None:
        return _discovered(Config(root=root))
    document = _read(text, path.name)
    _validate(document, path)
    return _build(root, path, document)


def _read(text: str, shown: str) -> Document:
    try:
        docs = list(parse(text, shown))
    except ManifestError as e:
        raise ConfigError(shown, e.line, e.message, hint=e.hint) from e
    if len(docs) != 1 or not isinstance(docs[0].value, dict):
        raise ConfigError(shown, 1, "the config must be one YAML mapping")
    doc = docs[0]
    if doc.duplicates:
        line, key, first = doc.duplicates[0]
        raise ConfigError(shown, line, f"duplicate key {key!r} (first at line {first})")
    return Document(shown, 0, doc.value, doc.node.start_mark.line + 1, text, _node=doc.node)


@cache
def _schema_bytes() -> bytes:
    return resources.files("gitops_gate.config").joinpath("schema.json").read_bytes()


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(_schema_bytes())
    return schema


def _validate(document: Document, path: Path) -> None:
    # Importing jsonschema is a tenth of a hook's budget; these exact bytes passed before.
    passed = _passed_marker(document.text)
    if passed is not None and passed.exists():
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(document.body), key=lambda e: list(e.absolute_path))
    if not errors:
        _remember(passed)
        return
    first = min(errors, key=lambda e: document.line_of(_pointer(e.absolute_path)))
    pointer, message = _explain(first)
    raise ConfigError(path.name, document.line_of(pointer), message)


def _passed_marker(text: str | None) -> Path | None:
    """A cache file named by the hash of the schema and the config text, or None."""
    if text is None:
        return None
    digest = hashlib.sha256(_schema_bytes() + b"\0" + text.encode()).hexdigest()
    return cache_root() / "config-valid" / digest


def _remember(marker: Path | None) -> None:
    if marker is None:
        return
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only cache only costs the next run the validation again


def _pointer(parts: Any) -> str:
    return "/" + "/".join(str(p) for p in parts)


def _explain(error: Any) -> tuple[str, str]:
    where = ".".join(str(p) for p in error.absolute_path) or "the top level"
    pointer = _pointer(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        if extra and allowed:
            return (
                f"{pointer.rstrip('/')}/{extra[0]}",
                f"unknown key {extra[0]!r} in {where} (allowed: {', '.join(allowed)})",
            )
    if "propertyNames" in error.schema_path:
        return f"{pointer.rstrip('/')}/{error.instance}", (
            f"{error.instance!r} in {where} is not a valid name "
            "(lower-case letters, digits and '-', at most 63 characters)"
        )
    return pointer, f"{where}: {error.message}"


def _build(root: Path, path: Path, document: Document) -> Config:
    raw: dict[str, Any] = document.body
    read = Reader(raw, "", lambda pointer: (path.name, document.line_of(pointer)))
    config = Config(
        root=root,
        path=path,
        engines=EnginesSection.parse(read.section("engines")),
        fail_level=Severity.parse(read.choice("failLevel", SEVERITIES, "error")),
        exclude=read.strings("exclude") or (),
        limits=LimitsSection.parse(read.section("limits")),
        policy=PolicySection.parse(read.section("policy")),
        secrets=SecretsSection.parse(read.section("secrets")),
        windows=WindowsSection.parse(read.section("windows")),
        validate=ValidateSection.parse(read.section("validate")),
        diff=DiffSection.parse(read.section("diff")),
        waivers=WaiversSection.parse(read.section("waivers")),
        promotion=PromotionSection.parse(read.section("promotion")),
        audit=AuditSection.parse(read.section("audit")),
        raw=raw,
        document=document,
    )
    _check_paths(config)
    envs = raw.get("environments")
    return (
        replace(config, environments=_environments(config, envs)) if envs else _discovered(config)
    )


def _discovered(config: Config) -> Config:
    """config with the environments the repo's GitOps objects (or its layout) show."""
    found = discover(config.root, config.exclude, config.max_file_bytes)
    return replace(
        config, environments=found.environments, notices=found.notices, scanned=found.scanned
    )


def _check_paths(config: Config) -> None:
    """Every folder the config names is read recursively: one outside the repo ('/', '..',
    a link leaving it) would walk the machine, so it is refused where it is written."""
    named = {
        "/validate/crdDirs": config.validate.crd_dirs,
        "/policy/paths": config.policy.paths or (),
    }
    for pointer, paths in named.items():
        for i, rel in enumerate(paths):
            _check_inside(config, rel, f"{pointer}/{i}")
    if config.secrets.baseline:
        _check_inside(config, config.secrets.baseline, "/secrets/baseline")


def _environments(config: Config, raw: dict[str, Any]) -> tuple[Environment, ...]:
    out = []
    for name, spec in raw.items():
        paths = tuple(
            spec.get("paths") or ([spec["kustomization"]] if "kustomization" in spec else [])
        )
        for i, p in enumerate(paths):
            _check_inside(config, p, f"/environments/{name}/paths/{i}")
        production = spec.get("production", is_production(name))
        file, line = config.locate(f"/environments/{name}")
        out.append(
            Environment(
                name=name,
                paths=tuple(PurePosixPath(p).as_posix().rstrip("/") for p in paths),
                source=f"{file}:{line}",
                kustomization=spec.get("kustomization"),
                cluster=spec.get("cluster"),
                kubernetes_version=spec.get("kubernetesVersion"),
                production=production,
                auto_sync=spec.get("autoSync", not production),
                auto_sync_explicit="autoSync" in spec,
                sync_windows=tuple(spec.get("syncWindows", ())),
                reconcile=ReconcileSettings.parse(spec),
            )
        )
    return tuple(out)


def _check_inside(config: Config, rel: str, pointer: str) -> None:
    p = PurePosixPath(rel)
    if p.is_absolute() or ".." in p.parts or not _resolves_inside(config.root, rel):
        file, line = config.locate(pointer)
        raise ConfigError(
            file,
            line,
            f"path {rel!r} leaves the repository",
            hint="use a path relative to the root",
        )


def changed_sections(before: Config, after: Config) -> list[tuple[str, str]]:
    """(top-level key, "adds" | "removes" | "changes") for each section of the file after
    sets differently from before: what a change does to the config it is checked by."""
    old, new = before.raw, after.raw
    out = []
    for key in sorted(old.keys() | new.keys(), key=str):
        if old.get(key) != new.get(key):
            verb = "adds" if key not in old else "removes" if key not in new else "changes"
            out.append((str(key), verb))
    return out


def _resolves_inside(root: Path, rel: str) -> bool:
    """True when root/rel, links followed, stays under root (a link loop does not)."""
    root = root.resolve()
    try:
        return (root / rel).resolve().is_relative_to(root)
    except (RuntimeError, OSError):
        return False
