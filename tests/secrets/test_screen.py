"""The screen never keeps a plugin from a line one of its patterns matches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_gate.secrets.regexform import Form, form
from gitops_gate.secrets.screen import screen
from tests.helpers.data import parametrize_corpora

# Built from parts so this file does not itself look like it holds secrets.
AWS = "AKIA" + "IOSFODNN7EXAMPLE"
SLACK = "xoxb-" + "123456789012-1234567890123-abcdefghijklmnopqrstuvwx"
ENTROPY = "'" + "3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c" + "'"


@pytest.mark.parametrize(
    ("pattern", "flags", "needs"),
    [
        (r"AKIA[0-9A-Z]{16}", 0, {"AKIA"}),
        (r"(?:A3T[A-Z0-9]|ABIA|ACCA)[0-9A-Z]{16}", 0, {"3T", "BIA", "CCA"}),
        (r"BEGIN (RSA|EC) PRIVATE KEY", 0, {" PRIVATE KEY"}),
        (r"Secret|Token", re.IGNORECASE, {"secret", "token"}),
        (r"([\'\"])([a-f]+)(\1)", 0, {"'", '"'}),
        # Nothing every match needs: an optional part, a class of many characters.
        (r"(?:key)?[a-z]+", 0, None),
        (r"x|[a-z]{3}", 0, None),
        # Case-blind, the Kelvin sign is a k: it tells nothing about lower-cased ASCII text.
        ("\u212aey", re.IGNORECASE, {"ey"}),
        ("contraseña", re.IGNORECASE, {"contrase"}),
    ],
)
def test_what_a_pattern_needs(pattern: str, flags: int, needs: set[str] | None) -> None:
    found = form(re.compile(pattern, flags)).needs
    assert found == (frozenset(needs) if needs is not None else None)


@pytest.mark.parametrize(
    ("pattern", "searchable"),
    [
        (r"(?<![\w.])\d+\.\d+(?![\w.])", True),
        (r"(?m)(?:(?<=\W)|(?<=^))key\s*=\s*\w+$", True),
        # Without MULTILINE, ^ and $ hold at the joined text's ends only: searched by line.
        (r"(?:(?<=\W)|(?<=^))key\s*=\s*\w+", False),
        (r"key\s*=\s*\w+$", False),
        (r"\bAKIA\w+", True),
        # A lone line's end, and a newline the lookaround would now see, tell apart.
        (r"\Akey", False),
        (r"key(?!\s)", False),
        (r"(?<![^a])b", False),
        (r"a++b", False),
        (r"(?>ab)c", False),
        # Flags of a group's own, and what a lookaround captures (it may take the next line).
        (r"(?m)(?-m:^)tok", False),
        (r"k(?=([^z]*))\1(?!z)", False),
    ],
)
def test_which_patterns_are_searched_over_joined_lines(pattern: str, searchable: bool) -> None:
    assert form(re.compile(pattern)).searchable is searchable


@pytest.mark.parametrize(
    ("pattern", "lowerable"),
    [
        ("api_?key|secret", True),
        ("[a-z]+key", False),  # a range, case-blind, also holds the upper-case letters
        ("Secret", False),
        ("\u017fecret", False),  # the long s matches an ASCII s case-blind
        ("contraseña", True),
    ],
)
def test_which_case_blind_patterns_search_lower_cased_text(pattern: str, lowerable: bool) -> None:
    assert form(re.compile(pattern, re.IGNORECASE)).lowerable is lowerable
    assert form(re.compile(pattern)) == Form(form(re.compile(pattern)).needs, True, False)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_corpora(metafunc)


def _lines(corpora: Path) -> Iterator[str]:
    """Lines of every kind: the corpora's, and some that hold secrets in odd places."""
    for path in sorted(corpora.rglob("*")):
        if path.is_file():
            yield from path.read_text(encoding="utf-8", errors="replace").split("\n")
    yield from [
        f"key: {AWS}",
        f"{AWS}",
        f"  webhook: '{SLACK}'  # comment",
        f"password: {ENTROPY}",
        "ip 8.8.8.8 here",
        "8.8.8.8",
        "Cloudant_API_Key = 'abcdefghijklmnopqrstuvwx'",
        "clientSecret=\u212aey",
        "PASSWORD=hunter2",
        "",
    ]


def _plugins() -> Iterator[list[Any]]:
    from gitops_gate.secrets.imports import import_detect_secrets

    import_detect_secrets()
    from detect_secrets.settings import default_settings, get_plugins

    with default_settings():
        yield list(get_plugins())


def test_every_line_a_pattern_matches_goes_to_its_plugin(corpora: Path) -> None:
    for plugins in _plugins():
        built = screen(plugins)
        lines = [line.rstrip() for line in _lines(corpora)]
        # In files of a few hundred lines, as a scan sees them.
        for start in range(0, len(lines), 300):
            part = lines[start : start + 300]
            active = built.for_lines(part)
            for index, line in enumerate(part):
                asked = active.plugins(index)
                for plugin, own in zip(built.plugins, built.patterns, strict=True):
                    hit = own is None or any(p.regex.search(line) for p in own)
                    assert not hit or plugin in asked, (type(plugin).__name__, line)


def test_a_line_no_pattern_matches_asks_no_plugin() -> None:
    for plugins in _plugins():
        active = screen(plugins).for_lines(["apiVersion: v1", "kind: ConfigMap", "f", ENTROPY])
        assert [active.plugins(n) for n in range(3)] == [[], [], []]
        assert {type(p).__name__ for p in active.plugins(3)} >= {"Base64HighEntropyString"}


def test_the_credential_key_search_may_use_lower_cased_text() -> None:
    # scan.py searches ASCII text lower-cased with a case-sensitive twin of the pattern, and
    # the whole text at once for "no line has one": sound only while both hold.
    from gitops_gate.secrets.builtin import _CREDENTIAL_KEY

    shown = form(_CREDENTIAL_KEY)
    assert shown.searchable
    assert shown.lowerable
