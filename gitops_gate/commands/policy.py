"""`gitops-gate policy [PATHS]` and `gitops-gate policy list`: Rego policies over manifests."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from gitops_gate import tools
from gitops_gate.api import CheckResult
from gitops_gate.commands._output import FORMATS, pick_format, plain, report, run
from gitops_gate.config import find_root, load_config
from gitops_gate.config.model import ENGINE_MODES
from gitops_gate.graph.shared import SharedGraph
from gitops_gate.manifests.loader import load_text
from gitops_gate.policy import verify
from gitops_gate.policy.faithful import REGO_VERSIONS
from gitops_gate.policy.library import markdown, rules
from gitops_gate.policy.options import PolicyOptions
from gitops_gate.policy.run import policy_findings
from gitops_gate.report.json import counts, dumps
from gitops_gate.report.text import plural

LIST_FORMATS = ("text", "json", "markdown")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    # Imported here, not at the top: only for the command being parsed, which loads them anyway.

    p = subparsers.add_parser(
        "policy",
        parents=[common],
        help="evaluate the built-in and the repo's Rego policies; `policy list` shows the rules",
        description=(
            "Evaluate Rego policies (the built-in library plus the repo's policies/) over "
            "manifests; `-` reads a YAML stream from stdin. `gitops-gate policy list` prints the "
            "built-in rules; `gitops-gate policy test [DIR] [--engine E]` runs DIR's (default "
            "policies) *_test.rego unit tests (formats text, json, junit). Exit 0 passed, "
            "1 failed (a path that does not exist and invalid YAML fail as in `check`), 2 usage, "
            "a policy that does not compile or that the engine would misread, 3 environment. "
            "Formats: " + ", ".join(FORMATS) + "."
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders, `-` for stdin, `list`, or `test [DIR]`",
    )
    p.add_argument("--engine", choices=ENGINE_MODES, help="conftest or built-in (default: config)")
    p.add_argument("--base-ref", metavar="REF", help="load the repo's policies from this ref")
    p.add_argument(
        "-n",
        "--namespace",
        action="append",
        metavar="GLOB",
        help="only these policy namespaces (conftest's globs; repeatable)",
    )
    p.add_argument("--all-namespaces", action="store_true", help="every namespace (the default)")
    p.add_argument(
        "-d",
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="a JSON or YAML file merged into data (after policy.data; repeatable)",
    )
    p.add_argument(
        "--rego-version",
        choices=REGO_VERSIONS,
        help="Rego syntax (default: policy.regoVersion, v1)",
    )
    p.add_argument("--trace", action="store_true", help="show what policies print() on stderr")
    p.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    if args.paths[:1] == ["list"]:
        return policy_list(fmt=args.fmt)
    if args.paths[:1] == ["test"]:
        folder = Path(args.paths[1]) if len(args.paths) > 1 else Path("policies")
        return policy_test(folder=folder, engine=args.engine, fmt=args.fmt)
    return policy(
        paths=[Path(p) for p in args.paths],
        config=Path(args.config) if args.config else None,
        fmt=args.fmt,
        quiet=args.quiet,
        engine=args.engine,
        base_ref=args.base_ref,
        namespaces=None if args.all_namespaces else args.namespace,
        data=args.data,
        rego_version=args.rego_version,
        trace=args.trace,
    )


def policy(
    *,
    paths: list[Path],
    config: Path | None,
    fmt: str | None,
    quiet: bool = False,
    engine: str | None = None,
    base_ref: str | None = None,
    namespaces: list[str] | None = None,
    data: list[str] | None = None,
    rego_version: str | None = None,
    trace: bool = False,
    changed: list[str] | None = None,
    graph: SharedGraph | None = None,
) -> int:
    """The policy check alone, through the pipeline: the loader's findings count too. A path
    `-` reads a YAML stream from stdin (`kustomize build overlays/prod | gitops-gate policy -`),
    its findings at `<stdin>:line`. Which engine ran is said (stderr in text, `policyEngine`
    in JSON), and so is a fall back from conftest to the built-in engine."""

    chosen = pick_format(fmt, FORMATS)
    ran: dict[str, str] = {}
    options = PolicyOptions(
        namespaces=tuple(namespaces) if namespaces else None,
        data=tuple(data or ()),
        rego_version=rego_version,
        trace=_to_stderr if trace else None,
        on_engine=lambda name, why: _engine_ran(ran, name, why),
    )
    if [str(p) for p in paths] == ["-"]:
        result = _stdin(config, engine, options)
    else:
        result = run(
            paths,
            fmt=chosen,
            quiet=quiet,
            config_path=config,
            checks=("policy",),
            engines={"policy": engine} if engine else {},
            base_ref=base_ref,
            changed=changed,
            policy_options=options,
            graph=graph,
        )
    extra = {"policyEngine": ran.get("engine")}
    text = lambda: print(_text(result, ran.get("engine")))  # noqa: E731
    return report(result, chosen, name="gitops-gate policy", text=text, extra=extra)


def _engine_ran(ran: dict[str, str], name: str, why: str | None) -> None:
    ran["engine"] = name
    if why:
        _to_stderr(f"gitops-gate policy: {why}")


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _stdin(config: Path | None, engine: str | None, options: PolicyOptions) -> CheckResult:
    """The policy check over a YAML stream on stdin, with the repo's config and policies."""
    root = find_root([], config).resolve()
    conf = load_config(root, config)
    loaded = dataclasses.replace(load_text(sys.stdin.read(), "<stdin>"), root=root)
    found = policy_findings(loaded, conf, engine=engine or "auto", options=options)
    return CheckResult(conf, loaded, [*loaded.findings, *found], checks=("policy",))


def _text(result: Any, engine: str | None) -> str:

    c = counts(result.findings)
    waived = c["waived"]
    # conftest's EXCP count: rules its `exception` rules set aside (among the waived).
    excepted = sum(1 for f in result.findings if f.extra.get("exception"))
    summary = (
        f"Checked {plural(result.resources, 'resource')} against policies"
        + (f" (engine: {engine})" if engine else "")
        + f": {plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}"
        + (f", {waived} waived" if waived else "")
        + (f" ({plural(excepted, 'exception')})" if excepted else "")
    )
    return plain(result, [summary])


def policy_list(*, fmt: str | None) -> int:

    chosen = pick_format(fmt, LIST_FORMATS)
    infos = rules()
    if chosen == "json":
        print(dumps({"rules": [r.to_json() for r in infos]}))
    elif chosen == "markdown":
        print(markdown(infos), end="")
    else:
        width = max(len(r.id) for r in infos)
        for r in infos:
            print(f"{r.id:<{width}}  {r.severity:<7}  {r.title}")
    return 0


TEST_FORMATS = ("text", "json", "junit")


def policy_test(*, folder: Path, engine: str | None, fmt: str | None) -> int:
    """`policy test [PATH]`: the folder's Rego unit tests, pass or fail per test; exit 1 when
    one fails. conftest (`verify`) when found or asked, the built-in engine otherwise."""
    chosen = pick_format(fmt, TEST_FORMATS)
    binary = tools.find("conftest") if engine != "builtin" else None
    if engine == "subprocess":
        binary = tools.resolve("conftest")
    root = Path.cwd()
    if binary is not None:
        verify.modules(folder, root)  # conftest would follow a link out of the repo: refused first
        found, name = verify.conftest(binary.path, folder), "conftest"
    else:
        found, name = verify.builtin(verify.modules(folder, root)), "builtin"
    results = found.results
    failed = [r for r in results if not r.passed]
    if chosen == "json":
        body = {"engine": name, "tests": [dataclasses.asdict(r) for r in results]}
        print(dumps({**body, "passed": not failed, "rulesRun": found.rules_run}))
    elif chosen == "junit":
        print(_junit(results))
    else:
        for r in results:
            print(f"{'PASS' if r.passed else 'FAIL'} {r.path}: {r.package}.{r.name} {r.detail}")
        ran = found.rules_run
        tested = [rule for rule in ran or [] if ".test_" not in f".{rule}"]
        print(f"rules run: {', '.join(tested) if ran is not None else 'unknown (built-in engine)'}")
        print(f"{len(results) - len(failed)} passed, {len(failed)} failed (engine: {name})")
    return 1 if failed else 0


def _junit(results: list[verify.TestResult]) -> str:
    failed = sum(not r.passed for r in results)
    lines = [
        f'<testsuite name="gitops-gate policy test" tests="{len(results)}" failures="{failed}">'
    ]
    for r in results:
        case = f"<testcase classname={quoteattr(r.package)} name={quoteattr(r.name or r.path)}"
        if r.passed:
            lines.append(case + "/>")
        else:
            lines.append(case + f"><failure message={quoteattr(r.detail)}/></testcase>")
    return "\n".join([*lines, "</testsuite>"])
