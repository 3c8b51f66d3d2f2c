"""conftest's own verdicts, messages and exit codes, against both engines, construct by construct.

Each case is a small policy and input of our own exercising one thing conftest users rely on
(exceptions, v0 and v1 syntax, --data, namespaces, print, data.conftest.file, multi-document
files, warn/deny/violation with objects). The real conftest runs on the same files as the
reference; `gitops-gate policy` must give the same, or refuse with exit 2 naming file:line
where the built-in engine cannot match (and say so in the case).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from gitops_gate._run import run
from gitops_gate.cli import main
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree

DEPLOYMENTS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: foo
spec:
  ports: [{port: 22}]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bar
spec:
  ports: [{port: 80}]
"""


@dataclass(frozen=True)
class Case:
    name: str
    policy: str
    args: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)
    builtin_refuses: int | None = None  # the policy line the built-in engine names instead


V1 = "package main\n\nimport rego.v1\n\n"
CASES = [
    Case(
        "deny-warn-violation-objects",
        V1
        + 'deny contains sprintf("%s denied", [input.metadata.name]) if input.kind == "Deployment"\n'  # noqa: E501 (a policy line as users write it)
        'warn contains {"msg": "a warning", "level": 2} if input.metadata.name == "foo"\n'
        'violation contains {"msg": sprintf("%s violates", [input.metadata.name])} if true\n',
    ),
    Case(
        "exceptions",
        V1 + 'deny_root contains "runs as root" if input.kind == "Deployment"\n'
        'deny contains "plain deny" if true\n'
        'exception contains ["root"] if input.metadata.name == "foo"\n',
    ),
    Case(
        "v0-rejected-in-v1",
        'package main\n\ndeny[msg] {\n  input.kind == "Deployment"\n  msg := "v0 deny"\n}\n',
        builtin_refuses=3,
    ),
    Case(
        "v0-with-rego-version-v0",
        'package main\n\ndeny[msg] {\n  input.kind == "Deployment"\n'
        '  msg := concat(" ", ["v0", input.metadata.name])\n}\n',
        args=("--rego-version", "v0"),
    ),
    Case(
        "if-without-contains",
        'package main\n\ndeny[msg] if {\n  msg := "x"\n}\n',
        builtin_refuses=3,
    ),
    Case(
        "data-file",
        V1
        + "deny contains msg if {\n  some p in input.spec.ports\n  p.port in data.blocked.ports\n"
        '  msg := sprintf("%s uses blocked port %d", [input.metadata.name, p.port])\n}\n',
        args=("--data", "{root}/blocked.yaml"),
        extra={"blocked.yaml": "blocked:\n  ports: [22, 23]\n"},
    ),
    Case(
        "namespaces",
        'package team.a\n\nimport rego.v1\n\ndeny contains "from a" if true\n',
        args=("--namespace", "team.*"),
        extra={
            "policies/b.rego": 'package other\n\nimport rego.v1\n\ndeny contains "from other" if true\n'  # noqa: E501 (a policy line as users write it)
        },
    ),
    Case(
        "conftest-file-name",
        V1
        + 'deny contains sprintf("%s in %s", [input.metadata.name, data.conftest.file.name]) if true\n',  # noqa: E501 (a policy line as users write it)
    ),
    Case(
        "print-stays-off-stdout",
        V1
        + 'deny contains "printed" if {\n  print("looking at", input.metadata.name)\n  true\n}\n',
    ),
    Case(
        "array-equality-both-sides",
        V1 + 'denied := [22, 21]\n\ndeny contains "denied port" if {\n  some p\n'
        "  denied[_] == input.spec.ports[p].port\n}\n",
        builtin_refuses=9,
    ),
    Case(
        "array-equality-swapped",
        V1 + 'denied := [22, 21]\n\ndeny contains "denied port" if {\n  some p\n'
        "  input.spec.ports[p].port == denied[_]\n}\n",
        builtin_refuses=9,
    ),
    Case(
        "rego-metadata",
        V1 + "# METADATA\n# title: Root check\ndeny contains msg if {\n"
        "  msg := rego.metadata.rule().title\n}\n",
        builtin_refuses=8,
    ),
]


