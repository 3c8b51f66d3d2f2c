"""detect-secrets' internals that our secret scan calls: each is there, called as we call it.

secrets/lines.py and secrets/yamlpass.py call private functions of detect-secrets
(core.scan._is_filtered_out, _get_lines_from_file, _scan_line; transformers.yaml.
_yaml_comment_regex) and copy one (core.scan._process_line_based_plugins); secrets/screen.py
reads its plugins' patterns. No release promises any of that, so pyproject.toml pins
detect-secrets below its next minor release. When a test here fails after an upgrade, its
message names what changed: read that release's code, adapt lines.py, yamlpass.py or
screen.py, and only then widen the pin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from gitops_gate.secrets.imports import import_detect_secrets

ROOT = Path(__file__).resolve().parents[2]
WHY = "gitops_gate/secrets relies on it: adapt lines.py, yamlpass.py or screen.py, then the pin"


def _resolve(dotted: str) -> Any:
    """The object at a dotted path: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            found = getattr(found, name, None)
            if found is None:
                pytest.fail(f"detect-secrets no longer has {dotted} ({WHY})")
        return found
    pytest.fail(f"detect-secrets no longer has {dotted} ({WHY})")


def _parameters(func: Any) -> list[str]:
    shown: dict[Any, str] = {
        inspect.Parameter.VAR_KEYWORD: "**",
        inspect.Parameter.VAR_POSITIONAL: "*",
    }
    return [shown.get(p.kind, "") + p.name for p in inspect.signature(func).parameters.values()]


@pytest.fixture(autouse=True)
def _settings() -> Iterator[None]:
    """detect-secrets' default plugins and filters, as our scan runs them."""
    import_detect_secrets()
    from detect_secrets.settings import default_settings

    with default_settings():
        yield


def test_detect_secrets_is_pinned_below_its_next_minor_release() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = [
        Requirement(r) for r in project["dependencies"] if Requirement(r).name == "detect-secrets"
    ]
    installed = importlib.metadata.version("detect-secrets")

    assert any(s.operator == "<" for s in requirement.specifier), (
        f"{requirement} has no upper bound: a release may change the internals we call"
    )
    assert requirement.specifier.contains(installed), (
        f"detect-secrets {installed} is installed, outside the tested range {requirement}"
    )


SIGNATURES = [
    ("detect_secrets.core.scan.scan_file", ["filename"]),
    ("detect_secrets.core.scan._is_filtered_out", ["required_filter_parameters", "**kwargs"]),
    ("detect_secrets.core.scan._get_lines_from_file", ["filename"]),
    (
        "detect_secrets.core.scan._scan_line",
        ["plugin", "filename", "line", "line_number", "context", "**kwargs"],
    ),
    ("detect_secrets.core.scan._process_line_based_plugins", ["lines", "filename"]),
    ("detect_secrets.transformers.yaml._yaml_comment_regex", []),
    ("detect_secrets.transformers.get_transformers", []),
    ("detect_secrets.transformers.yaml.YAMLTransformer.parse_file", ["self", "file"]),
    ("detect_secrets.transformers.yaml.YAMLTransformer.should_parse_file", ["self", "filename"]),
    ("detect_secrets.settings.get_plugins", []),
    ("detect_secrets.settings.default_settings", []),
    ("detect_secrets.util.filetype.determine_file_type", ["filename"]),
    (
        "detect_secrets.util.code_snippet.get_code_snippet",
        ["lines", "line_number", "lines_of_context"],
    ),
    ("detect_secrets.core.plugins.util.get_mapping_from_secret_type_to_class", []),
    (
        "detect_secrets.plugins.base.BasePlugin.analyze_line",
        ["self", "filename", "line", "line_number", "context", "**kwargs"],
    ),
    ("detect_secrets.plugins.base.BasePlugin.analyze_string", ["self", "string"]),
    (
        "detect_secrets.plugins.high_entropy_strings.HighEntropyStringsPlugin.analyze_line",
        ["self", "filename", "line", "line_number", "context", "enable_eager_search", "**kwargs"],
    ),
]


