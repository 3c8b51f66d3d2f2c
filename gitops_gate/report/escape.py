"""Escapers for repo-controlled text (names, paths, messages): one function per output format."""

from __future__ import annotations

import html
import re

# What a hostile repo could use to forge output: C0 and C1 controls (ESC and the one-byte CSI
# U+009B restyle a terminal, a newline starts a fake line), DEL, line and paragraph separators,
# bidi controls that reorder what is shown (Trojan Source), and lone surrogates (from undecodable
# file names), which would crash a UTF-8 writer. Each is shown as a visible escape instead.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_UNSAFE_KEEP_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# GitHub's runner reads `::command::` at a line's start (after spaces) and `##[command]`
# anywhere in a line (its v1 syntax): repo text must never assemble either in a CI log.
_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)|#(?=#\[)")
# GitHub links @user, @org/team and #123 in text (not in code); a word joiner breaks the link.
_MENTION = re.compile(r"([@#])(?=[A-Za-z0-9])")
_WORD_JOINER = "\u2060"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_MERMAID = {'"': "#quot;", "#": "#35;", "&": "#amp;", "<": "#lt;", ">": "#gt;", "`": "#96;"}


def _visible(match: re.Match[str]) -> str:
    c = match.group()
    if c in _NAMED:
        return _NAMED[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def line(text: str) -> str:
    """One line of text: every control, separator and bidi character shown as an escape."""
    return _UNSAFE.sub(_visible, text)


def block(text: str) -> str:
    """Text that may span lines: as line(), but newlines and tabs are kept."""
    return _UNSAFE_KEEP_LINES.sub(_visible, text)


def terminal(text: str) -> str:
    """A field on a terminal or CI log line: line(), and no GitHub workflow command forms."""
    return _WORKFLOW_COMMAND.sub(_defuse, line(text))


def _defuse(match: re.Match[str]) -> str:
    # Shows the first character of `::` or `##[` as an escape, so the runner sees no command.
    return f"{match.group(1) or ''}\\x{ord(match.group()[-1]):02x}"


def markup(text: str) -> str:
    """A terminal() field as Rich markup that shows it literally."""
    from rich.markup import escape

    return escape(terminal(text))


def github_data(text: str) -> str:
    """The message of a workflow command (`::error ...::DATA`), escaped as the runner decodes."""
    kept = block(text).replace("\t", "\\t")
    return kept.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (`file=`, `title=`) of a workflow command."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_text(text: str) -> str:
    """Inline GitHub markdown showing text literally: no emphasis, links, HTML or mentions."""
    return _MENTION.sub(r"\1" + _WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", line(text)))


def markdown_code(text: str, *, in_table: bool = False) -> str:
    """A code span showing text literally, its fence longer than any backtick run inside."""
    body = line(text)
    fence = "`" * (max((len(r) for r in re.findall("`+", body)), default=0) + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "
    span = f"{fence}{body}{fence}"
    # GFM splits table cells at `|` before it finds code spans; `\|` keeps the cell whole.
    return span.replace("|", "\\|") if in_table else span


def markdown_fence(text: str, info: str = "") -> str:
    """A fenced code block whose fence no line of text can close."""
    body = block(text)
    longest = max((len(r) for r in re.findall("`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    end = "" if body.endswith("\n") else "\n"
    return f"{fence}{info}\n{body}{end}{fence}"


def html_text(text: str) -> str:
    """Text inside raw HTML (a `<summary>`): entities for markup, no mentions."""
    # Mentions first: the entities html.escape writes (`&#x27;`) must stay whole.
    return html.escape(_MENTION.sub(r"\1" + _WORD_JOINER, line(text)), quote=True)


def xml_chars(text: str) -> str:
    """Text for an XML serialiser that escapes markup itself: only XML 1.0 legal characters."""
    return block(text)


def xml_text(text: str) -> str:
    """Text or attribute content for hand-written XML (SVG)."""
    return html.escape(line(text), quote=True)


def mermaid_label(text: str) -> str:
    """A quoted Mermaid node label: one line, entity codes for quotes and markup."""
    return '"' + "".join(_MERMAID.get(c, c) for c in line(text)) + '"'


def dot_string(text: str) -> str:
    """A quoted Graphviz DOT string (ID or label) shown literally, on one line."""
    return '"' + line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
