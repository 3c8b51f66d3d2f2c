"""The audit report as one self-contained HTML page: inline CSS and SVG, no script, no fetch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from gitops_gate.audit.chart import weekly_svg
from gitops_gate.audit.summary import Entry, EnvReport, Report
from gitops_gate.audit.verify import VerifyReport

# Nothing may load from anywhere: a page that tried would show a console error in the test.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}
th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td:first-child{white-space:nowrap}.failure,.blocked,.degraded{color:#c0392b;font-weight:600}
.success{color:#1e7e34}.meta{color:#555}code{font-size:.9em}
"""


def render_html(report: Report, chain: VerifyReport, *, title: str) -> str:
    """The whole page."""
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        _overview(report, chain),
    ]
    parts += [_environment(env) for env in sorted(report.environments.values(), key=_order)]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _order(env: EnvReport) -> tuple[bool, str]:
    return (env.name.startswith("("), env.name)


def _overview(report: Report, chain: VerifyReport) -> str:
    state = (
        f"intact, head <code>{chain.head[:16]}</code>"
        if chain.ok
        else f'<span class="failure">BROKEN: {len(chain.problems)} problems</span> '
        + "; ".join(escape(f"event {p.seq}: {p.kind}") for p in chain.problems[:20])
    )
    period = f"{escape(report.first or '-')} to {escape(report.last or '-')}"
    return (
        f'<p class="meta">{report.events} events, {period}. '
        f"Hash chain ({chain.events} events): {state}.</p>"
    )


def _environment(env: EnvReport) -> str:
    changes = sum(w[0] for w in env.weeks.values())
    failures = sum(w[1] for w in env.weeks.values())
    gate = ", ".join(f"{n} {escape(r)}" for r, n in sorted(env.gate.items())) or "no checks"
    facts = [
        ("Events", str(env.events)),
        ("Changes", str(changes)),
        ("Failures", str(failures)),
        ("The gate said", gate),
        ("Waivers used", str(len(env.waivers))),
        ("Window overrides", str(len(env.overrides))),
        ("Failed syncs", str(len(env.failed_syncs))),
        ("Rollbacks", str(len(env.rollbacks))),
    ]
    return "\n".join(
        [
            f'<section id="env-{escape(env.name)}"><h2>{escape(env.name)}</h2>',
            _table(("What", "How many"), facts),
            "<h3>Changes and failures per week</h3>",
            weekly_svg(env.weeks, f"{env.name}: changes and failures per week"),
            _waivers(env),
            _entries("Failed syncs and rollbacks", [*env.failed_syncs, *env.rollbacks]),
            _entries("Timeline", env.timeline[::-1]),
            "</section>",
        ]
    )


def _waivers(env: EnvReport) -> str:
    rows = [
        ("waiver", w.get("rule"), w.get("object"), w.get("reason"), w.get("owner"))
        for w in env.waivers
    ]
    rows += [
        ("override", ", ".join(o.get("windows") or []), o.get("environment"), o.get("reason"), "")
        for o in env.overrides
    ]
    if not rows:
        return "<h3>Waivers and overrides</h3><p>None.</p>"
    head = ("Kind", "Rule or window", "Object or environment", "Reason", "Owner")
    return "<h3>Waivers and overrides</h3>" + _table(head, rows)


def _entries(heading: str, entries: Sequence[Entry]) -> str:
    if not entries:
        return f"<h3>{escape(heading)}</h3><p>None.</p>"
    head = ("Time", "Action", "Result", "Made by", "Approved by", "Revision", "PR", "Reason")
    rows = [
        (
            e.time[:19].replace("T", " "),
            e.action,
            _Result(e.result),
            e.who,
            ", ".join(e.approved_by) or "-",
            (e.revision or "-")[:12],
            e.pr or "-",
            e.reason or "",
        )
        for e in entries
    ]
    return f"<h3>{escape(heading)}</h3>" + _table(head, rows)


class _Result(str):
    """A result cell, coloured by its class."""


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(_cell(v) for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cell(value: Any) -> str:
    text = escape("" if value is None else str(value))
    if isinstance(value, _Result):
        return f'<td class="{text}">{text}</td>'
    return f"<td>{text}</td>"
