"""What an auditor reads, per environment: the timeline, who made and approved each change,
what the gate said, waivers and overrides, failed syncs and rollbacks, a count per week."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from gitops_gate.audit.chain import Row

REPOSITORY = "(whole repository)"  # events of no one environment: a check over the repo
FAILED = frozenset({"failure", "blocked", "degraded"})
# Actions that change what runs (counted as changes on the chart); the gate's own are not.
CHANGES = ("git.commit", "reconcile.sync", "reconcile.rollback", "reconcile.prune", "promote")
CHANGES_TOO = ("set-image", "revert")
APPROVALS = ("approve", "github.review")
TIMELINE_CAP = 1000  # newest entries kept per environment; the counts cover every event


@dataclass(slots=True)
class Entry:
    """One line of an environment's timeline."""

    seq: int
    time: str
    action: str
    result: str
    who: str
    revision: str | None
    pr: str | None
    reason: str | None
    approved_by: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EnvReport:
    name: str
    timeline: list[Entry] = field(default_factory=list)
    gate: dict[str, int] = field(default_factory=dict)  # check results: success, failure, ...
    waivers: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    failed_syncs: list[Entry] = field(default_factory=list)
    rollbacks: list[Entry] = field(default_factory=list)
    weeks: dict[date, list[int]] = field(default_factory=dict)  # Monday -> [changes, failures]
    events: int = 0


@dataclass(slots=True)
class Report:
    environments: dict[str, EnvReport] = field(default_factory=dict)
    events: int = 0
    first: str | None = None
    last: str | None = None


def summarize(rows: Iterable[Row]) -> Report:
    """The report over rows (in chain order), in one pass."""
    report = Report()
    approvals: dict[str, list[str]] = defaultdict(list)  # PR or revision -> approvers
    pr_of: dict[str, str] = {}  # revision -> the PR that brought it (from commits)
    for row in rows:
        event = row.event()
        report.events += 1
        report.first = min(report.first or event["time"], event["time"])
        report.last = max(report.last or event["time"], event["time"])
        if event["action"] in APPROVALS:
            _approved(approvals, event)
        if event["revision"] and event["links"].get("pr"):
            pr_of[event["revision"]] = event["links"]["pr"]
        env = report.environments.setdefault(
            event["environment"] or REPOSITORY, EnvReport(event["environment"] or REPOSITORY)
        )
        _add(env, event, row.seq)
    for env in report.environments.values():
        env.timeline.sort(key=lambda e: (e.time, e.seq))
        for entry in env.timeline:
            entry.pr = entry.pr or pr_of.get(entry.revision or "")
            entry.approved_by = sorted(set(approvals.get(entry.pr or entry.revision or "", [])))
    return report


def _approved(approvals: dict[str, list[str]], event: dict[str, Any]) -> None:
    who = _who(event["actor"])
    for ref in (event["links"].get("pr"), event["revision"]):
        if ref:
            approvals[ref].append(who)


def _add(env: EnvReport, event: dict[str, Any], seq: int) -> None:
    env.events += 1
    entry = Entry(
        seq,
        event["time"],
        event["action"],
        event["result"],
        _who(event["actor"]),
        event["revision"],
        event["links"].get("pr"),
        event["reason"],
    )
    env.timeline.append(entry)
    if len(env.timeline) > TIMELINE_CAP:
        del env.timeline[0]
    action, failed = event["action"], event["result"] in FAILED
    if action in ("check", "pr-check"):
        env.gate[event["result"]] = env.gate.get(event["result"], 0) + 1
        env.waivers += event["details"].get("waivers", [])
        env.overrides += [
            {**o, "time": event["time"]} for o in event["details"].get("overrides", [])
        ]
    if action == "reconcile.sync" and failed:
        env.failed_syncs.append(entry)
    if action == "reconcile.rollback":
        env.rollbacks.append(entry)
    week = env.weeks.setdefault(_monday(event["time"]), [0, 0])
    week[0] += action in CHANGES or action in CHANGES_TOO
    week[1] += failed


def _who(actor: dict[str, str]) -> str:
    return actor.get("author") or actor.get("ci") or actor.get("user") or "unknown"


def _monday(stamp: str) -> date:
    day = datetime.fromisoformat(stamp).date()
    return day - timedelta(days=day.weekday())
