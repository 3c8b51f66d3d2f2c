"""The audit store's fixtures: every store test runs on each backend."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from gitops_gate.audit.open import open_store
from gitops_gate.audit.store import AuditStore
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from tests.helpers.postgres import Server, serving

BACKENDS = ["sqlite", "postgresql"]


def config_for(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Config:
    """A repo config whose audit store is a fresh SQLite file or a fresh PostgreSQL database."""
    if backend == "sqlite":
        return Config(root=tmp_path, audit=AuditSection(path="audit.sqlite"))
    server = request.getfixturevalue("postgres_server")
    return Config(root=tmp_path, audit=AuditSection(url=server.new_database()))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """One server for the run, started the first time a test needs it."""
    with serving() as server:
        yield server


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def audit_config(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Config:
    return config_for(backend, tmp_path, request)


@pytest.fixture
def store(audit_config: Config) -> Iterator[AuditStore]:
    opened = open_store(audit_config)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def tamper(backend: str, audit_config: Config) -> Callable[[str], None]:
    """Run SQL on the store behind its back, as someone editing the log would."""

    def run(sql: str) -> None:
        if audit_config.audit.url:
            with psycopg.connect(audit_config.audit.url, autocommit=True) as server:
                server.execute(sql)  # type: ignore[call-overload]
            return
        db = sqlite3.connect(audit_config.root / str(audit_config.audit.path))
        db.execute(sql)
        db.commit()
        db.close()

    return run


@pytest.fixture
def open_again(audit_config: Config) -> Iterator[Callable[[], AuditStore]]:
    """Opens the same log again, as another process would."""
    yield lambda: open_store(audit_config)
