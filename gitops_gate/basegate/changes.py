"""`gate-changed`: a finding for each edit a change makes to what configures the gate."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gitops_gate.config import Config
from gitops_gate.config.load import changed_sections
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.model import Resource

RULE = "gate-changed"
CHECK = "gate"


def _finding(
    config: Config, ref: str, what: str, path: str, line: int | None, **extra: Any
) -> Finding:
    """An error unless the base's config lowers it (policy.severity: {gate-changed: ...})."""
    message = (
        f"this change {what}; it was checked against {ref}'s version, and the edit takes "
        "effect only after merge: ask an owner of the gate to review it"
    )
    severity = config.policy.severity.get(RULE, Severity.ERROR)
    return Finding(RULE, severity, message, CHECK, path, line, extra={"changed": extra})


def config_changes(base: Config, head: Config, ref: str, *, had: bool, has: bool) -> list[Finding]:
    """One finding per top-level section of the config file the change adds, edits or drops."""
    name = head.display_path
    if not had and not has:
        return []
    if not had or not has:
        verb = "adds" if has else "removes"
        return [_finding(base, ref, f"{verb} {name}", name, 1 if has else None, file=name)]
    out = []
    for key, verb in changed_sections(base, head):
        line = head.locate(f"/{key}")[1] if verb != "removes" else None
        what = f"{verb} `{key}` in {name}"
        out.append(_finding(base, ref, what, name, line, file=name, section=key))
    return out


def file_change(
    base: Config, ref: str, name: str, before: bytes | None, path: Path
) -> list[Finding]:
    """A finding when the work tree's file at path differs from its bytes at the base ref."""
    after = path.read_bytes() if path.is_file() else None
    if before == after:
        return []
    verb = "adds" if before is None else "removes" if after is None else "changes"
    line = _first_difference(before or b"", after) if after is not None else None
    return [_finding(base, ref, f"{verb} {name}", name, line, file=name)]


def _first_difference(before: bytes, after: bytes) -> int:
    """The 1-based line of after where it first differs from before."""
    old, new = before.splitlines(), after.splitlines()
    for n, line in enumerate(new, 1):
        if n > len(old) or old[n - 1] != line:
            return n
    return max(len(new), 1)


def project_changes(
    base: Config, ref: str, before: Sequence[Resource], after: Sequence[Resource]
) -> list[Finding]:
    """A finding per AppProject of the base whose syncWindows the change edits or removes.

    A project new in the change is not one: its windows judge the change as they are.
    """
    old, new = _windows_by_name(before), _windows_by_name(after)
    out = []
    for name in sorted(old):
        (res, windows), now = old[name], new.get(name)
        if now is not None and now[1] == windows:
            continue
        if now is None:
            if windows:
                what = f"removes AppProject {name} and its syncWindows"
                out.append(_finding(base, ref, what, res.path, None, appProject=name))
            continue
        head = now[0]
        line = head.line_of("/spec/syncWindows") if _has_windows(head) else head.line
        what = f"changes the syncWindows of AppProject {name}"
        out.append(_finding(base, ref, what, head.path, line, appProject=name))
    return out


def _windows_by_name(projects: Sequence[Resource]) -> dict[str, tuple[Resource, list[Any]]]:
    out: dict[str, tuple[Resource, list[Any]]] = {}
    for res in projects:
        first, windows = out.get(res.key.name, (res, []))
        out[res.key.name] = (first, windows + _raw_windows(res))
    return out


def _raw_windows(res: Resource) -> list[Any]:
    spec = res.body.get("spec")
    raw = spec.get("syncWindows") if isinstance(spec, dict) else None
    return raw if isinstance(raw, list) else [] if raw is None else [raw]


def _has_windows(res: Resource) -> bool:
    spec = res.body.get("spec")
    return isinstance(spec, dict) and "syncWindows" in spec