@pytest.mark.parametrize(("dotted", "expected"), SIGNATURES, ids=[s[0] for s in SIGNATURES])
def test_each_function_we_call_takes_the_arguments_we_pass(
    dotted: str, expected: list[str]
) -> None:
    found = _parameters(_resolve(dotted))

    assert found == expected, f"{dotted} now takes {found}, we pass {expected} ({WHY})"


NAMES = [
    ("detect_secrets.util.filetype.FileType.YAML", object),
    ("detect_secrets.transformers.exceptions.ParsingError", type),
    ("detect_secrets.transformers.yaml.YAMLTransformer", type),
    ("detect_secrets.plugins.base.RegexBasedDetector", type),
    ("detect_secrets.plugins.high_entropy_strings.HighEntropyStringsPlugin", type),
    ("detect_secrets.plugins.keyword.KeywordDetector", type),
    ("detect_secrets.plugins.keyword.DENYLIST_REGEX", str),
    ("detect_secrets.plugins.keyword.DENYLIST", tuple),
    ("detect_secrets.filters.common", object),
]


@pytest.mark.parametrize(("dotted", "kind"), NAMES, ids=[n[0] for n in NAMES])
def test_each_name_we_read_is_there(dotted: str, kind: type) -> None:
    found = _resolve(dotted)

    assert isinstance(found, kind), f"{dotted} is now a {type(found).__name__} ({WHY})"


def test_is_filtered_out_drops_what_its_default_filters_drop(tmp_path: Path) -> None:
    from detect_secrets.core import scan
    from detect_secrets.util.code_snippet import get_code_snippet

    def filtered(params: list[str], **kwargs: Any) -> bool:
        return scan._is_filtered_out(required_filter_parameters=params, **kwargs)

    for name in ("logo.png", "app.yaml"):
        (tmp_path / name).write_text("a: 1\n")
    allowed = "token = 'x'  # pragma: allowlist secret"
    png, yaml, missing = (str(tmp_path / n) for n in ("logo.png", "app.yaml", "gone.yaml"))
    assert filtered(["filename"], filename=png), "a .png file is no longer passed over"
    assert filtered(["filename"], filename=missing), "a missing file is no longer passed over"
    assert not filtered(["filename"], filename=yaml), "a .yaml file is now passed over"
    for line, hidden in ((allowed, True), ("token = 'x'", False)):
        snippet = get_code_snippet(lines=["a = 1", line], line_number=2)
        assert filtered(["line"], filename=yaml, line=line, context=snippet) is hidden, (
            f"the line filters now {'show' if hidden else 'hide'} {line!r}"
        )


def test_get_lines_from_file_gives_raw_lines_then_the_eager_transformer_s(tmp_path: Path) -> None:
    from detect_secrets.core import scan

    path = tmp_path / "app.txt"
    path.write_text("x = 1\npassword = 'hunter2hunter2'\n")

    found = list(scan._get_lines_from_file(str(path)))

    assert found == [
        ["x = 1\n", "password = 'hunter2hunter2'\n"],
        ['x = "1"', 'password = "hunter2hunter2"'],
    ], f"_get_lines_from_file now reads a plain file as {found} ({WHY})"


def test_scan_line_asks_one_plugin_about_one_line() -> None:
    from detect_secrets.core import scan
    from detect_secrets.plugins.keyword import KeywordDetector
    from detect_secrets.util.code_snippet import get_code_snippet

    lines = ["x = 1", "password = 'hunter2hunter2'"]
    snippet = get_code_snippet(lines=lines, line_number=2)

    found = list(
        scan._scan_line(
            plugin=KeywordDetector(), filename="a.py", line=lines[1], line_number=2, context=snippet
        )
    )

    assert [(s.type, s.secret_value, s.line_number) for s in found] == [
        ("Secret Keyword", "hunter2hunter2", 2)
    ], f"_scan_line now finds {found} ({WHY})"


