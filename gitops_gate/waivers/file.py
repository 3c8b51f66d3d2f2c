"""`.gitops-gate-waivers.yaml`: each entry names one rule and one resource or file, exactly."""

from __future__ import annotations

from pathlib import Path
from types import EllipsisType
from typing import Any

import yaml

from gitops_gate.errors import ManifestError
from gitops_gate.findings import Finding, Waiver
from gitops_gate.manifests.depth import check_depth
from gitops_gate.waivers.model import WAIVERS_FILE, WaiverRule, parse_date, problem

SELECTOR_KEYS = ("kind", "name", "namespace", "group", "path")
_REQUIRED = ("rule", "resource", "reason", "owner", "expires")
_GLOB = frozenset("*?[")


def from_file(
    root: Path, text: str | EllipsisType | None = ...
) -> tuple[list[WaiverRule], list[Finding]]:
    """The waivers in root's waivers file, and a finding (file:line) for each refused one.

    text is the file as the base ref of a checked change has it (None: it has none), so a
    change cannot waive its own findings; by default (...) the file under root is read.
    """
    path = root / WAIVERS_FILE
    if text is ... and path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        leaves = f"{WAIVERS_FILE} is a link that leaves the repository; not read"
        return [], [problem(WAIVERS_FILE, None, leaves)]
    try:
        if text is ...:
            text = path.read_text(encoding="utf-8") if path.is_file() else None
        if text is None:
            return [], []
        check_depth(text, WAIVERS_FILE)  # the composer recurses once per level
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            body: Any = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except ManifestError as e:
        return [], [problem(WAIVERS_FILE, e.line, e.message)]
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return [], [problem(WAIVERS_FILE, line, f"not valid YAML: {getattr(e, 'problem', e)}")]
    entries = body.get("waivers") if isinstance(body, dict) else None
    if not isinstance(entries, list):
        return [], [problem(WAIVERS_FILE, 1, "expected a top-level list 'waivers:'")]
    rules: list[WaiverRule] = []
    problems: list[Finding] = []
    for n, (entry, line) in enumerate(zip(entries, _entry_lines(node), strict=True)):
        found = _entry(entry, n, line, root)
        if isinstance(found, Finding):
            problems.append(found)
        else:
            rules.append(found)
    return rules, problems


def _entry_lines(node: Any) -> list[int]:
    """The 1-based line of each item under `waivers:`, from the composed YAML node."""
    for key, value in node.value:
        if key.value == "waivers":
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _entry(entry: Any, n: int, line: int, root: Path) -> WaiverRule | Finding:
    where = f"waivers[{n}]"
    if not isinstance(entry, dict):
        return problem(WAIVERS_FILE, line, f"{where} is not a mapping")
    missing = [k for k in _REQUIRED if not entry.get(k)]
    if missing:
        return problem(WAIVERS_FILE, line, f"{where} lacks {', '.join(missing)}")
    selector = entry["resource"]
    if not isinstance(selector, dict) or not set(selector) <= set(SELECTOR_KEYS):
        keys = ", ".join(SELECTOR_KEYS)
        return problem(WAIVERS_FILE, line, f"{where}.resource must be a mapping of {keys}")
    sel = {str(k): str(v) for k, v in selector.items()}
    why = _too_broad(sel, root)
    if why is not None:
        return problem(WAIVERS_FILE, line, f"{where}.resource {why}")
    expires = parse_date(entry["expires"])
    if expires is None:
        return problem(WAIVERS_FILE, line, f"{where}.expires is not a date (YYYY-MM-DD)")
    source = f"{WAIVERS_FILE}:{line}"
    waiver = Waiver(str(entry["reason"]), str(expires), str(entry["owner"]), source)
    return WaiverRule(str(entry["rule"]), sel, waiver, expires, WAIVERS_FILE, line)


def _too_broad(sel: dict[str, str], root: Path) -> str | None:
    """Why the selector could name more than one resource or file, or None when it cannot."""
    for key, value in sel.items():
        if not value or _GLOB & set(value):
            return f"{key} {value!r} is a pattern: a waiver names one resource, exactly"
    if "path" in sel:
        target = (root / sel["path"]).resolve()
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            return f"path {sel['path']!r} is not a file in the repository"
        return None
    if "kind" not in sel or "name" not in sel:
        return "must name kind and name (and namespace, if it has one), or the path of one file"
    return None
