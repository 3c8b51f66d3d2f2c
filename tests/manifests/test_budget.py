"""A run's budget: past it, a finding names the file where it ran out and the rest is not
loaded, but the run still reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.tree import write_tree


def many(n: int, prefix: str) -> str:
    return "".join(
        f"---\n{{apiVersion: v1, kind: ConfigMap, metadata: {{name: {prefix}{i}}}}}\n"
        for i in range(n)
    )


LATEST = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n"
    "spec: {containers: [{name: a, image: 'nginx:latest'}]}\n"
)


@pytest.mark.parametrize(
    ("limits", "says"),
    [
        ("maxDocuments: 15", "b.yaml: error: the run's budget of 15 documents ran out here:"
         " this file and the ones after it were not loaded (raise limits.maxDocuments"),
        ("maxTotalBytes: 500", "b.yaml: error: the run's budget of 500 bytes ran out here"),
        ("maxNodes: 60", "b.yaml: error: the run's budget of 60 YAML nodes ran out here:"
         " the files after this one were not loaded"),
    ],
    ids=["documents", "bytes", "nodes"],
)  # fmt: skip
def test_a_run_over_its_budget_stops_loading_where_it_ran_out(
    tmp_path: Path, cli: Callable[..., object], limits: str, says: str
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": f"limits:\n  {limits}\n",
        "a.yaml": LATEST,
        "b.yaml": many(20, "b"),
        "c.yaml": many(20, "c"),
    })  # fmt: skip

    run = cli("check", str(tmp_path))
    report = json.loads(cli("check", "--format", "json", str(tmp_path)).out)

    assert run.code == 1
    assert says in run.out
    assert 'a.yaml:4: error: Pod web container "a" image "nginx:latest"' in run.out
    unread = [f["path"] for f in report["files"] if "budget ran out" in (f["reason"] or "")]
    assert unread == ["c.yaml"]


def test_a_file_with_too_many_documents_is_refused_and_the_run_goes_on(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {
        ".gitops-gate.yaml": "limits:\n  maxDocumentsPerFile: 10\n",
        "a.yaml": many(11, "a"),
        "b.yaml": LATEST,
    })  # fmt: skip

    run = cli("check", str(tmp_path))

    assert run.code == 1
    assert (
        "a.yaml: error: has 11 documents, over the 10 a file may hold; it was not loaded" in run.out
    )
    assert 'b.yaml:4: error: Pod web container "a" image "nginx:latest"' in run.out


def test_the_default_budget_passes_a_big_repository(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    write_tree(tmp_path, {f"f{i}.yaml": many(500, f"f{i}-") for i in range(40)})  # 20,000

    run = cli("check", "--format", "json", str(tmp_path))

    assert json.loads(run.out)["resources"] == 20_000
    assert "budget-exceeded" not in run.out