def test_our_scan_lines_finds_what_process_line_based_plugins_finds() -> None:
    from detect_secrets.core import scan

    from gitops_gate.secrets.lines import scan_lines

    lines = list(
        enumerate(
            [
                "x = 1",
                "password = 'hunter2hunter2'",
                "aws = 'AKIA" + "IOSFODNN7EXAMPLE'",
                "token = 'x'  # pragma: allowlist secret",
                "api_key: '3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c'",
            ],
            start=1,
        )
    )

    def found(secrets: Iterator[Any]) -> list[tuple[int, str, str]]:
        return sorted((s.line_number, s.type, s.secret_value) for s in secrets)

    theirs = found(scan._process_line_based_plugins(lines, "a.py"))
    assert len(theirs) >= 3, f"detect-secrets finds only {theirs}: the probe lines need updating"
    assert found(scan_lines(lines, "a.py")) == theirs, (
        "gitops_gate/secrets/lines.py:scan_lines copies _process_line_based_plugins, "
        f"which changed ({WHY})"
    )


YAML = "a:\n  password: hunter2  # note\n  n: 3\nb: [x, y]\nc: plain\n"


def test_the_yaml_transformer_quotes_each_value_after_its_key(tmp_path: Path) -> None:
    from detect_secrets.transformers.yaml import YAMLTransformer

    path = tmp_path / "a.yaml"
    path.write_text(YAML)

    with path.open() as f:
        found = YAMLTransformer().parse_file(f)  # type: ignore[arg-type]

    assert found == ["", 'password: "hunter2"  # note', "", "", 'c: "plain"'], (
        f"the YAML transformer now turns a known file into {found}; "
        "gitops_gate/secrets/yamlpass.py predicts its lines"
    )


def test_yamlpass_predicts_every_line_the_yaml_transformer_makes(tmp_path: Path) -> None:
    from detect_secrets.transformers.yaml import YAMLTransformer

    from gitops_gate.secrets.yamlpass import shape

    path = tmp_path / "a.yaml"
    path.write_text(YAML)
    with path.open() as f:
        made = {line for line in YAMLTransformer().parse_file(f) if line}  # type: ignore[arg-type]

    candidates = shape(YAML).candidates

    assert candidates is not None
    assert made <= set(candidates), f"yamlpass no longer predicts {made - set(candidates)}"


def test_the_yaml_transformer_gives_up_on_a_stream(tmp_path: Path) -> None:
    from detect_secrets.transformers.exceptions import ParsingError
    from detect_secrets.transformers.yaml import YAMLTransformer

    path = tmp_path / "a.yaml"
    path.write_text("a: 1\n---\nb: 2\n")

    with path.open() as f, pytest.raises(ParsingError):
        YAMLTransformer().parse_file(f)  # type: ignore[arg-type]


def test_the_yaml_comment_regex_finds_a_trailing_comment() -> None:
    from detect_secrets.transformers.yaml import _yaml_comment_regex

    found = _yaml_comment_regex().search("key: value  # note")

    assert found is not None and found.group(0) == "  # note", (
        "_yaml_comment_regex changed; yamlpass.py adds the comments it finds"
    )


def test_only_the_yaml_transformer_reads_yaml_and_it_is_not_eager() -> None:
    from detect_secrets.transformers import get_transformers
    from detect_secrets.transformers.yaml import YAMLTransformer
    from detect_secrets.util.filetype import FileType, determine_file_type

    transformers: list[Any] = list(get_transformers())
    yaml_readers = [t for t in transformers if isinstance(t, YAMLTransformer)]

    assert len(yaml_readers) == 1 and not yaml_readers[0].is_eager
    names = ("a.yaml", "a.yml", "a.eyaml", "a.YAML", "a.txt")
    assert [determine_file_type(n) is FileType.YAML for n in names] == [
        True,
        True,
        True,
        False,
        False,
    ], "detect-secrets now tells YAML files by other names; lines.py follows its choice"


def test_the_screen_reads_every_default_plugin_s_patterns() -> None:
    from detect_secrets.settings import get_plugins

    from gitops_gate.secrets.screen import screen

    plugins = list(get_plugins())
    built = screen(plugins)

    unscreened = [
        type(p).__name__ for p, own in zip(plugins, built.patterns, strict=True) if not own
    ]
    assert len(plugins) >= 20
    assert unscreened == [], (
        f"screen.py no longer reads the patterns of {unscreened}: scans still agree with "
        "detect-secrets but ask those plugins about every line (see screen._patterns)"
    )
