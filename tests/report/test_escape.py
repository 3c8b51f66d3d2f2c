"""Each escaper against hostile repo text: what the reader of that format finally sees."""

from __future__ import annotations

import re
from html import unescape
from xml.etree import ElementTree as ET

import pytest
from markdown_it import MarkdownIt

from gitops_gate.report import escape

# What a pull request can put in a file, folder or object name.
HOSTILE = {
    "newline": "a.yaml\nPassed (fail level: error)",
    "esc": "web\x1b[31mred\x1b[0m",
    "c1-csi": "web\x9b31m",
    "bidi": "safe\u202eevil\u202c",
    "separator": "a\u2028b",
    "nul-and-del": "a\x00b\x7f",
    "surrogate": "bad\udcffname",
    "markdown": "c`[x](https://evil)`@someone",
    "html": "</summary><img src=x>",
    "workflow": "%0A::error::forged ##[warning]also",
}
ORDINARY = ["production", "clusters/prod/apps.yaml", "Deployment.apps prod/web", "nginx:1.27"]
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
GFM = MarkdownIt("commonmark").enable("table")


def plain_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nPassed", "a\\nPassed"),
        ("\x1b[2J\r\t", "\\x1b[2J\\r\\t"),
        ("\x9b31m", "\\x9b31m"),
        ("x\u202ey\u2066", "x\\u202ey\\u2066"),
        ("\udcff", "\\udcff"),
        ("::error::x", "\\x3a:error::x"),
        ("  ::add-mask::x", "  \\x3a:add-mask::x"),
        ("a ##[error]b", "a \\x23#[error]b"),
        ("a :: b # [c]", "a :: b # [c]"),
        ("héllo wörld ✓", "héllo wörld ✓"),
    ],
    ids=[
        "newline",
        "esc-cr-tab",
        "c1",
        "bidi",
        "surrogate",
        "workflow-v2",
        "indented",
        "v1",
        "ok",
        "utf8",
    ],
)
def test_terminal_shows_controls_as_escapes(text: str, shown: str) -> None:
    assert escape.terminal(text) == shown


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_one_line_escapers_leave_no_control_or_bidi(text: str) -> None:
    for out in (escape.terminal(text), escape.line(text), escape.xml_text(text)):
        assert "\n" not in out and not UNSAFE.search(out)
    assert "\n" not in escape.markdown_code(text) and not UNSAFE.search(escape.markdown_text(text))


def test_block_keeps_lines_and_tabs_only() -> None:
    assert escape.block("a\n\tb\r\x1bc\u202e") == "a\n\tb\\r\\x1bc\\u202e"


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_names_are_unchanged(text: str) -> None:
    assert escape.terminal(text) == escape.line(text) == text
    assert escape.markdown_text(text) == text
    assert escape.markdown_code(text) == f"`{text}`"
    assert escape.html_text(text) == text
    assert escape.mermaid_label(text) == f'"{text}"'
    assert escape.dot_string(text) == f'"{text}"'


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_markdown_text_renders_literally(text: str) -> None:
    html = GFM.renderInline(f"before {escape.markdown_text(text)} after")

    assert "<a " not in html and "<img" not in html and "<code>" not in html
    shown = plain_text(html)
    assert not re.search(r"(?<!\w)@someone", shown)
    assert unescape(shown).replace("\u2060", "") == f"before {escape.line(text)} after"


@pytest.mark.parametrize(
    "text", ["c`[x](https://evil)`@someone", "``a```b`", "`lead", "trail`", "a|b"]
)
def test_markdown_code_span_holds_the_whole_text(text: str) -> None:
    html = GFM.renderInline(f"x {escape.markdown_code(text)} y")

    (code,) = re.findall(r"<code>(.*?)</code>", html)
    assert unescape(code) == text.strip()
    assert html.startswith("x <code>") and html.endswith("</code> y")


def test_markdown_code_in_a_table_cell_keeps_the_pipe() -> None:
    table = f"| a | b |\n|---|---|\n| {escape.markdown_code('x|y', in_table=True)} | z |\n"
    html = GFM.render(table)

    assert "<td><code>x|y</code></td>" in html and "<td>z</td>" in html


@pytest.mark.parametrize("text", ["a\n```\n[x](https://evil)\n", "````", "ok\n"])
def test_markdown_fence_is_not_closed_by_the_text(text: str) -> None:
    html = GFM.render(escape.markdown_fence(text, "diff") + "\n\n[y](https://evil)\n")

    assert html.count("<pre>") == 1 and html.count('<a href="https://evil">') == 1
    (code,) = re.findall(r'<code class="language-diff">(.*?)</code>', html, re.DOTALL)
    assert unescape(code) == (text if text.endswith("\n") else text + "\n")


@pytest.mark.parametrize("text", ["it's", 'a"b', "x&y", "#1 @me"])
def test_html_text_entities_decode_back_to_the_text(text: str) -> None:
    assert unescape(escape.html_text(text)).replace("\u2060", "") == text


def test_html_text_in_a_summary_stays_text() -> None:
    name = "</summary><img src=x> @someone"
    html = GFM.render(f"<details><summary><b>{escape.html_text(name)}</b></summary>\n\nbody\n")

    assert "<img" not in html and "</summary><img" not in html
    assert "&lt;/summary&gt;&lt;img src=x&gt;" in html
    assert not re.search(r"(?<!\w)@someone", html)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_github_workflow_command_is_one_line_and_decodes(text: str) -> None:
    line = f"::error file={escape.github_property(text)},line=1::{escape.github_data(text)}"

    assert "\n" not in line and "\r" not in line and not UNSAFE.search(line)
    props, data = line[len("::error ") :].split("::", 1)
    assert [p.split("=", 1)[0] for p in props.split(",")] == ["file", "line"]
    decoded = data.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
    assert decoded == escape.block(text).replace("\t", "\\t")


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_mermaid_label_is_one_quoted_string(text: str) -> None:
    label = escape.mermaid_label(text)

    assert re.fullmatch(r'"[^"`<>\n]*"', label)
    assert "#quot;" not in text or "#35;quot;" in label


@pytest.mark.parametrize("text", [*HOSTILE.values(), 'a"b\\', "a\\nb"])
def test_dot_string_is_one_quoted_string(text: str) -> None:
    s = escape.dot_string(text)

    assert re.fullmatch(r'"(?:[^"\\\n]|\\[\\"])*"', s)


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_xml_text_and_chars_give_well_formed_xml(text: str) -> None:
    root = ET.fromstring(f'<r a="{escape.xml_text(text)}">{escape.xml_text(text)}</r>')  # noqa: S314
    assert root.text == root.get("a") == escape.line(text)
    element = ET.Element("r", a=escape.line(text))
    element.text = escape.xml_chars(text)
    again = ET.fromstring(ET.tostring(element, encoding="unicode"))  # noqa: S314
    assert again.text == escape.xml_chars(text).replace("\r", "\n")
