"""The promotion verbs from the command line: JSON out, one-line refusals, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import git

from tests.conftest import Run
from tests.promote.conftest import IMAGE, root_of


def test_set_image_json_names_the_branch_commit_and_move(
    seeds: git.Repo, cli: Callable[..., Run]
) -> None:
    root = str(root_of(seeds))
    run = cli("set-image", "--root", root, "--env", "dev", f"{IMAGE}=v1.2.0-dev.9", "--format=json")
    assert run.code == 0
    out = json.loads(run.out)
    assert out["moves"] == [{"image": IMAGE, "from": "v1.2.0-dev.3", "to": "v1.2.0-dev.9",
                             "path": "clusters/dev/kustomization.yaml", "line": 8}]  # fmt: skip
    assert seeds.commit(out["branch"]).hexsha == out["commit"]


def test_a_refusal_is_one_line_and_exit_2(seeds: git.Repo, cli: Callable[..., Run]) -> None:
    run = cli("promote", "--root", str(root_of(seeds)), "--from", "dev", "--to", "qa")
    assert run.code == 2
    assert run.err.strip().splitlines() == [
        "gitops-gate: unknown environment 'qa' (use one of: dev, staging, production)"
    ]


def test_push_sends_the_branch_to_the_remote(
    seeds: git.Repo, cli: Callable[..., Run], tmp_path: Path
) -> None:
    remote = git.Repo.init(tmp_path / "remote.git", bare=True)
    seeds.create_remote("origin", str(tmp_path / "remote.git"))
    run = cli("set-image", "--root", str(root_of(seeds)), "--env", "dev", f"{IMAGE}=v9", "--push")
    assert run.code == 0, run.err
    assert [h.name for h in remote.heads] == ["gitops-gate/set-image/dev/web-v9"]


def test_each_written_change_is_in_the_audit_log_and_a_dry_run_is_not(
    seeds: git.Repo, cli: Callable[..., Run]
) -> None:
    root = str(root_of(seeds))
    assert cli("set-image", "--root", root, "--env", "dev", f"{IMAGE}=v8", "--dry-run").code == 0
    assert cli("audit", "export", "--format", "jsonl", root).code == 2  # no log yet
    run = cli("promote", "--root", root, "--from", "dev", "--to", "staging")
    assert run.code == 0, run.err
    [row] = [json.loads(line) for line in cli("audit", "export", root).out.splitlines()]
    event = row["event"]
    assert (event["action"], event["environment"], event["result"]) == (
        "promote",
        "staging",
        "success",
    )
    assert event["details"]["images"][0]["to"] == "v1.2.0-dev.3"
    assert cli("audit", "verify", root).code == 0
