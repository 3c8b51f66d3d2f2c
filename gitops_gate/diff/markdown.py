"""The diff as a GitHub comment: a summary first, then a collapsible section per environment."""

from __future__ import annotations

from gitops_gate.diff.api import DiffResult
from gitops_gate.diff.compare import EnvDiff
from gitops_gate.report.escape import html_text, markdown_code, markdown_fence, markdown_text

GITHUB_LIMIT = 65_536
_ICON = {"high": "🔴 high", "medium": "🟠 medium", "low": "🟢 low", "none": "none"}


def render(result: DiffResult, *, limit: int = GITHUB_LIMIT, rerun: str = "") -> str:
    """Markdown within limit characters; what does not fit is named, with how to see it all."""
    head = _summary(result)
    sections = [_section(e) for e in result.envs if e.changes or e.findings]
    budget = limit - len(head) - 400
    kept: list[str] = []
    left_out: list[str] = []
    for env, text in zip(
        [e for e in result.envs if e.changes or e.findings], sections, strict=True
    ):
        if len(text) <= budget:
            kept.append(text)
            budget -= len(text)
            continue
        short = _section(env, diffs=False)
        if len(short) <= budget:
            kept.append(short)
            budget -= len(short)
        left_out.append(markdown_text(env.env))
    out = head + "".join(kept)
    if left_out:
        how = f" Run {markdown_code(rerun)} to see it all." if rerun else ""
        out += (
            f"\n> Diffs left out to stay within GitHub's comment limit: "
            f"{', '.join(left_out)}.{how}\n"
        )
    return out


def _summary(result: DiffResult) -> str:
    before, after = markdown_code(result.before), markdown_code(result.after)
    lines = [f"### gitops-gate diff: {before} → {after}", ""]
    if not result.envs:
        lines.append("No environment is affected.")
    else:
        lines += [
            "| Environment | Added | Removed | Changed | Impact | Images |",
            "|---|---:|---:|---:|---|---|",
        ]
        for e in result.envs:
            images = "<br>".join(_image(o, n) for o, n in e.images)
            counts = f"{e.count('added')} | {e.count('removed')} | {e.count('changed')}"
            lines.append(
                f"| {markdown_text(e.env)} | {counts} | {_ICON[e.impact.label]} | {images} |"
            )
    if result.skipped:
        lines += ["", f"Not compared (unaffected or not selected): {_names(result.skipped)}."]
    return "\n".join(lines) + "\n\n"


def _section(env: EnvDiff, *, diffs: bool = True) -> str:
    # The summary line is raw HTML, where markdown escapes do not apply: HTML entities do.
    parts = [f"<details><summary><b>{html_text(env.env)}</b>: {_counts(env)}</summary>\n\n"]
    for f in env.findings:
        parts.append(f"- ⚠️ {markdown_code(f.location)}: {markdown_text(f.message)}\n")
    if env.findings:
        parts.append("\n")
    for c in env.changes:
        key, reason = markdown_code(str(c.key)), markdown_text(c.reason)
        parts.append(f"**{c.change}** {key} ({c.impact.label}: {reason})\n\n")
        if diffs and c.diff:
            parts.append(f"{markdown_fence(c.diff, 'diff')}\n\n")
    if not diffs:
        parts.append("_Diffs left out for length._\n\n")
    parts.append("</details>\n\n")
    return "".join(parts)


def _counts(env: EnvDiff) -> str:
    return (
        f"{env.count('added')} added, {env.count('removed')} removed, "
        f"{env.count('changed')} changed, impact {env.impact.label}"
    )


def _image(old: str | None, new: str | None) -> str:
    # markdown_text escapes `|` for table cells itself; a code span needs telling.
    before, after = (markdown_code(x or "∅", in_table=True) for x in (old, new))
    return f"{before} → {after}"


def _names(names: list[str]) -> str:
    return ", ".join(markdown_text(n) for n in names)
