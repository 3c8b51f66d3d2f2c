"""Reading windows: AppProjects from real docs, bad windows as findings, bad config as exit 2."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.errors import ConfigError
from gitops_gate.manifests.loader import load, load_text
from gitops_gate.windows import collect
from gitops_gate.windows.sources import project_windows
from tests.helpers.data import SYNCWINDOWS


def test_argo_cd_operator_manual_project(tmp_path: Path) -> None:
    [project] = load_text(
        (SYNCWINDOWS / "01_argoproj__argo-cd__docs_operator-manual_project.yaml").read_text(),
        "p.yaml",
    ).resources
    windows, findings = project_windows(project)
    assert findings == []
    assert [(w.name, w.kind.value, w.schedule.text, w.origin.line) for w in windows] == [
        ("appproject/my-project#0", "allow", "10 1 * * *", 86),
        ("appproject/my-project#1", "allow", "0 9 * * *", 92),
        ("appproject/my-project#2", "deny", "0 22 * * *", 98),
        ("appproject/my-project#3", "allow", "0 23 * * *", 104),
    ]
    assert windows[1].sync_overrun and windows[0].manual_sync


def test_argo_cd_user_guide_time_zone() -> None:
    text = (
        SYNCWINDOWS / "02_argoproj__argo-cd__docs_user-guide_sync_windows.md.block0.yaml"
    ).read_text()
    [project] = load_text(text, "p.yaml").resources
    windows, findings = project_windows(project)
    assert findings == []
    assert [w.zone.key for w in windows] == ["UTC", "UTC", "Europe/Amsterdam", "UTC"]


def test_mis_indented_docs_example_fails_to_parse_with_file_and_line() -> None:
    [path] = (SYNCWINDOWS / "negative").iterdir()
    result = load_text(path.read_text(), f"negative/{path.name}")
    assert result.resources == []
    [finding] = result.findings
    assert (finding.rule, finding.path, finding.line) == (
        "invalid-yaml",
        f"negative/{path.name}",
        18,
    )


def test_cattage_sync_window_is_not_an_app_project(tmp_path: Path) -> None:
    loaded = load([SYNCWINDOWS], root=SYNCWINDOWS.parent)
    windows = collect(load_config(tmp_path), loaded.resources)
    assert sorted(windows.project_windows) == ["default", "my-project"]
    assert windows.findings == ()
    kinds = {r.key.kind for r in loaded.resources}
    assert "SyncWindow" in kinds  # loaded, yet contributes nothing


def _project(entry: str) -> str:
    head = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: prod\n"
    return head + "spec:\n  syncWindows:\n  - " + entry + "\n"


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (
            "kind: deny\n    schedule: '0 22 * * *'\n    duration: 1h",
            7,
            "sync window 0 of AppProject prod: the window selects nothing "
            "(Argo CD requires applications, namespaces or clusters)",
        ),
        (
            "kind: maybe\n    schedule: '0 22 * * *'\n    duration: 1h\n    applications: ['*']",
            7,
            "kind must be allow or deny, not 'maybe'",
        ),
        (
            "kind: deny\n    schedule: '0 22 * * *'\n    duration: 1h\n    applications: '*'",
            10,
            "applications must be a list of globs",
        ),
    ],
    ids=["no selector", "kind", "type"],
)
def test_window_argo_cd_ignores_is_a_finding(entry: str, line: int, message: str) -> None:
    [project] = load_text(_project(entry), "projects/prod.yaml").resources
    windows, [finding] = project_windows(project)
    assert windows == ()
    assert message in finding.message
    assert (finding.rule, finding.check, finding.severity.label) == (
        "sync-windows",
        "windows",
        "error",
    )
    assert (finding.path, finding.line) == ("projects/prod.yaml", line)


def _config(tmp_path: Path, windows: str) -> Path:
    text = "environments:\n  production:\n    paths: [clusters/production]\n    syncWindows:\n"
    (tmp_path / ".gitops-gate.yaml").write_text(
        text + textwrap.indent(textwrap.dedent(windows), "      ")
    )
    return tmp_path


@pytest.mark.parametrize(
    ("windows", "line", "message"),
    [
        (
            "- kind: deny\n  schedule: '0 22 * * 8'\n  duration: 1h\n",
            6,
            "syncWindows[0] of production: invalid schedule '0 22 * * 8': "
            "day of week '8' is outside 0-6",
        ),
        ("- kind: deny\n  schedule: '0 22 * * *'\n  duration: 1 hour\n", 7, "unknown unit"),
        (
            "- kind: deny\n  schedule: '@daily'\n  duration: 1h\n  timeZone: Europe/Berlim\n",
            8,
            "unknown time zone 'Europe/Berlim' (use an IANA name such as Europe/Berlin)",
        ),
        (
            "- kind: allow\n  schedule: '@daily'\n  duration: 1h\n  from: '2025-12-20'\n",
            8,
            "from/until apply to deny windows (holiday freezes) only",
        ),
        (
            "- kind: deny\n  schedule: '@daily'\n  duration: 24h\n  from: '2025-12-20'\n"
            "  until: '2025-12-01'\n",
            9,
            "until is before from",
        ),
        (  # our own config stays strict where Argo CD would keep the window
            "- kind: allow\n  schedule: '@daily'\n  duration: 0s\n",
            7,
            "syncWindows[0] of production: duration '0s' must be positive",
        ),
        (
            "- kind: deny\n  schedule: '0 0 30 2 *'\n  duration: 1h\n",
            6,
            "schedule '0 0 30 2 *' never fires",
        ),
    ],
    ids=["cron", "duration", "time zone", "freeze on allow", "range", "zero", "never"],
)
def test_bad_config_window_is_a_config_error(
    tmp_path: Path, windows: str, line: int, message: str
) -> None:
    config = load_config(_config(tmp_path, windows))
    with pytest.raises(ConfigError) as e:
        collect(config, [])
    assert (e.value.path, e.value.line) == (".gitops-gate.yaml", line)
    assert message in e.value.one_line()
    assert e.value.exit_code == 2


def test_config_accepts_descriptors_and_whole_environment_windows(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, "- kind: deny\n  schedule: '@daily'\n  duration: 2h\n"))
    [w] = collect(config, []).environment_windows["production"]
    assert (w.name, w.whole_environment, w.schedule.hours) == ("env/production#0", True, {0})
