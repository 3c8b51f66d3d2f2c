"""The audit report as Markdown, for a wiki page or a pull request."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_gate.audit.summary import Entry, EnvReport, Report
from gitops_gate.audit.verify import VerifyReport


def render_markdown(report: Report, chain: VerifyReport, *, title: str) -> str:
    state = "intact" if chain.ok else f"**BROKEN: {len(chain.problems)} problems**"
    lines = [
        f"# {_md(title)}",
        "",
        f"{report.events} events, {report.first or '-'} to {report.last or '-'}."
        f" Hash chain ({chain.events} events): {state}, head `{chain.head[:16]}`.",
    ]
    lines += [f"- event {p.seq}: {p.kind}: {_md(p.message)}" for p in chain.problems[:50]]
    for env in sorted(report.environments.values(), key=lambda e: (e.name.startswith("("), e.name)):
        lines += _environment(env)
    return "\n".join(lines) + "\n"


def _environment(env: EnvReport) -> list[str]:
    changes = sum(w[0] for w in env.weeks.values())
    failures = sum(w[1] for w in env.weeks.values())
    gate = ", ".join(f"{n} {r}" for r, n in sorted(env.gate.items())) or "no checks"
    lines = [
        "",
        f"## {_md(env.name)}",
        "",
        f"{env.events} events, {changes} changes, {failures} failures; the gate said: {gate};"
        f" {len(env.waivers)} waivers used, {len(env.overrides)} window overrides,"
        f" {len(env.failed_syncs)} failed syncs, {len(env.rollbacks)} rollbacks.",
        "",
        "| Week of | Changes | Failures |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {day} | {c} | {f} |" for day, (c, f) in sorted(env.weeks.items())]
    for w in env.waivers:
        lines.append(
            f"- waiver `{_md(str(w.get('rule')))}` on {_md(str(w.get('object')))}: "
            f"{_md(str(w.get('reason')))} ({_md(str(w.get('owner')))})"
        )
    for o in env.overrides:
        lines.append(f"- window override at {o.get('time')}: {_md(str(o.get('reason')))}")
    lines += [
        "",
        "### Failed syncs and rollbacks",
        "",
        *_entries([*env.failed_syncs, *env.rollbacks]),
    ]
    lines += ["", "### Timeline", "", *_entries(env.timeline[::-1])]
    return lines


def _entries(entries: Sequence[Entry]) -> list[str]:
    if not entries:
        return ["None."]
    out = [
        "| Time | Action | Result | Made by | Approved by | Revision | PR | Reason |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in entries:
        cells = (
            e.time[:19].replace("T", " "),
            e.action,
            e.result,
            e.who,
            ", ".join(e.approved_by) or "-",
            (e.revision or "-")[:12],
            e.pr or "-",
            e.reason or "",
        )
        out.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return out


def _md(text: str) -> str:
    """text safe inside a table cell or a line: no pipes, no newlines, no HTML."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )
