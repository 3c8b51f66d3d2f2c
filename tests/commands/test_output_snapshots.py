"""Every output format of every command, as a user sees it, on one small fixed repo."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pytest_snapshot.plugin import Snapshot

from gitops_gate import __version__
from tests.conftest import Run
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

AT = "2025-03-28T09:00Z"  # a Friday, two days before Europe/Berlin moves its clocks
QUIET = "2025-03-14T09:00Z"  # two weeks earlier: no clock change in the week it draws

CONFIG = """\
version: 1
engines: {schema: builtin, policy: builtin}
environments:
  dev:
    paths: [clusters/dev]
  production:
    paths: [clusters/production]
    syncWindows:
      - {kind: allow, schedule: "0 6 * * Mon-Fri", duration: 12h, timeZone: Europe/Berlin,
         manualSync: true}
      - {kind: deny, schedule: "0 0 * * *", duration: 24h, timeZone: Europe/Berlin,
         from: "2025-12-20", until: "2026-01-02"}
"""

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: 128Mi}
"""

PROJECT = """\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: shop
  namespace: argocd
spec:
  sourceRepos: ["*"]
  destinations: [{namespace: shop, server: "https://kubernetes.default.svc"}]
  syncWindows:
    - {kind: deny, schedule: "0 22 * * *", duration: 8h, timeZone: Europe/Berlin,
       applications: ["*"], manualSync: true}
"""

APPLICATION = """\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web-production
  namespace: argocd
spec:
  project: shop
  source: {repoURL: "https://git.example.com/shop.git", path: clusters/production}
  destination: {namespace: shop, server: "https://kubernetes.default.svc"}
"""

# One finding of each kind: a latest tag (policy), a token (secrets, and a credential-like
# key in a ConfigMap), an integer in a ConfigMap (schema), Argo CD kinds without a CRD.
FILES = {
    ".gitops-gate.yaml": CONFIG,
    "base/kustomization.yaml": "resources:\n  - namespace.yaml\n  - web.yaml\n",
    "base/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
    "base/web.yaml": WEB,
    "clusters/dev/kustomization.yaml": (
        "resources:\n  - ../../base\n  - debug.yaml\n  - creds.yaml\n"
    ),
    "clusters/dev/debug.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  namespace: shop\nspec:\n"
        "  containers:\n    - name: shell\n      image: busybox:latest\n      resources:\n"
        "        requests: {cpu: 10m, memory: 16Mi}\n        limits: {memory: 16Mi}\n"
    ),
    "clusters/dev/creds.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ci\n  namespace: shop\ndata:\n"
        "  token: ghp_R8wKq2mZx7Lb4Nv9Tc3Yh6Jd1Fs5Gp0Ae8Wu\n"
    ),
    "clusters/production/kustomization.yaml": (
        "resources:\n  - ../../base\n  - settings.yaml\npatches:\n  - path: replicas.yaml\n"
    ),
    "clusters/production/replicas.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n"
        "spec:\n  replicas: 3\n"
    ),
    "clusters/production/settings.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n"
        "data:\n  port: 8080\n"
    ),
    "argocd/project.yaml": PROJECT,
    "argocd/web.yaml": APPLICATION,
}

