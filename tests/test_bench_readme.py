"""bench/run_all.py's README rewriting: markers replaced, prose kept, reruns idempotent."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


readme = _module("_readme")

README = """# tool

Intro.

## Benchmarks

Prose before, kept.

<!-- bench:load start -->
| old | table |
|---|---|
| 1 | 2 |
<!-- bench:load end -->

Prose between, kept: explains why \\1 is slow.

<!-- bench:diff start -->
old diff
<!-- bench:diff end -->

## Development

Unrelated.
"""


def test_marked_parts_are_replaced_and_the_prose_kept() -> None:
    out = readme.rewrite(README, {"load": "| new | table |\n|---|---|\n| 3 | 4 |\n"})
    assert "| 3 | 4 |" in out
    assert "| 1 | 2 |" not in out
    assert "old diff" in out
    for prose in ("Prose before, kept.", "Prose between, kept: explains why \\1 is slow.",
                  "## Development\n\nUnrelated.\n", "# tool\n\nIntro.\n"):  # fmt: skip
        assert prose in out


def test_a_backslash_in_a_table_is_written_as_it_is() -> None:
    out = readme.rewrite(README, {"diff": r"| a\1b | \g<0> |"})
    assert r"| a\1b | \g<0> |" in out


def test_rewriting_twice_gives_the_same_text() -> None:
    blocks = {"load": "| a |\n|---|\n", "machine": "| cores | 2 |", "diff": "new"}
    once = readme.rewrite(README, blocks)
    assert readme.rewrite(once, blocks) == once


def test_a_part_without_markers_is_added_at_the_end_of_the_section_once() -> None:
    out = readme.rewrite(README, {"peers": "| kubeconform | v0.8.0 |"})
    section, development = out.split("## Development")
    assert section.rstrip().endswith(
        "<!-- bench:peers start -->\n| kubeconform | v0.8.0 |\n<!-- bench:peers end -->"
    )
    assert development == "\n\nUnrelated.\n"
    again = readme.rewrite(out, {"peers": "| kubeconform | v0.9.0 |"})
    assert again.count("bench:peers start") == 1
    assert "v0.8.0" not in again


def test_a_section_at_the_end_of_the_file_gets_the_part_appended() -> None:
    out = readme.rewrite("# t\n\n## Benchmarks\n\nProse.\n", {"load": "table"})
    part = "<!-- bench:load start -->\ntable\n<!-- bench:load end -->\n"
    assert out == f"# t\n\n## Benchmarks\n\nProse.\n\n{part}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# t\n\n## Other\n", "no '## Benchmarks' heading"),
        ("## Benchmarks\n<!-- bench:load start -->\nx\n", "only one of the markers"),
        (
            "## Benchmarks\n" + "<!-- bench:load start -->\nx\n<!-- bench:load end -->\n" * 2,
            "2 times",
        ),
    ],
    ids=["no section", "start without end", "twice"],
)
def test_a_readme_it_cannot_rewrite_safely_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        readme.rewrite(text, {"load": "table"})


def test_dry_run_names_every_benchmark_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_text(README)
    argv = [sys.executable, str(BENCH / "run_all.py"), "--dry-run", "--readme", str(target)]
    done = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=120)
    names = [line.split(":")[0] for line in done.stdout.splitlines()]
    expected = [p.stem for p in sorted(BENCH.glob("[!_]*.py")) if p.stem != "run_all"]
    assert sorted(names) == expected
    assert all(" would run python bench/" in line or " skipped " in line
               for line in done.stdout.splitlines())  # fmt: skip
    assert target.read_text() == README


run_all = _module("run_all")


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "| a | b |\n|---|---|\n| 1 | 2 |"),
        (
            "10 environments\nrun    seconds\ncold      2.62\n",
            "```text\n10 environments\nrun    seconds\ncold      2.62\n```",
        ),
        (
            "1000 objects\n| a |\n|---|\n| 1 |\nfull cycle 5.5s\n",
            "1000 objects\n\n| a |\n|---|\n| 1 |\n\nfull cycle 5.5s",
        ),
    ],
    ids=["markdown table kept", "aligned text fenced", "text around a table set apart"],
)
def test_a_benchmark_output_reads_as_it_printed(output: str, expected: str) -> None:
    assert run_all.as_markdown(output) == expected
