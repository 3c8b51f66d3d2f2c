"""`gitops-gate policy test`: a folder's `*_test.rego` rules (opa test / conftest verify), per test.

Every `test_` rule of every module under the folder is asked alone: true passes, false or
undefined fails, an error fails with what rego-cpp said. The built-in engine runs in a child
Python (rego-cpp writes on descriptor 1 and cannot be stopped in-process); conftest's
`verify` reports failures by name and passes only by count.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gitops_gate._run import run
from gitops_gate.errors import ConfigError
from gitops_gate.policy.capture import Capture
from gitops_gate.policy.repofiles import read_policy, rego_files
from gitops_gate.policy.source import PolicyFile

_TEST_RULE = re.compile(r"^(test_\w+)\b", re.MULTILINE)
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_NO_ANSWER = (
    "the built-in engine (rego-cpp) could not evaluate this test (it cannot run `with` inside "
    "rules): install conftest with `gitops-gate tools install` and run with --engine subprocess"
)


_QUERY = re.compile(r"^file: (\S+) \| query: (\w+)$", re.MULTILINE)
_ENTER = re.compile(r"Enter data\.([\w.]+)")


@dataclass(frozen=True, slots=True)
class TestResult:
    """One test rule: where it is, and whether it passed (detail says why not)."""

    path: str
    package: str
    name: str
    passed: bool
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Verified:
    """Every test's result, and the rules the tests made run (None: the engine cannot tell)."""

    results: list[TestResult]
    rules_run: list[str] | None


def modules(folder: Path, root: Path) -> list[PolicyFile]:
    """Every .rego file under folder (tests and the modules they test), named from root."""
    if not folder.is_dir():
        raise ConfigError(str(folder), None, "no such folder of policies")
    # A folder named outside the repo is the user's choice; links out of it are not.
    inside = folder.resolve().is_relative_to(root.resolve())
    base = root if inside else folder
    return [PolicyFile(*read_policy(p, base), "repo") for p in rego_files(folder, base)]


def builtin(files: list[PolicyFile], timeout: float = 300.0) -> Verified:
    request = json.dumps([asdict(f) for f in files])
    done = run([sys.executable, "-m", __name__], stdin=request, timeout=timeout)
    reply = json.loads(done.stdout)
    if "error" in reply:
        raise ConfigError(**reply["error"])
    return Verified([TestResult(**r) for r in reply["results"]], None)


def conftest(binary: Path, folder: Path, timeout: float = 300.0) -> Verified:
    """conftest verify over folder: its JSON has one block per test, in the order its trace
    (on stderr) names them; the trace's `Enter data.<rule>` lines are the rules that ran."""
    argv: list[str | Path] = [binary, "verify", "--no-color", "-o", "json", "--trace"]
    done = run([*argv, "-p", folder], timeout=timeout, ok_codes=(0, 1))
    if not done.stdout.strip().startswith("["):
        raise ConfigError(str(folder), None, f"conftest verify failed: {done.stderr[-300:]}")
    names = _QUERY.findall(done.stderr)
    out = []
    for n, block in enumerate(json.loads(done.stdout)):
        path, package = str(block.get("filename", "")), str(block.get("namespace", ""))
        failures = block.get("failures") or []
        name = names[n][1] if n < len(names) else ""
        for fail in failures:
            failed = str(fail.get("msg", "")).removeprefix("data.")
            package, _, name = failed.rpartition(".")
            out.append(TestResult(path, package, name, False, "the test's value is not true"))
        if not failures:
            out.append(TestResult(path, package or _package_of(Path(path)), name, True))
    return Verified(out, sorted(set(_ENTER.findall(done.stderr))))


def _package_of(path: Path) -> str:
    """conftest verify leaves a passing test's namespace empty: its file says it."""
    try:
        found = _PACKAGE.search(path.read_text(encoding="utf-8"))
    except OSError:
        return ""
    return found.group(1) if found else ""


def _evaluate(files: list[PolicyFile]) -> list[TestResult]:
    """Each test rule asked alone, in this process (the child's side)."""
    results = []
    with Capture() as capture:
        for f in files:
            package = _PACKAGE.search(f.text)
            for name in dict.fromkeys(_TEST_RULE.findall(f.text)) if package else ():
                results.append(_one(files, f.path, package.group(1), name, capture))  # type: ignore[union-attr]
    return results


def _one(
    files: list[PolicyFile], path: str, package: str, name: str, capture: Capture
) -> TestResult:
    """One test in an interpreter of its own: after a query rego-cpp fails, the next may crash
    the process (seen with regopy 1.5.2), so no test shares one with another."""
    import regopy  # type: ignore[import-untyped]

    rego = regopy.Interpreter()
    for f in files:
        rego.add_module(f.path, f.text)
    capture.take()
    found = rego.query(f"x := data.{package}.{name}")
    said = capture.take().strip()
    value = found.results[0].bindings.get("x") if found.ok() and found.results else None
    detail = "" if value is True else said.splitlines()[0] if said else _NO_ANSWER
    if found.ok() and value is not True:
        detail = f"the test's value is {json.dumps(value)}, not true"
    return TestResult(path, package, name, value is True, detail)


def main() -> int:
    reply_fd = _own_stdout()
    files = [PolicyFile(**f) for f in json.load(sys.stdin)]
    reply: dict[str, Any]
    try:
        reply = {"results": [asdict(r) for r in _evaluate(files)]}
    except Exception as e:  # a module rego-cpp refuses: named, not a traceback
        reply = {"error": {"path": "policies", "line": None, "message": str(e).strip()[:300]}}
    with open(reply_fd, "w", encoding="utf-8") as out:  # noqa: PTH123 - a descriptor
        json.dump(reply, out)
    return 0


def _own_stdout() -> int:
    fd = os.dup(1)
    os.dup2(2, 1)
    return fd


if __name__ == "__main__":
    raise SystemExit(main())
