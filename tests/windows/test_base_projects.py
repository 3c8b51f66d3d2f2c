"""With a base ref, AppProjects' windows are the base's; the change may only add restrictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import Config
from gitops_gate.manifests.loader import load_text
from gitops_gate.manifests.model import Resource
from gitops_gate.windows import collect


def _window(kind: str, schedule: str, duration: str) -> str:
    return (
        f'{{kind: {kind}, schedule: "{schedule}", duration: {duration}, timeZone: UTC, '
        'applications: ["*"]}'
    )


DENY = _window("deny", "0 22 * * *", "1h")
ALLOW = _window("allow", "0 6 * * *", "12h")
FREEZE = _window("deny", "0 0 24 12 *", "48h")


def _project(name: str, *windows: str) -> list[Resource]:
    text = (
        f"apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {{name: {name}}}\n"
        f"spec:\n  syncWindows: [{', '.join(windows)}]\n"
    )
    return load_text(text, f"projects/{name}.yaml").resources


def _judging(head: list[Resource], base: list[Resource] | None) -> dict[str, list[str]]:
    windows = collect(Config(root=Path("/nowhere")), head, base)
    return {
        name: [f"{w.kind.value} {w.schedule.text}" for w in found]
        for name, found in windows.project_windows.items()
    }


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (_project("prod"), {"prod": ["deny 0 22 * * *"]}),
        (_project("prod", ALLOW), {"prod": ["deny 0 22 * * *"]}),
        (_project("prod", DENY, FREEZE), {"prod": ["deny 0 22 * * *", "deny 0 0 24 12 *"]}),
        ([*_project("prod", DENY), *_project("new", ALLOW)],
         {"prod": ["deny 0 22 * * *"], "new": ["allow 0 6 * * *"]}),
        ([], {"prod": ["deny 0 22 * * *"]}),
    ],
    ids=["deleted", "replaced-by-an-allow", "deny-added", "new-project", "project-deleted"],
)  # fmt: skip
def test_the_base_windows_judge_and_the_head_only_restricts(
    head: list[Resource], expected: dict[str, list[str]]
) -> None:
    assert _judging(head, _project("prod", DENY)) == expected


def test_without_a_base_the_head_windows_judge() -> None:
    assert _judging(_project("prod", ALLOW), None) == {"prod": ["allow 0 6 * * *"]}
