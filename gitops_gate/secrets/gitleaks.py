"""The subprocess engine: the pinned gitleaks, its default rules plus ours (rules.py)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gitops_gate import _run
from gitops_gate.errors import ToolError
from gitops_gate.secrets.engine import RawHit, hash_value
from gitops_gate.secrets.rules import RULES

# Its rule for a whole Secret manifest with data: we decode Secret.data ourselves (decode.py),
# as for the built-in engine, and judge each value at its own line.
_LEFT_OUT = frozenset({"kubernetes-secret-yaml"})
_TIMEOUT = 300.0


def config_toml() -> str:
    """gitleaks' config: its default rules, and rules.py's."""
    parts = ['title = "gitops-gate"', "", "[extend]", "useDefault = true", ""]
    for rule in RULES:
        keywords = ", ".join(json.dumps(k) for k in rule.keywords)
        parts += [
            "[[rules]]",
            f"id = {json.dumps(rule.id)}",
            f"description = {json.dumps(rule.description)}",
            f"regex = '''{rule.pattern}'''",
            "secretGroup = 1",
            f"entropy = {rule.entropy}",
            f"keywords = [{keywords}]",
            "",
        ]
    return "\n".join(parts)


class GitleaksEngine:
    """gitleaks `dir` over links to the files, in a private temporary folder."""

    name = "gitleaks"

    def __init__(self, binary: Path, max_megabytes: int = 5) -> None:
        self._binary = binary
        self._max_megabytes = max(1, max_megabytes)

    def scan(self, files: Sequence[tuple[Path, str]]) -> list[RawHit]:
        if not files:
            return []
        with tempfile.TemporaryDirectory(prefix="gitops-gate-gitleaks-") as scratch:
            work = Path(scratch)
            names = _link_tree(files, work / "tree")
            report = self._run(work)
        return [hit for item in report if (hit := _hit(item, names, work / "tree")) is not None]

    def _run(self, work: Path) -> list[Any]:
        (work / "gitleaks.toml").write_text(config_toml(), encoding="utf-8")
        report = work / "report.json"
        argv: list[str | Path] = [
            self._binary, "dir", work / "tree", "--follow-symlinks", "--no-banner",
            "--no-color", "--log-level", "error", "--exit-code", "0",
            "--config", work / "gitleaks.toml", "--gitleaks-ignore-path", work,
            # An inline `gitleaks:allow` would let a change hide its own secret from this
            # engine alone; both take the pragma README documents (judged.py).
            "--ignore-gitleaks-allow",
            "--max-decode-depth", "0", "--max-target-megabytes", str(self._max_megabytes),
            "--report-format", "json", "--report-path", report,
        ]  # fmt: skip
        _run.run(argv, timeout=_TIMEOUT, env=_run.clean_env())
        try:
            found = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ToolError(tuple(map(str, argv)), 0, f"no readable report: {e}") from e
        return found if isinstance(found, list) else []


def _link_tree(files: Sequence[tuple[Path, str]], tree: Path) -> dict[str, str]:
    """A link per file at a made-up name (gitleaks reports the path it read): name -> rel."""
    tree.mkdir()
    names: dict[str, str] = {}
    for index, (path, rel) in enumerate(files):
        # Under its own name, so rules that look at it (.env, id_rsa, README.md) still do.
        folder = tree / str(index)
        folder.mkdir()
        (folder / (rel.rsplit("/", 1)[-1] or "file")).symlink_to(path.resolve())
        names[str(index)] = rel
    return names


def _hit(item: Any, names: dict[str, str], tree: Path) -> RawHit | None:
    if not isinstance(item, dict) or item.get("RuleID") in _LEFT_OUT:
        return None
    try:
        # Through a link it names the target as File, and the link it read as SymlinkFile.
        read = item.get("SymlinkFile") or item.get("File", "")
        name = Path(str(read)).relative_to(tree).as_posix()
    except ValueError:
        return None
    rel = names.get(name.split("/", 1)[0])
    secret = str(item.get("Secret", ""))
    line = item.get("StartLine")
    if rel is None or not isinstance(line, int):
        return None
    return RawHit(rel, line, str(item.get("RuleID")), hash_value(secret), secret)
