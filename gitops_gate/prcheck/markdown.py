"""The PR comment and the check's summary: tables of findings, windows, waivers, the diff."""

from __future__ import annotations

from gitops_gate.diff.markdown import render
from gitops_gate.findings import Severity
from gitops_gate.prcheck.annotate import worst_first
from gitops_gate.prcheck.outcome import OTHER, Outcome
from gitops_gate.report.escape import markdown_code, markdown_text
from gitops_gate.report.text import plural

MARKER = "<!-- gitops-gate:pr-check -->"
COMMENT_LIMIT = 65_536  # GitHub's longest comment; counted here in UTF-8 bytes, the stricter
SUMMARY_LIMIT = 65_535  # GitHub's longest check run summary
LISTED = 30  # findings listed by name in the comment; the check's annotations hold them all
_COLUMNS = ("error", "warning", "info", "waived")


def verdict(outcome: Outcome) -> str:
    c = outcome.counts
    word = "passed" if outcome.passed else "failed"
    return (
        f"gitops-gate {word}: {plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, "
        f"{plural(c['info'], 'notice')}, {c['waived']} waived"
    )


def summary(outcome: Outcome) -> str:
    """The tables: findings by severity and environment, windows, waivers and overrides."""
    icon = "✅" if outcome.passed else "❌"
    level = outcome.check.config.fail_level.label
    parts = [
        f"### {icon} {markdown_text(verdict(outcome))}\n\n",
        f"Checked {markdown_code(outcome.pull.head_sha[:12])} against "
        f"{markdown_code(outcome.base[:12])} (fail level: {level}).\n\n",
        _findings_table(outcome),
        _windows_table(outcome),
        _waivers(outcome),
    ]
    return "".join(parts)


def _findings_table(outcome: Outcome) -> str:
    rows: dict[str, dict[str, int]] = {}
    for f in outcome.check.findings:
        column = "waived" if f.waiver is not None else f.severity.label
        for env in outcome.environments_of(f):
            rows.setdefault(env, dict.fromkeys(_COLUMNS, 0))[column] += 1
    if not rows:
        return "No findings.\n\n"
    order = [*outcome.check.config.environments]
    names = [e.name for e in order if e.name in rows] + sorted(
        n for n in rows if n not in {e.name for e in order}
    )
    lines = ["| Environment | Errors | Warnings | Notices | Waived |", "|---|---:|---:|---:|---:|"]
    for name in names:
        cells = " | ".join(str(rows[name][c]) for c in _COLUMNS)
        shown = f"_{OTHER}_" if name == OTHER else markdown_text(name)
        lines.append(f"| {shown} | {cells} |")
    return "\n".join(lines) + "\n\n"


def _windows_table(outcome: Outcome) -> str:
    envs = outcome.environments()
    if not envs:
        return ""
    lines = ["| Environment | Sync window |", "|---|---|"]
    lines += [f"| {markdown_text(e)} | {outcome.window_state(e)} |" for e in envs]
    return "\n".join(lines) + "\n\n"


def _waivers(outcome: Outcome) -> str:
    lines = []
    for o in outcome.overrides:
        who = f"@{o.by}" if o.by else "an unknown user"
        lines.append(
            f"- Override: {markdown_text(o.environment)}'s closed window, label "
            f"{markdown_code(o.label)} added by {markdown_text(who)}"
        )
    for f in outcome.check.findings:
        if f.waiver is not None:
            owner = f", owner {markdown_text(f.waiver.owner)}" if f.waiver.owner else ""
            until = f", until {markdown_text(f.waiver.expires)}" if f.waiver.expires else ""
            lines.append(
                f"- Waived: {markdown_code(f.rule)} at {markdown_code(f.location)}: "
                f"{markdown_text(f.waiver.reason)}{owner}{until}"
            )
    if not lines:
        return ""
    return "**Waivers and overrides**\n\n" + "\n".join(lines) + "\n\n"


def finding_list(outcome: Outcome, limit: int = LISTED) -> str:
    """The worst findings by name, for readers without the check's annotations."""
    shown = [f for f in worst_first(outcome.check.findings) if f.waiver is None]
    if not shown:
        return ""
    lines = [
        f"- {_BADGE[f.severity]} {markdown_code(f.location)} {markdown_code(f.rule)}: "
        f"{markdown_text(f.message)}"
        for f in shown[:limit]
    ]
    if len(shown) > limit:
        lines.append(f"- … and {len(shown) - limit} more (see the check's annotations)")
    body = "\n".join(lines)
    return f"<details><summary>Findings</summary>\n\n{body}\n\n</details>\n\n"


_BADGE = {
    Severity.ERROR: "❌",
    Severity.WARNING: "⚠️",
    Severity.INFO: "\N{INFORMATION SOURCE}\ufe0f",
}


def comment(outcome: Outcome, *, notes: tuple[str, ...] = (), limit: int = COMMENT_LIMIT) -> str:
    """The living comment: marker, notes, summary, findings, then as much diff as fits.

    The diff is cut per environment (diff.markdown says which were left out); the budget is
    counted in UTF-8 bytes, never fewer than GitHub counts.
    """
    head = MARKER + "\n" + "".join(f"> {n}\n\n" for n in notes)
    head += summary(outcome) + finding_list(outcome)
    room = limit - _size(head)
    budget = room
    rerun = f"gitops-gate diff --base {outcome.base[:12]}"
    for _ in range(4):
        diff = render(outcome.diff, limit=max(budget, 0), rerun=rerun)
        if _size(diff) <= room:
            return head + diff
        budget -= _size(diff) - room + 512  # multi-byte text: shrink by what overflowed
    return _cut(head + diff, limit)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _cut(text: str, limit: int) -> str:
    """A last resort for a summary alone over the limit: cut on a character, with a note."""
    note = "\n\n_Cut to GitHub's comment limit._\n"
    data = text.encode("utf-8")[: limit - _size(note)]
    return data.decode("utf-8", errors="ignore") + note


def check_summary(outcome: Outcome) -> str:
    text = summary(outcome)
    return text if len(text) <= SUMMARY_LIMIT else text[: SUMMARY_LIMIT - 20] + "\n\n_(cut)_"
