"""`pr-check` as a library call: check a pull request's change and post one GitHub check."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gitops_gate import api
from gitops_gate.audit.event import AuditSink
from gitops_gate.basegate import read_base
from gitops_gate.config import Config
from gitops_gate.diff import diff_refs
from gitops_gate.errors import GateError
from gitops_gate.findings import Finding
from gitops_gate.github.client import GitHub, connect
from gitops_gate.github.pulls import PullInfo, from_payload, label_author, read_pull
from gitops_gate.prcheck.audit import run_event
from gitops_gate.prcheck.inputs import Inputs
from gitops_gate.prcheck.markdown import comment
from gitops_gate.prcheck.outcome import Outcome, Override
from gitops_gate.prcheck.post import Posted, check_payload, publish, status_payload
from gitops_gate.prcheck.refs import merge_base
from gitops_gate.windows.gate import BLOCKED, OVERRIDDEN, override_label

SCHEMA_VERSION = 1


@dataclass(slots=True)
class Report:
    """A run's outcome and what was (or, dry, would be) posted."""

    outcome: Outcome
    payload: dict[str, Any]
    comment: str
    posted: Posted | None  # None: a dry run
    run_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "schemaVersion": SCHEMA_VERSION,
            "passed": o.passed,
            "pullRequest": {
                "number": o.pull.number,
                "url": o.pull.url,
                "head": o.pull.head_sha,
                "base": o.base,
            },
            "counts": o.counts,
            "overrides": [x.to_json() for x in o.overrides],
            "checkRun": self.payload,
            "status": status_payload(o, self.run_url),
            "comment": {"body": self.comment},
            "posted": self.posted.to_json() if self.posted is not None else None,
        }


def pr_check(
    root: Path,
    inputs: Inputs,
    *,
    audit: AuditSink,
    config_path: Path | None = None,
    dry_run: Path | None = None,
    at: datetime | None = None,
    fork_secrets: bool = False,
    ci: str | None = None,
    sleep: Callable[[float], None] | None = None,
) -> Report:
    """Check the pull request's change in the clone at root and post the result to GitHub.

    Config, policies and windows come from the merge base (`check --base`); the PR's override
    label lets a closed window through, recorded with who added the label. With dry_run (a
    folder) nothing is posted: the comment and check payload are written there. One audit
    event is appended to `audit` per run.
    """
    client = _Client(inputs, sleep)
    pull = (
        from_payload(inputs.event_pull) if inputs.event_pull else read_pull(client(), inputs.number)
    )
    base, prefix = merge_base(root, pull)
    override, label, who = _override(root, base, pull, config_path, client)
    result = api.check([root], root=root, config_path=config_path, base_ref=base, at=at,
                       override=override, fork_secrets=fork_secrets)  # fmt: skip
    result.findings = [_pr_hint(f, result.config) for f in result.findings]
    diff = diff_refs(root=root, base=base, head="HEAD", config_path=config_path)
    diff.before, diff.after = base[:12], pull.head_sha[:12]  # as the comment names them
    outcome = Outcome(pull, base, result, diff, prefix, _overrides(result, label, who))
    if dry_run is not None:
        report = Report(outcome, check_payload(outcome), comment(outcome), None, inputs.run_url)
        _write_dry(dry_run, report)
    else:
        report = _post(client(), outcome, inputs, audit, ci)
    _step_summary(inputs.step_summary, report)
    audit(run_event(outcome, report.posted, ci=ci))
    return report


class _Client:
    """The GitHub client, made on first use: a dry run from an event may need none."""

    def __init__(self, inputs: Inputs, sleep: Callable[[float], None] | None) -> None:
        self.inputs, self.sleep = inputs, sleep
        self.made: GitHub | None = None

    def __call__(self) -> GitHub:
        if self.made is None:
            i = self.inputs
            self.made = connect(i.token, i.repo, api_url=i.api_url, sleep=self.sleep)
        return self.made


def _override(
    root: Path, base: str, pull: PullInfo, config_path: Path | None, client: _Client
) -> tuple[str | None, str | None, str | None]:
    """(override reason, label, who added it) when the PR carries the base's override label."""
    if not pull.labels:
        return None, None, None  # no label: the base's config need not be read for its name
    label = override_label(read_base(root, base, config_path).config)
    if label not in pull.labels:
        return None, None, None
    who = label_author(client(), pull.number, label)
    by = f"@{who}" if who else "an unknown user"
    return f"pull request label {label} added by {by}", label, who


# What windows.gate tells a command-line user; on a pull request the label does it.
CLI_HINT = " (pass --override REASON to deploy anyway)"


def _pr_hint(f: Finding, config: Config) -> Finding:
    """A blocked window's finding, telling how a pull request gets through: the label."""
    if f.rule != BLOCKED or not f.message.endswith(CLI_HINT):
        return f
    label = override_label(config)
    hint = f" (add the label {label} to the pull request to deploy anyway)"
    return dataclasses.replace(f, message=f.message[: -len(CLI_HINT)] + hint)


def _overrides(result: api.CheckResult, label: str | None, who: str | None) -> list[Override]:
    if label is None:
        return []
    envs = [f.extra.get("environment") for f in result.findings if f.rule == OVERRIDDEN]
    return [Override(e, label, who) for e in dict.fromkeys(envs) if isinstance(e, str)]


def _post(gh: GitHub, outcome: Outcome, inputs: Inputs, audit: AuditSink, ci: str | None) -> Report:
    payload = check_payload(outcome)
    try:
        posted, body = publish(gh, outcome, payload, run_url=inputs.run_url)
    except GateError as e:
        # The gate's verdict is known even when GitHub refused it: the log and the step
        # summary keep it.
        audit(run_event(outcome, Posted(), ci=ci, error=e.one_line()))
        shown = Report(
            outcome, payload, comment(outcome), Posted(notes=[e.one_line()]), inputs.run_url
        )
        _step_summary(inputs.step_summary, shown)
        raise
    return Report(outcome, payload, body, posted, inputs.run_url)


def _write_dry(folder: Path, report: Report) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "comment.md").write_text(report.comment, encoding="utf-8")
    payload = json.dumps(report.payload, indent=2, sort_keys=True, ensure_ascii=False)
    (folder / "check-run.json").write_text(payload + "\n", encoding="utf-8")


def _step_summary(path: Path | None, report: Report) -> None:
    """Actions' step summary gets the comment too: on a fork it may be all that is shown."""
    if path is None:
        return
    notes = report.posted.notes if report.posted is not None else []
    text = report.comment.split("\n", 1)[1] if report.comment.startswith("<!--") else report.comment
    extra = "".join(f"> {n}\n\n" for n in notes if f"> {n}" not in text)
    with path.open("a", encoding="utf-8") as out:
        out.write(extra + text + "\n")