# The change `diff --base main~1` shows: a new image everywhere, one more replica in production.
CHANGE = {
    "base/web.yaml": WEB.replace("web:1.4.2", "web:1.5.0"),
    "clusters/production/replicas.yaml": FILES["clusters/production/replicas.yaml"].replace(
        "replicas: 3", "replicas: 4"
    ),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snapshots") / "repo"
    commit(make_repo(root, FILES), CHANGE, "web 1.5.0, and 4 replicas in production")
    return root


def normalised(text: str, repo: Path) -> str:
    """text with what truly varies between runs replaced by a placeholder, nothing else.

    Only: the temp folder the repo lives in (`<repo>`), a run's duration ("in 0.12s" ->
    "in <time>") and gitops-gate's own version (`<version>`), which every release bumps;
    everything else a user or a program reads stays as it is.
    """
    text = text.replace(str(repo.resolve()), "<repo>").replace(str(repo), "<repo>")
    text = re.sub(r"\bin \d+\.\d+s\b", "in <time>", text)
    return text.replace(f'"version": "{__version__}"', '"version": "<version>"')


EXT = {"text": "txt", "json": "json", "markdown": "md"}

# (arguments after the repo path is appended, exit code, snapshot file)
CASES = [
    (["check", "--at", AT], 1, "check.txt"),
    (["check", "--at", AT, "--format", "json"], 1, "check.json"),
    (["check", "--at", AT, "--format", "sarif"], 1, "check.sarif"),
    (["check", "--at", AT, "--format", "junit"], 1, "check.junit.xml"),
    (["check", "--at", AT, "--format", "github"], 1, "check.github.txt"),
    (["validate", "--no-cache"], 1, "validate.txt"),
    (["validate", "--no-cache", "--format", "json"], 1, "validate.json"),
    (["policy"], 1, "policy.txt"),
    (["policy", "--format", "json"], 1, "policy.json"),
    (["secrets"], 1, "secrets.txt"),
    (["secrets", "--format", "json"], 1, "secrets.json"),
    (["graph"], 0, "graph.mermaid"),
    (["graph", "--format", "dot"], 0, "graph.dot"),
    (["graph", "--format", "json"], 0, "graph.json"),
    (["windows", "--at", AT], 0, "windows.txt"),
    (["windows", "--at", AT, "--format", "json"], 0, "windows.json"),
    (["windows", "--at", AT, "--app", "*"], 0, "windows-apps.txt"),
]


# check and policy judge what each environment renders: with the pinned kustomize.
RENDERS = ("check", "policy")


@pytest.mark.parametrize(
    ("args", "code", "name"),
    [
        pytest.param(*case, marks=[pytest.mark.slow] if case[0][0] in RENDERS else [])
        for case in CASES
    ],
    ids=[name.replace(".", "-") for _, _, name in CASES],
)
def test_output(
    args: list[str],
    code: int,
    name: str,
    repo: Path,
    cli: Callable[..., Run],
    snapshot: Snapshot,
) -> None:
    if args[0] in RENDERS:
        ensure_tool("kustomize")
    run = cli(*args, str(repo))

    assert (run.code, run.err) == (code, "")
    snapshot.assert_match(normalised(run.out, repo), name)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_config_show(
    fmt: str,
    repo: Path,
    cli: Callable[..., Run],
    snapshot: Snapshot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(repo)
    run = cli("config", "show", "--format", fmt)

    assert (run.code, run.err) == (0, "")
    snapshot.assert_match(normalised(run.out, repo), f"config-show.{EXT[fmt]}")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_policy_list(fmt: str, cli: Callable[..., Run], snapshot: Snapshot) -> None:
    run = cli("policy", "list", "--format", fmt)

    assert (run.code, run.err) == (0, "")
    snapshot.assert_match(run.out, f"policy-list.{EXT[fmt]}")


@pytest.mark.parametrize("at", [AT, QUIET], ids=["clocks-change", "quiet-week"])
def test_windows_week(at: str, repo: Path, cli: Callable[..., Run], snapshot: Snapshot) -> None:
    run = cli("windows", "--week", "--at", at, str(repo))

    assert (run.code, run.err) == (0, "")
    snapshot.assert_match(run.out, "windows-week.txt")


def test_windows_week_svg(
    repo: Path, tmp_path: Path, cli: Callable[..., Run], snapshot: Snapshot
) -> None:
    # A week without a clock change: see the test below for the one with it.
    svg = tmp_path / "week.svg"
    run = cli("windows", "--week", "--at", QUIET, "--output", str(svg), str(repo))

    assert (run.code, run.err) == (0, "")
    snapshot.assert_match(svg.read_text(), "windows-week.svg")


DAY_LINE = re.compile(r'<line x1="([\d.]+)" y1="14" [^>]*stroke="#999"/>')
BAR = re.compile(
    r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" [^>]*><title>\S+ '
    r"(\d{4}-\d\d-\d\d) (\d\d):(\d\d) \S+ to (\d{4}-\d\d-\d\d) (\d\d):(\d\d) "
)


@pytest.mark.parametrize(
    "at",
    [
        pytest.param(AT, id="clocks-change"),
        pytest.param(QUIET, id="quiet-week"),
    ],
)
def test_windows_svg_bars_start_and_end_on_their_hour(
    at: str, repo: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    svg = tmp_path / "week.svg"
    assert cli("windows", "--week", "--at", at, "--output", str(svg), str(repo)).code == 0
    text = svg.read_text()
    days = [float(x) for x in DAY_LINE.findall(text)]
    hour = (days[1] - days[0]) / 24
    first = date.fromisoformat(at[:10])

    def where(day: str, hh: str, mm: str) -> float:
        return days[(date.fromisoformat(day) - first).days] + (int(hh) + int(mm) / 60) * hour

    bars = BAR.findall(text)
    assert len(bars) > 7
    for x, width, *start, end_day, end_hh, end_mm in bars:
        assert float(x) == pytest.approx(where(*start)), start
        assert float(x) + float(width) == pytest.approx(where(end_day, end_hh, end_mm))


@pytest.mark.slow  # renders with the pinned kustomize (kubectl's may order fields otherwise)
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff(fmt: str, repo: Path, cli: Callable[..., Run], snapshot: Snapshot) -> None:
    ensure_tool("kustomize")
    run = cli("diff", "--base", "main~1", "--no-cache", "--format", fmt, str(repo))

    assert (run.code, run.err) == (0, "")
    snapshot.assert_match(normalised(run.out, repo), f"diff.{EXT[fmt]}")


@pytest.mark.slow  # kubeconform and conftest, as `--engine subprocess` asks
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_check_with_the_pinned_tools(
    fmt: str, repo: Path, cli: Callable[..., Run], snapshot: Snapshot
) -> None:
    ensure_tool("kubeconform")
    ensure_tool("conftest")
    ensure_tool("kustomize")
    run = cli("check", "--engine", "subprocess", "--at", AT, "--format", fmt, str(repo))

    assert (run.code, run.err) == (1, "")
    snapshot.assert_match(normalised(run.out, repo), f"check-subprocess.{EXT[fmt]}")
