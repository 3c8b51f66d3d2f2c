"""What conftest users set: data files, the Rego version, and being told which engine ran."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_gate.cli import main
from gitops_gate.policy import registry
from tests.helpers.tree import write_tree

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n"
BLOCKED = """\
package main

import rego.v1

deny contains msg if {
	input.metadata.name in data.blocked.names
	msg := sprintf("%s is blocked by %s", [input.metadata.name, data.blocked.by])
}
"""


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object], str]:
    code = main(["--format", "json", "policy", *argv])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def test_config_data_and_data_flags_merge_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(
        tmp_path,
        {
            "pod.yaml": POD,
            "policies/blocked.rego": BLOCKED,
            "data/names.yaml": "blocked:\n  names: [web]\n  by: config\n",
            "more.json": json.dumps({"blocked": {"by": "flag"}}),
            ".gitops-gate.yaml": "policy:\n  builtin: false\n  data: [data/names.yaml]\n",
        },
    )
    code, report, _ = _json(capsys, str(tmp_path), "--engine", "builtin")
    assert [f["message"] for f in report["findings"]] == ["web is blocked by config"]  # type: ignore[index]
    code, report, _ = _json(
        capsys, str(tmp_path), "--engine", "builtin", "--data", str(tmp_path / "more.json")
    )
    assert code == 1
    assert [f["message"] for f in report["findings"]] == ["web is blocked by flag"]  # type: ignore[index]


def test_a_config_data_file_outside_the_repo_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "policy:\n  builtin: false\n  data: [../outside.yaml]\n"
    (tmp_path / "outside.yaml").write_text("secret: 1\n")
    root = write_tree(tmp_path / "repo", {"pod.yaml": POD, ".gitops-gate.yaml": config})
    code, _, err = _json(capsys, str(root), "--engine", "builtin")
    assert code == 2
    assert "../outside.yaml: policy data file is outside the repository" in err


def test_rego_version_v0_in_config_reads_v0_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    v0 = 'package main\n\ndeny[msg] {\n\tinput.kind == "Pod"\n\tmsg := "no pods"\n}\n'
    config = "policy:\n  builtin: false\n"
    write_tree(tmp_path, {"pod.yaml": POD, "policies/v0.rego": v0, ".gitops-gate.yaml": config})
    code, _, err = _json(capsys, str(tmp_path), "--engine", "builtin")
    assert (code, "policies/v0.rego:3:" in err, "--rego-version v0" in err) == (2, True, True)
    (tmp_path / ".gitops-gate.yaml").write_text(config + "  regoVersion: v0\n")
    code, report, _ = _json(capsys, str(tmp_path), "--engine", "builtin")
    assert (code, [f["message"] for f in report["findings"]]) == (1, ["no pods"])  # type: ignore[index]


def test_auto_says_when_it_falls_back_to_the_builtin_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"pod.yaml": POD, ".gitops-gate.yaml": "policy:\n  builtin: false\n"})
    monkeypatch.setattr(registry.tools, "find", lambda name: None)
    code, report, err = _json(capsys, str(tmp_path), "--engine", "auto")
    assert (code, report["policyEngine"]) == (0, "builtin")
    assert "conftest was not found" in err and "gitops-gate tools install" in err


EXCEPTED = """\
package main

import rego.v1

deny_pods contains "no pods" if input.kind == "Pod"

exception contains ["pods"] if input.metadata.name == "web"
"""


def test_exceptions_are_counted_as_conftest_counts_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "policy:\n  builtin: false\n"
    write_tree(
        tmp_path, {"pod.yaml": POD, "policies/p.rego": EXCEPTED, ".gitops-gate.yaml": config}
    )
    code = main(["policy", str(tmp_path), "--engine", "builtin"])
    out = capsys.readouterr().out
    assert code == 0
    assert "0 errors, 0 warnings, 1 waived (1 exception)" in out
    assert 'data.main.exception[_][_] == "pods"' in out
