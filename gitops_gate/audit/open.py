"""The one entry point: the audit store a repository's config names, opened and ready."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from gitops_gate.audit.event import AuditEvent, AuditSink
from gitops_gate.audit.postgres import PostgresStore
from gitops_gate.audit.sqlite import SqliteStore
from gitops_gate.audit.store import AuditStore
from gitops_gate.config.model import Config
from gitops_gate.errors import UsageError
from gitops_gate.redact import Redactor

URL_ENV = "GITOPS_GATE_AUDIT_URL"
_POSTGRES = re.compile(r"^postgres(?:ql)?://")


def open_store(
    where: Config | Path, *, redactor: Redactor | None = None, create: bool = True
) -> AuditStore:
    """The store for a config (or a repository root with the defaults):
    GITOPS_GATE_AUDIT_URL, else `audit.url`, else `audit.path`, else a file per repository
    under ${XDG_STATE_HOME:-~/.local/state}/gitops-gate/audit/. Without create, a SQLite
    log that does not exist yet is a usage error (reading it must not leave an empty file)."""
    config = where if isinstance(where, Config) else Config(root=where)
    url = os.environ.get(URL_ENV) or config.audit.url
    if url:
        return _by_url(url, redactor)
    path = store_path(config)
    if not create and not path.exists():
        raise UsageError(
            f"{path}: no audit log here yet",
            hint="record one with `check --audit` or `audit import-git`, or set audit.path",
        )
    return SqliteStore(path, redactor=redactor)


def sink(store: AuditStore) -> AuditSink:
    """store as the AuditSink the PR check, reconciler and promotion write through."""

    def append(event: AuditEvent) -> None:
        store.append(event)

    return append


def store_path(config: Config) -> Path:
    """Where the SQLite store of config's repository is."""
    if config.audit.path:
        return config.root / Path(config.audit.path).expanduser()
    root = config.root.resolve()
    tag = hashlib.sha256(os.fsencode(root)).hexdigest()[:12]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", root.name) or "root"
    return state_home() / "gitops-gate" / "audit" / f"{name}-{tag}.sqlite"


def state_home() -> Path:
    """$XDG_STATE_HOME, or ~/.local/state (a relative value is ignored, as the spec says)."""
    base = os.environ.get("XDG_STATE_HOME", "")
    return Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"


def _by_url(url: str, redactor: Redactor | None) -> AuditStore:
    if _POSTGRES.match(url):
        return PostgresStore(url, redactor=redactor)
    if url.startswith("sqlite:///"):
        return SqliteStore(Path(url.removeprefix("sqlite://")), redactor=redactor)
    scheme = url.split(":", 1)[0]
    raise UsageError(
        f"audit store URL scheme {scheme!r} is not known",
        hint="use postgresql://... or sqlite:///path",
    )
