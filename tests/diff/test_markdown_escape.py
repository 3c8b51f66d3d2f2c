"""The PR comment (`diff --format markdown`) over hostile names: rendered, nothing goes live."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from gitops_gate.diff.api import DiffResult
from gitops_gate.diff.compare import EnvDiff, ObjectChange
from gitops_gate.diff.impact import Impact
from gitops_gate.diff.markdown import render
from gitops_gate.findings import Finding, Severity
from gitops_gate.manifests.model import ResourceKey
from tests.diff.fixtures import deployment
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import commit, make_repo

OBJECT = "c`[x](https://evil)`@someone"
# A folder name cannot hold `/`, so `</summary>` only reaches the comment through the API test.
FOLDER = "<img src=x> @someone [y](evil)"
IMAGE = "nginx:1|`@someone"
TERMINAL = r"e\e[31m\u202e\nPassed"  # YAML escapes: ESC, a bidi override, a newline
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
GITHUB = MarkdownIt("commonmark").enable("table")  # raw HTML passes, as GitHub's parser lets it


def live(markdown: str) -> str:
    """The rendered comment outside code, where GitHub makes links, images and mentions."""
    html = GITHUB.render(markdown)
    return re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.DOTALL)


def assert_inert(markdown: str) -> None:
    rendered = live(markdown)
    assert "<img" not in rendered and "<a " not in rendered
    assert not re.search(r"(?<!\w)@someone", rendered)
    assert "</summary><" not in rendered.replace("</summary></details>", "")


def table_rows(markdown: str) -> list[int]:
    html = GITHUB.render(markdown)
    return [row.count("<td") for row in re.findall(r"<tr>.*?</tr>", html, re.DOTALL)[1:]]


def test_api_render_with_summary_breakout_and_backticks() -> None:
    key = ResourceKey("", "ConfigMap", "default", OBJECT)
    diff = "--- a\n+++ b\n@@ -1 +1 @@\n-a: b\n+a: |\n+  ```\n+  [z](https://evil)\n"
    change = ObjectChange(key, "changed", Impact.LOW, "changes @someone", diff)
    bad = Finding("render-failed", Severity.ERROR, "no <img src=x> @someone", "diff", "a`b.yaml")
    env = EnvDiff("</summary><img src=x>", "a", "b", changes=[change], findings=[bad])

    text = render(DiffResult("main", "HEAD`@x", [env], skipped=["@someone"]), rerun="x`y")

    assert_inert(text)
    assert table_rows(text) == [6]
    html = GITHUB.render(text)
    assert "<b>&lt;/summary&gt;&lt;img src=x&gt;</b>" in html
    assert f"<code>ConfigMap default/{unescape(OBJECT)}</code>" in unescape(html)
    assert html.count("<pre>") == 1 and "[z](https://evil)" in html


@pytest.mark.slow
def test_cli_comment_and_text_for_hostile_folder_objects_and_image(
    tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    ensure_tool("kustomize")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\ndata: {{a: {}}}\n"
    repo = make_repo(root, {
        "base/kustomization.yaml": "resources: [cm.yaml, term.yaml, web.yaml]\n",
        "base/cm.yaml": cm.format(f"'{OBJECT}'", "b"),
        "base/term.yaml": cm.format(f'"{TERMINAL}"', "b"),
        "base/web.yaml": deployment("web", "nginx:1.27"),
        f"clusters/{FOLDER}/kustomization.yaml": "resources: [../../base]\n",
    })  # fmt: skip
    commit(repo, {
        "base/cm.yaml": cm.format(f"'{OBJECT}'", "c"),
        "base/term.yaml": cm.format(f'"{TERMINAL}"', "c"),
        "base/web.yaml": deployment("web", IMAGE),
    }, "x")  # fmt: skip
    monkeypatch.chdir(root)

    run = cli("diff", "--base", "main~1", "--format", "markdown")
    text = cli("diff", "--base", "main~1")

    assert run.code == 0, run.err
    assert_inert(run.out)
    assert table_rows(run.out) == [6]
    html = unescape(GITHUB.render(run.out))
    assert f"<code>ConfigMap {OBJECT}</code>" in html
    assert f"<code>{IMAGE}</code>" in html
    assert "<b><img src=x> @\u2060someone [y](evil)</b>" in html
    assert not RAW.search(text.out) and not RAW.search(run.out)
    assert [ln for ln in text.out.splitlines() if ln.strip().startswith("Passed")] == []
    assert "  changed ConfigMap e\\x1b[31m\\u202e\\nPassed (medium: " in text.out
