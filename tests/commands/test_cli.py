"""The command line as a user meets it: options, exit codes, start-up cost, the sample."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate import __version__
from tests.helpers.data import parametrize_corpora, standalone
from tests.helpers.toolchain import ensure_tool


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_corpora(metafunc)


def test_version_imports_no_heavy_dependency() -> None:
    code = (
        "import sys; from gitops_gate.cli import main; main(['--version']);"
        "print(sorted(m for m in ('yaml', 'rich', 'jsonschema', 'git', 'pathspec')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.splitlines() == [f"gitops-gate {__version__}", "[]"]


def test_global_options_work_after_the_subcommand(
    tmp_path: Path, cli: Callable[..., object]
) -> None:
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")

    before = cli("--format", "json", "check", str(tmp_path))
    after = cli("check", "--format", "json", "--quiet", str(tmp_path))

    assert before.code == after.code == 0
    assert json.loads(before.out)["resources"] == json.loads(after.out)["resources"] == 1


@pytest.mark.parametrize(
    ("args", "code", "err"),
    [
        (
            ["check", "--format", "yaml"],
            2,
            "gitops-gate: unknown format 'yaml' (use one of: text, json, junit, sarif, github)",
        ),
        (["check", "--sample", "x"], 2, "gitops-gate: --sample takes no paths"),
        (["nope"], 2, "invalid choice: 'nope'"),
        (
            ["check", "--config", "/nonexistent/.gitops-gate.yaml"],
            2,
            "gitops-gate: /nonexistent/.gitops-gate.yaml: config file not found (check --config)",
        ),
    ],
    ids=["bad-format", "sample-with-paths", "unknown-command", "missing-config"],
)
def test_usage_errors_exit_2_with_one_line(
    cli: Callable[..., object], args: list[str], code: int, err: str
) -> None:
    run = cli(*args)

    assert run.code == code
    assert err in run.err


def test_help_lists_exit_codes(cli: Callable[..., object]) -> None:
    run = cli("--help")

    assert run.code == 0
    assert "3    environment error" in run.out
    assert "check" in run.out


@pytest.mark.slow  # policies judge the sample's environments as the pinned kustomize renders them
def test_sample_shows_a_real_finding(cli: Callable[..., object], snapshot: object) -> None:
    ensure_tool("kustomize")
    run = cli("check", "--sample")

    assert run.code == 1
    text = re.sub(r"in \d+\.\d+s", "in <time>", run.out)
    snapshot.assert_match(text, "check_sample.txt")  # type: ignore[attr-defined]


def test_check_over_the_corpora_loads_or_explains_every_file(
    cli: Callable[..., object], corpora: Path, tmp_path: Path
) -> None:
    corpora = standalone(corpora, tmp_path)
    on_disk = sorted(p.relative_to(corpora).as_posix() for p in corpora.rglob("*") if p.is_file())

    run = cli("check", "--format", "json", str(corpora))
    report = json.loads(run.out)

    # The demo's untagged images are real no-latest-tag findings; what matters is no crash.
    assert run.code == 1
    assert run.err == ""
    assert {f["check"] for f in report["findings"]} <= {
        "schema",
        "policy",
        "secrets",
        "windows",
        "render",
    }
    assert sorted(f["path"] for f in report["files"]) == on_disk
    for f in report["files"]:
        assert f["kind"] != "error"
        assert f["resources"] > 0 or f["kind"] == "kustomization" or f["reason"], f
    assert report["resources"] > 150


def test_internal_errors_are_one_line_without_debug(
    tmp_path: Path, cli: Callable[..., object], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gitops_gate.api

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(gitops_gate.api, "check", boom)

    run = cli("check", str(tmp_path))

    assert run.code == 3
    assert run.err.strip() == (
        "gitops-gate: internal error: RuntimeError: kaboom "
        "(this is a bug; run again with --debug and report the traceback)"
    )
    with pytest.raises(RuntimeError):
        cli("check", "--debug", str(tmp_path))
