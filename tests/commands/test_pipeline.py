"""check, validate, policy and secrets run one pipeline: a bad path or file fails each alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.helpers.tree import write_tree

# Built-in engines: the same verdicts as kubeconform and conftest (tests/validate, tests/policy),
# without a tool to start.
COMMANDS = {
    "check": ("--engine", "builtin"),
    "validate": ("--engine", "builtin"),
    "policy": ("--engine", "builtin"),
    "secrets": (),
}
BAD_YAML = "a: [\n"
INVALID_YAML = "invalid YAML: did not find expected node content"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _gate(cli: Callable[..., Run], command: str, *args: str) -> Run:
    return cli(command, *COMMANDS[command], *args)


def _load_lines(run: Run) -> list[str]:
    return [line for line in run.out.splitlines() if "[load/" in line]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("files", "named", "expected"),
    [
        (
            {},
            "nope.yaml",
            "{root}/nope.yaml: error: {root}/nope.yaml does not exist; it was not read "
            "[load/path-not-found]",
        ),
        ({"bad.yaml": BAD_YAML}, "bad.yaml", f"bad.yaml:2: error: {INVALID_YAML}"),
        ({"bad.yaml": BAD_YAML}, ".", f"bad.yaml:2: error: {INVALID_YAML}"),
        # ESC [2J clears a terminal: the name shows its control characters as escapes.
        (
            {"bad\x1b[2J\a.yaml": BAD_YAML},
            ".",
            f"bad\\x1b[2J\\x07.yaml:2: error: {INVALID_YAML}",
        ),
    ],
    ids=["missing-path", "invalid-yaml-named", "invalid-yaml-walked", "control-character"],
)
def test_a_path_or_file_that_cannot_be_read_fails_every_command(
    tmp_path: Path,
    cli: Callable[..., Run],
    command: str,
    files: dict[str, str],
    named: str,
    expected: str,
) -> None:
    root = write_tree(tmp_path / "repo", {".git/HEAD": "", **files})

    run = _gate(cli, command, str(root / named))

    assert run.code == 1, run.out + run.err
    assert run.err == ""
    [line] = _load_lines(run)
    assert line.startswith(expected.format(root=root))
    assert "\x1b" not in run.out and "\a" not in run.out
    assert run.out.splitlines()[-1].startswith("Failed")


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
@pytest.mark.parametrize("command", ["validate", "policy", "secrets"])
def test_each_report_carries_the_load_findings_check_reports(
    tmp_path: Path, cli: Callable[..., Run], command: str, fmt: str
) -> None:
    root = write_tree(tmp_path / "repo", {".git/HEAD": "", "bad.yaml": BAD_YAML})
    missing = str(root / "nope.yaml")

    alone = _gate(cli, command, "--format", fmt, str(root), missing)
    every = _gate(cli, "check", "--format", fmt, str(root), missing)

    assert alone.code == every.code == 1
    assert _reported(alone.out, fmt) == _reported(every.out, fmt)
    assert len(_reported(alone.out, fmt)) == 2


def _reported(out: str, fmt: str) -> list[str]:
    """The load findings as the format shows them, one string each."""
    if fmt == "json":
        found = json.loads(out)["findings"]
        return [json.dumps(f, sort_keys=True) for f in found if f["check"] == "load"]
    if fmt == "sarif":
        results = json.loads(out)["runs"][0]["results"]
        return [json.dumps(r, sort_keys=True) for r in results if r["ruleId"].startswith("load/")]
    return [line for line in out.splitlines() if "load/" in line]  # github, junit


LATEST = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n"
    "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
    "    spec:\n      containers: [{name: web, image: 'nginx:latest'}]\n"
)
# A key in AWS's documentation, not a real one.
LEAK = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata:\n  KEY: AKIAIOSFODNN7EXAMPLE\n"
)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "github"])
@pytest.mark.parametrize(
    ("command", "content", "rule"),
    [("policy", LATEST, "no-latest-tag"), ("secrets", LEAK, "secret-detected")],
    ids=["policy", "secrets"],
)
def test_policy_and_secrets_speak_every_format(
    tmp_path: Path, cli: Callable[..., Run], command: str, content: str, rule: str, fmt: str
) -> None:
    root = write_tree(tmp_path / "repo", {".git/HEAD": "", "apps/app.yaml": content})

    run = _gate(cli, command, "--format", fmt, str(root))

    assert run.code == 1
    assert rule in run.out
    assert "apps/app.yaml" in run.out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((), 1),
        (("--skip", "Deployment"), 0),
        (("--skip", "apps/v1/Deployment"), 0),
        (("--skip", "Deployment", "--reject", "ConfigMap"), 1),
        (("--ignore-missing-schemas", "--skip", "Deployment"), 0),
    ],
    ids=["invalid", "skip-kind", "skip-api-kind", "reject", "ignore-missing"],
)
def test_validate_options_reach_the_schema_check(
    tmp_path: Path, cli: Callable[..., Run], args: tuple[str, ...], code: int
) -> None:
    deploy = LATEST.replace("image: 'nginx:latest'", "image: nginx, ports: [{containerPort: x}]")
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
    root = write_tree(tmp_path / "repo", {".git/HEAD": "", "web.yaml": deploy, "cm.yaml": cm})

    run = _gate(cli, "validate", "--no-cache", *args, str(root))

    assert run.code == code, run.out


@pytest.mark.parametrize("command", ["check", "validate", "policy"])
def test_every_engine_option_offers_the_modes_the_config_accepts(command: str) -> None:
    from importlib import resources

    from gitops_gate.cli import build_parser
    from gitops_gate.config.model import ENGINE_MODES

    parser = build_parser(command)
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]  # type: ignore[union-attr]
    [engine] = [a for a in sub._actions if a.dest == "engine"]
    schema = json.loads(resources.files("gitops_gate.config").joinpath("schema.json").read_text())

    assert tuple(engine.choices) == ENGINE_MODES
    assert tuple(schema["$defs"]["engine"]["enum"]) == ENGINE_MODES


POD = (
    "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  containers: [{name: app, image: 'app:1.0.0'}]\n"
)
NO_PODS = (
    'package team.no_pods\n\nimport rego.v1\n\ndeny contains "no pods" if input.kind == "Pod"\n'
)


def test_policy_base_ref_reads_the_policies_the_change_is_judged_by(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    from tests.helpers.tree import commit, make_repo

    repo = make_repo(tmp_path / "repo", {"pod.yaml": POD, "policies/no_pods.rego": NO_PODS})
    base = repo.head.commit.hexsha
    commit(repo, {"policies/no_pods.rego": NO_PODS.replace('"Pod"', '"Nothing"')}, "weaken")
    root = str(tmp_path / "repo")

    against_base = _gate(cli, "policy", "--base-ref", base, "--format", "json", root)
    as_is = _gate(cli, "policy", "--format", "json", root)

    rules = {(f["rule"], f["path"]) for f in json.loads(against_base.out)["findings"]}
    assert {("team.no_pods", "pod.yaml"), ("policy-changed", "policies/no_pods.rego")} <= rules
    assert against_base.code == 1
    assert not any(f["rule"] == "team.no_pods" for f in json.loads(as_is.out)["findings"])
