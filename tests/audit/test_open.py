"""Where the store is: a file per repository in XDG_STATE_HOME, audit.path, or a URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.audit.open import URL_ENV, open_store, store_path
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from gitops_gate.errors import UsageError
from tests.audit.events import event


def test_each_repository_has_its_own_file_under_xdg_state_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.delenv(URL_ENV, raising=False)
    one, two = tmp_path / "one" / "repo", tmp_path / "two" / "repo"

    for root in (one, two):
        store = open_store(root)
        store.append(event(1))
        store.close()

    files = sorted((tmp_path / "state" / "gitops-gate" / "audit").iterdir())
    assert len(files) >= 2 and all(f.name.startswith("repo-") for f in files)
    assert store_path(Config(root=one)) != store_path(Config(root=two))


def test_audit_path_is_relative_to_the_root(tmp_path: Path) -> None:
    config = Config(root=tmp_path, audit=AuditSection(path="var/audit.db"))

    open_store(config).close()

    assert (tmp_path / "var" / "audit.db").is_file()


def test_the_url_in_the_environment_wins_over_the_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL_ENV, f"sqlite:///{tmp_path}/from-env.db")
    config = Config(root=tmp_path, audit=AuditSection(path="from-config.db"))

    open_store(config).close()

    assert (tmp_path / "from-env.db").is_file()
    assert not (tmp_path / "from-config.db").exists()


def test_an_unknown_url_scheme_is_a_usage_error(tmp_path: Path) -> None:
    config = Config(root=tmp_path, audit=AuditSection(url="mysql://db/audit"))

    with pytest.raises(UsageError, match="'mysql' is not known"):
        open_store(config)


def test_reading_a_log_that_does_not_exist_says_so_and_creates_nothing(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    (tmp_path / ".gitops-gate.yaml").write_text("version: 1\naudit: {path: log.sqlite}\n")

    for verb in ("verify", "export", "report"):
        run = cli("audit", verb, str(tmp_path))
        assert run.code == 2 and "no audit log here yet" in run.err
    assert not (tmp_path / "log.sqlite").exists()
    assert cli("audit", "verify", str(tmp_path / "missing")).code == 2
