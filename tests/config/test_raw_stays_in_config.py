"""Only config/ reads the config file's raw mapping: every other module reads a typed section."""

from __future__ import annotations

import ast
from pathlib import Path

import gitops_gate

PACKAGE = Path(gitops_gate.__file__).parent


def _raw_reads(path: Path) -> list[int]:
    """The lines of `<anything>.raw` and getattr(<anything>, "raw") in one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "raw":
            found.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "hasattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "raw"
        ):
            found.append(node.lineno)
    return sorted(found)


def test_nothing_outside_config_reads_config_raw() -> None:
    modules = [
        p for p in sorted(PACKAGE.rglob("*.py")) if p.relative_to(PACKAGE).parts[0] != "config"
    ]

    found = [
        f"{path.relative_to(PACKAGE.parent).as_posix()}:{line}"
        for path in modules
        for line in _raw_reads(path)
    ]

    assert len(modules) > 50, "the package's modules were not found: this would pass on nothing"
    assert found == [], (
        "these read Config.raw; add the key to a typed section in gitops_gate/config/sections.py "
        f"and read config.<section> instead: {found}"
    )


def test_the_search_finds_each_way_of_reading_raw(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text(
        'a = config.raw.get("windows")\nb = getattr(config, "raw")\nc = config.windows\n'
        "d = ctx.config.raw['policy']\n"
    )

    assert _raw_reads(module) == [1, 2, 4]