def _conftest(root: Path, case: Case) -> tuple[int, list[tuple[str, str]]]:
    """conftest's exit code and (verdict, message) pairs on the case's files."""
    argv = [ensure_tool("conftest"), "test", "--no-color", "-o", "json", "-p", "policies"]
    argv += [a.replace("--namespace", "-n").format(root=root) for a in case.args]
    argv += [] if "--namespace" in case.args else ["--all-namespaces"]
    done = run([*argv, "in.yaml"], timeout=120, ok_codes=(0, 1, 2), cwd=root)
    if done.stderr.startswith("Error"):
        return 2, []
    seen = []
    for block in json.loads(done.stdout):
        for key, verdict in (("failures", "FAIL"), ("warnings", "WARN"), ("exceptions", "EXCP")):
            seen += [(verdict, str(r["msg"])) for r in block.get(key) or []]
    return done.returncode, sorted(seen)


def _ours(
    root: Path, case: Case, engine: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[tuple[str, str]], str]:
    args = [a.format(root=root) for a in case.args]
    argv = ["policy", "--engine", engine, "--format", "json", *args, str(root / "in.yaml")]
    code = main(argv)
    out, err = capsys.readouterr()
    if code == 2:
        return code, [], err
    seen = []
    for f in json.loads(out)["findings"]:
        if f["waiver"] is not None:
            seen.append(("EXCP", f["waiver"]["reason"]))
        else:
            seen.append(({"error": "FAIL", "warning": "WARN"}[f["severity"]], f["message"]))
    return code, sorted(seen), err


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["builtin", "subprocess"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_both_engines_give_conftests_verdicts(
    case: Case, engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {"policies/a.rego": case.policy, "in.yaml": DEPLOYMENTS, **case.extra}
    files[".gitops-gate.yaml"] = "policy:\n  builtin: false\n"
    root = write_tree(tmp_path, files)
    expected_code, expected = _conftest(root, case)
    code, seen, err = _ours(root, case, engine, capsys)
    if engine == "builtin" and case.builtin_refuses is not None:
        assert code == 2
        assert f"policies/a.rego:{case.builtin_refuses}:" in err
        return
    assert (code, seen) == (expected_code, expected)


@pytest.mark.parametrize(
    ("trace", "on_stderr"), [(False, False), (True, True)], ids=["quiet", "trace"]
)
def test_print_never_reaches_stdout(
    trace: bool, on_stderr: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = V1 + 'deny contains "printed" if {\n  print("looking at", input.metadata.name)\n}\n'
    config = "policy:\n  builtin: false\n"
    root = write_tree(
        tmp_path, {"policies/a.rego": policy, "in.yaml": DEPLOYMENTS, ".gitops-gate.yaml": config}
    )
    argv = ["--format", "json", "policy", str(root), "--engine", "builtin"]
    code = main(argv + (["--trace"] if trace else []))
    out, err = capsys.readouterr()
    assert code == 1
    assert len(json.loads(out)["findings"]) == 2
    assert ("looking at foo" in err, "looking at" in out) == (on_stderr, False)


@pytest.mark.parametrize("engine", ["builtin", pytest.param("subprocess", marks=pytest.mark.slow)])
def test_a_rendered_stream_on_stdin_is_checked_with_its_lines(
    engine: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "subprocess":
        ensure_tool("conftest")
    policy = (
        V1
        + 'deny contains sprintf("%s from %s", [input.metadata.name, data.conftest.file.name]) if input.metadata.name == "bar"\n'  # noqa: E501 (a policy line as users write it)
    )
    root = write_tree(
        tmp_path, {"policies/a.rego": policy, ".gitops-gate.yaml": "policy:\n  builtin: false\n"}
    )
    monkeypatch.chdir(root)
    monkeypatch.setattr("sys.stdin", io.StringIO(DEPLOYMENTS))
    code = main(["policy", "--engine", engine, "-"])
    out = capsys.readouterr().out
    assert code == 1
    assert "<stdin>:8: error: Deployment.apps bar bar from -" in out
    assert f"(engine: {'conftest' if engine == 'subprocess' else 'builtin'})" in out
