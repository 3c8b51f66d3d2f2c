"""`audit export`: every format carries the same events, filtered, chained, safe to open."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.audit.event import Actor
from gitops_gate.audit.ocsf import to_ocsf
from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from tests.audit.events import event
from tests.helpers.tree import write_tree


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\naudit: {path: log.sqlite}\n"})
    store = open_store(Config(root=tmp_path, audit=AuditSection(path="log.sqlite")))
    store.append_many(event(n) for n in range(10))
    store.append(event(10, actor=Actor(author='=HYPERLINK("http://evil")'), reason="+1 cmd"))
    store.close()
    return tmp_path


def _run(cli: Callable[..., Any], repo: Path, fmt: str, *extra: str) -> str:
    run = cli("audit", "export", "--format", fmt, *extra, str(repo))
    assert run.code == 0, run.err
    return str(run.out)


def test_jsonl_json_csv_and_ocsf_carry_the_same_events(repo: Path, cli: Callable[..., Any]) -> None:
    lines = [json.loads(line) for line in _run(cli, repo, "jsonl").splitlines()]
    whole = json.loads(_run(cli, repo, "json"))
    table = list(csv.DictReader(io.StringIO(_run(cli, repo, "csv"))))
    ocsf = [json.loads(line) for line in _run(cli, repo, "ocsf").splitlines()]

    assert [r["seq"] for r in lines] == list(range(1, 12))
    assert whole["schemaVersion"] == 1 and whole["events"] == lines
    assert [int(r["seq"]) for r in table] == list(range(1, 12))
    assert [r["hash"] for r in table] == [r["hash"] for r in lines]
    assert [o["metadata"]["uid"] for o in ocsf] == [r["hash"] for r in lines]


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted(repo: Path, cli: Callable[..., Any]) -> None:
    last = list(csv.DictReader(io.StringIO(_run(cli, repo, "csv"))))[-1]

    assert last["author"].startswith("'=HYPERLINK")
    assert last["reason"] == "'+1 cmd"


def test_ocsf_events_are_api_activity_with_the_required_attributes(
    repo: Path, cli: Callable[..., Any]
) -> None:
    ocsf = [json.loads(line) for line in _run(cli, repo, "ocsf").splitlines()]

    sync = next(o for o in ocsf if o["api"]["operation"] == "reconcile.sync")
    assert (sync["class_uid"], sync["category_uid"], sync["activity_id"]) == (6003, 6, 3)
    assert sync["type_uid"] == 600303
    for o in ocsf:
        assert {"actor", "api", "src_endpoint", "metadata", "time", "severity_id"} <= set(o)
        assert o["metadata"]["version"] and o["metadata"]["product"]["name"] == "gitops-gate"
    failed = next(o for o in ocsf if o["status"] == "failure")
    assert failed["status_id"] == 2


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (("--env", "production"), [1, 3, 5, 7, 9]),
        (("--action", "reconcile"), [2, 5, 8]),
        (("--since", "2026-11-02T12:00:00+00:00", "--until", "2026-11-02T15:00"), [3, 4, 5]),
    ],
    ids=["env", "action", "time"],
)
def test_filters(
    repo: Path, cli: Callable[..., Any], extra: tuple[str, ...], expected: list[int]
) -> None:
    lines = [json.loads(line) for line in _run(cli, repo, "jsonl", *extra).splitlines()]

    assert [r["event"]["details"]["n"] for r in lines] == expected


def test_verify_on_a_tampered_log_exits_1_naming_the_event(
    repo: Path, cli: Callable[..., Any]
) -> None:
    db = sqlite3.connect(repo / "log.sqlite")
    db.execute("DELETE FROM gitops_gate_events WHERE seq = 6")
    db.commit()
    db.close()

    run = cli("audit", "verify", str(repo))

    assert run.code == 1
    assert "event 7: deleted" in run.out and "BROKEN" in run.out


def test_an_account_action_is_ocsf_account_change(tmp_path: Path) -> None:
    store = open_store(Config(root=tmp_path, audit=AuditSection(path="log.sqlite")))
    row = store.append(event(1, action="account.disable", objects=("deploy-bot",)))
    store.close()
    assert row is not None

    ocsf = to_ocsf(row)

    assert (ocsf["class_uid"], ocsf["category_uid"], ocsf["activity_id"]) == (3001, 3, 5)
    assert ocsf["type_uid"] == 300105 and ocsf["user"] == {"name": "deploy-bot"}
