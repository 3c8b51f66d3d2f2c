"""`audit report`: a page an auditor can read, in Markdown or self-contained HTML that a real
browser renders without a single console message."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from tests.audit.history import month
from tests.helpers.tree import write_tree

KEY_TEXTS = [
    "production",
    "staging",
    "Alice &lt;alice@example.com&gt;",
    "Bob &lt;bob@example.com&gt;",  # approved
    "vendor pins by digest",  # waiver
    "hotfix INC-42",  # override
    "Deployment shop/web did not become ready",  # failed sync
    "sync failed health checks",  # rollback
    "Changes and failures per week",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\naudit: {path: log.sqlite}\n"})
    store = open_store(Config(root=tmp_path, audit=AuditSection(path="log.sqlite")))
    store.append_many(month())
    store.close()
    return tmp_path


def test_markdown_report_says_who_made_approved_and_what_failed(
    repo: Path, cli: Callable[..., Any]
) -> None:
    run = cli("audit", "report", "--format", "markdown", str(repo))

    assert run.code == 0, run.err
    assert "## production" in run.out and "## staging" in run.out
    assert "| reconcile.sync | failure | reconciler | Bob &lt;bob@example.com&gt; |" in run.out
    row = next(line for line in run.out.splitlines() if "Change #100" in line)
    assert "Alice &lt;alice@example.com&gt; | Bob &lt;bob@example.com&gt;" in row
    assert "2 failed syncs, 1 rollbacks" in run.out
    assert "Hash chain (57 events): intact" in run.out


def test_report_for_one_environment_since_a_date(repo: Path, cli: Callable[..., Any]) -> None:
    run = cli(
        "audit", "report", "--format", "markdown", "--env", "staging",
        "--since", "2026-11-20", str(repo),
    )  # fmt: skip

    assert run.code == 0
    assert "## staging" in run.out and "## production" not in run.out
    assert "2026-11-1" not in run.out.split("### Timeline")[1]


def test_html_report_is_self_contained(repo: Path, cli: Callable[..., Any]) -> None:
    page = cli("audit", "report", str(repo)).out

    assert page.startswith("<!doctype html>")
    assert "<script" not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert page.count("<svg") == 3  # production, staging, the repository
    for text in KEY_TEXTS:
        assert text in page


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed: apt-get install chromium (.ci/run does)"
    return found


def _browse(page: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr"]
    argv += [f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900", *args]
    return subprocess.run(
        [*argv, page.as_uri()], capture_output=True, text=True, timeout=120, check=True
    )


def test_html_report_renders_in_chromium_without_console_messages(
    repo: Path, cli: Callable[..., Any], tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    assert cli("audit", "report", "-o", str(page), str(repo)).code == 0

    dom = _browse(page, tmp_path, "--dump-dom")
    shot = _browse(page, tmp_path, f"--screenshot={tmp_path / 'shot.png'}")
    pdf = _browse(
        page, tmp_path, f"--print-to-pdf={tmp_path / 'page.pdf'}", "--no-pdf-header-footer"
    )

    for run in (dom, shot, pdf):
        assert ":CONSOLE" not in run.stderr, run.stderr
    for text in KEY_TEXTS:
        assert text in dom.stdout
    png = (tmp_path / "shot.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1280  # the window's width
    assert len(png) > 20_000  # text and charts drawn, not a blank page
    # The page's height, loosely: two environments' tables and charts print on a few pages.
    pages = len(re.findall(rb"/Type\s*/Page[^s]", (tmp_path / "page.pdf").read_bytes()))
    assert 2 <= pages <= 40
