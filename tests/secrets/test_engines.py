"""The two engines behind one Protocol: picked by `secrets.engine`, judged alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_gate.config import load_config
from gitops_gate.errors import ConfigError, ToolNotFoundError
from gitops_gate.findings import Severity
from gitops_gate.secrets import secret_findings
from gitops_gate.secrets.builtin import BuiltinEngine, gitops_settings
from gitops_gate.secrets.engine import RawHit
from gitops_gate.secrets.gitleaks import GitleaksEngine
from gitops_gate.secrets.imports import import_detect_secrets
from gitops_gate.secrets.judged import judged_hits
from gitops_gate.secrets.registry import pick
from gitops_gate.tools.resolve import TOOLS_DIR_ENV
from tests.helpers.toolchain import ensure_tool
from tests.helpers.tree import write_tree

STRONG = "Qe3rT8yU1iO6pA9sDf"
# Small files each engine must judge alike: (file, text, places found).
CASES = [
    (".env", f"DB_PASSWORD={STRONG}\nAPI_TOKEN=op://vault/api/token\n", [1]),
    ("app.yaml", f"args:\n  - --api-key={STRONG}\n  - --password=${{PASSWORD}}\n", [2]),
    ("kustomization.yaml", f"secretGenerator:\n  - name: s\n    literals: [token={STRONG}]\n", [3]),
    ("es.yaml", "kind: ExternalSecret\nspec:\n  data:\n    - secretKey: API_TOKEN\n", []),
    ("README.md", "Keep the password in the secret store; the token: rotates.\n", []),
    ("values.yaml", "auth:\n  existingSecret: app\n  passwordKey: DB_PASSWORD\n", []),
    (
        "allowed.env",
        f"A_TOKEN={STRONG}  # pragma: allowlist secret\n"
        f"B_TOKEN={STRONG}  # gitleaks:allow\n"
        f"# pragma: allowlist nextline secret\nC_TOKEN={STRONG}\n",
        [2],
    ),
]


@pytest.fixture
def no_gitleaks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOOLS_DIR_ENV, str(tmp_path / "no-tools"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))


def _places(
    engine: BuiltinEngine | GitleaksEngine, tmp_path: Path, name: str, text: str
) -> list[int]:
    write_tree(tmp_path, {name: text})
    return sorted({h.line for h in judged_hits(engine, [(tmp_path / name, name)])})


@pytest.mark.parametrize(("name", "text", "lines"), CASES, ids=[c[0] for c in CASES])
def test_the_builtin_engine(tmp_path: Path, name: str, text: str, lines: list[int]) -> None:
    assert _places(BuiltinEngine(), tmp_path, name, text) == lines


@pytest.mark.slow
@pytest.mark.parametrize(("name", "text", "lines"), CASES, ids=[c[0] for c in CASES])
def test_gitleaks(tmp_path: Path, name: str, text: str, lines: list[int]) -> None:
    assert _places(GitleaksEngine(ensure_tool("gitleaks")), tmp_path, name, text) == lines


@pytest.mark.slow
def test_the_config_picks_gitleaks(tmp_path: Path) -> None:
    ensure_tool("gitleaks")
    config = "version: 1\nsecrets:\n  engine: gitleaks\n"
    write_tree(tmp_path, {".gitops-gate.yaml": config, ".env": f"DB_PASSWORD={STRONG}\n"})
    (found,) = secret_findings([tmp_path], tmp_path, load_config(tmp_path))
    assert (found.path, found.line, found.extra["kind"]) == (".env", 1, "gitops-credential")


def test_gitleaks_asked_for_and_missing_is_an_environment_error(
    tmp_path: Path, no_gitleaks: None
) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\nsecrets: {engine: gitleaks}\n"})
    with pytest.raises(ToolNotFoundError, match="gitleaks is not installed"):
        secret_findings([tmp_path], tmp_path, load_config(tmp_path))


def test_auto_without_gitleaks_is_the_builtin_engine(no_gitleaks: None) -> None:
    assert pick("auto").name == "builtin"
    assert pick().name == "builtin"


def test_an_unknown_engine_is_a_config_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitops-gate.yaml": "version: 1\nsecrets: {engine: trufflehog}\n"})
    with pytest.raises(ConfigError, match="engine"):
        load_config(tmp_path)


def test_a_weak_keyword_value_outside_a_secret_is_a_warning(tmp_path: Path) -> None:
    write_tree(tmp_path, {"cm.yaml": "kind: ConfigMap\ndata:\n  password: changeme\n"})
    (found,) = secret_findings([tmp_path], tmp_path)
    assert (found.line, found.severity) == (3, Severity.WARNING)
    assert "does not look generated" in found.message
    assert "changeme" not in found.message


def test_detect_secrets_itself_runs_our_plugin_and_filter(tmp_path: Path) -> None:
    # Through detect-secrets' own scan_file: fails if its settings stop taking custom plugins
    # from a file or filters by import path (private parts, pinned in pyproject.toml).
    import_detect_secrets()
    from detect_secrets.core.scan import scan_file

    write_tree(tmp_path, {".env": f"AWS_SECRET_ACCESS_KEY={STRONG}\nTOKEN=op://v/i/f\n"})
    with gitops_settings():
        found = [(s.type, s.line_number) for s in scan_file(str(tmp_path / ".env"))]
    assert ("GitOps Credential", 1) in found
    assert all(line != 2 for _, line in found)


def test_allowing_a_credential_by_kind_hides_no_other_on_its_line(tmp_path: Path) -> None:
    token = "ghp_" + "FAKE0a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p"
    config = "version: 1\nsecrets:\n  allow: [{path: a.env, kind: GitHub Token}]\n"
    write_tree(
        tmp_path,
        {".gitops-gate.yaml": config, "a.env": f"GITHUB_TOKEN={token} DB_PASSWORD={STRONG}\n"},
    )
    (found,) = secret_findings([tmp_path], tmp_path, load_config(tmp_path))
    assert (found.line, found.extra["kind"]) == (1, "GitOps Credential")
    write_tree(tmp_path, {"a.env": f"GITHUB_TOKEN={token}\n"})
    assert secret_findings([tmp_path], tmp_path, load_config(tmp_path)) == []


def test_a_raw_hit_never_shows_its_value() -> None:
    assert STRONG not in repr(RawHit("a", 1, "kind", "hash", STRONG))


@pytest.mark.slow
def test_auto_takes_gitleaks_once_it_is_installed() -> None:
    ensure_tool("gitleaks")
    assert pick("auto").name == "gitleaks"
