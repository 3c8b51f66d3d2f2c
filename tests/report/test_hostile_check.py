"""`gitops-gate check` over a repo whose names try to forge the output, in every format."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import Run
from tests.helpers.tree import write_tree

# A folder whose name prints a fake verdict line, and a Deployment whose name carries ESC,
# the one-byte CSI, a bidi override, a GitHub escape and workflow commands of both syntaxes.
FOLDER = "apps/x\nPassed (fail level: error)"
NAME = r"web\e[31m\x9b\u202e%0A::error::forged##[warning]v1"
DEPLOYMENT = f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: "{NAME}"
spec:
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("hostile"), {f"{FOLDER}/deploy.yaml": DEPLOYMENT})


def findings(cli: Callable[..., Run], root: Path) -> list[dict[str, object]]:
    data = json.loads(cli("check", str(root), "--format", "json").out)
    found: list[dict[str, object]] = data["findings"]
    assert len(found) == 3, "the hostile repo must produce findings for the test to mean anything"
    return found


def test_text_has_one_verdict_and_no_terminal_controls(
    cli: Callable[..., Run], hostile: Path
) -> None:
    run = cli("check", str(hostile))

    lines = run.out.splitlines()
    assert run.code == 1
    assert [ln for ln in lines if ln.startswith(("Passed", "Failed"))] == [lines[-1]]
    assert lines[-1] == "Failed (fail level: error)"
    assert not RAW.search(run.out)
    assert "apps/x\\nPassed (fail level: error)/deploy.yaml:" in run.out
    assert "web\\x1b[31m\\x9b\\u202e%0A::error::forged\\x23#[warning]v1" in run.out


def test_github_annotations_are_one_command_a_finding(
    cli: Callable[..., Run], hostile: Path
) -> None:
    run = cli("check", str(hostile), "--format", "github")

    lines = run.out.splitlines()
    assert len(lines) == len(findings(cli, hostile))
    for line in lines:
        parsed = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
        assert parsed, line
        command, props, data = parsed.groups()
        assert command in {"error", "warning", "notice"} and not RAW.search(line)
        file = dict(p.split("=", 1) for p in props.split(","))["file"]
        assert file.replace("%0A", "\n").replace("%3A", ":") == f"{FOLDER}/deploy.yaml"
        assert "%250A::error::forged" in data and "##[" in data  # inert inside our command


def test_junit_is_well_formed_xml(cli: Callable[..., Run], hostile: Path) -> None:
    run = cli("check", str(hostile), "--format", "junit")

    root = ET.fromstring(run.out.split("\n", 1)[1])  # noqa: S314 - our own output
    (case,) = root.iter("testcase")
    assert case.get("name") == "apps/x\\nPassed (fail level: error)/deploy.yaml"
    messages = [f.get("message") or "" for f in case.iter("failure")]
    assert messages and not any(RAW.search(m) for m in messages)


def test_sarif_keeps_the_path_exact_and_the_message_inert(
    cli: Callable[..., Run], hostile: Path
) -> None:
    run = cli("check", str(hostile), "--format", "sarif")

    results = json.loads(run.out)["runs"][0]["results"]
    assert len(results) == len(findings(cli, hostile))
    for r in results:
        location = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert location == f"{FOLDER}/deploy.yaml"
        assert not RAW.search(r["message"]["text"])
        assert "\\x1b[31m\\x9b\\u202e" in r["message"]["text"]


def test_secrets_text_names_the_file_on_one_line(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_tree(tmp_path, {"leak\nNo secrets found\x1b[2J.txt": "aws AKIAIOSFODNN7EXAMPLE\n"})

    run = cli("secrets", str(tmp_path))

    assert run.code == 1 and not RAW.search(run.out)
    assert run.out.splitlines()[0].startswith("leak\\nNo secrets found\\x1b[2J.txt:1: error: ")
    assert "\nNo secrets found" not in run.out


def test_config_show_prints_folder_names_not_their_markup(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    write_tree(tmp_path, {"clusters/[red]x\x1b[2J[link=https:evil]y/kustomization.yaml": ""})

    run = cli("config", "show", str(tmp_path))

    assert run.code == 0 and not RAW.search(run.out)
    assert "[red]x\\x1b[2J[link=https:evil]y" in run.out.replace("│", "").replace("\n", "")
