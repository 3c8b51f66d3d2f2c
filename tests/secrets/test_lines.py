"""Our line scan finds exactly what detect-secrets' own scan_file finds, only sooner."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.data import DATA, corpus_root, parametrize_corpora
from tests.helpers.tree import write_tree

PLANTED = DATA / "secrets" / "planted"
AWS = "AKIAIOSFODNN7EXAMPLE"
TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"

FILES = {
    # A stream of documents: detect-secrets' YAML transformer gives up, raw lines are scanned.
    "stream.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n"
        f"apiVersion: v1\nkind: Secret\nmetadata: {{name: b}}\nstringData:\n  key: {AWS}\n"
        f"  password: hunter2-{TOKEN}\n"
    ),
    # One document: the transformer quotes values, so unquoted high-entropy values count.
    "single.yaml": (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\nstringData:\n"
        "  api_key: 3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c\n  note: |\n"
        f"    token {TOKEN}\n"
    ),
    "templated.yaml": "a: 1\n---\npassword: ${DB_PASSWORD}\ntoken: '{{ .Values.token }}'\n",
    "broken.yaml": f"key: [unclosed\n---\nother: {AWS}\n",
    "notes.txt": f"aws {AWS}\nnothing here\n",
    "app.ini": f"[main]\npassword = {TOKEN}\n",
    # Line filters: an allowlist pragma and an indirect reference hide what plugins find.
    "allowed.yaml": (
        f"a: 1\n---\ntoken: {TOKEN}  # pragma: allowlist secret\n"
        "password: request.headers['x-password']\n"
        "secret: 'Zq8vN3kL5tR7wX2yB9mC4pH6sD0gJ8cQ'  # pragma: allowlist secret\n"
    ),
    "allowed.py": f'token = "{TOKEN}"  # pragma: allowlist secret\nkey = get_secret_key()\n',
    # Found by the keyword detector alone, in any case and in several file types' syntax.
    "keywords.yaml": "a: 1\n---\nDB_PASSWORD: 'Wh4t-a-Pa55word'\nClient_Secret: x9Yz8Wv7\n"
    'contraseña: "s3creta-mente"\n',
    "settings.py": 'SECRET_KEY = "django-insecure-k3y"\nmy_Api_Key="abc123def456"\n',
    "main.go": 'const dbPass = "hunter2hunter2"\n',
    # Extensions detect-secrets does not read as YAML (case counts) or reads as YAML (.eyaml).
    "upper.YAML": "kind: ConfigMap\ntoken: 8a6f0b3c9d2e7f14a5b6c8d9e0f1a2b3c4d5e6f7\n--- {a: 1}\n",
    "values.eyaml": f"a: 1\n---\npassword: {TOKEN}\n",
    # Many numeric keys (an OpenAPI file's status codes) change nothing.
    "openapi.yaml": "responses:\n  password: >-\n    Hx7QpL2mZr9Vb4Kw\n"
    + "".join(f"  {n}: ok\n" for n in range(100, 1300)),
}


def _found(files: list[Path], ours: bool, gitops: bool = False) -> list[tuple[str, int, str, str]]:
    """What detect-secrets' own scan_file finds in files, or what ours does; with its default
    settings, or with the GitOps plugin and filter added (the built-in engine's)."""
    from detect_secrets.core import scan
    from detect_secrets.settings import default_settings

    from gitops_gate.secrets import lines
    from gitops_gate.secrets.builtin import gitops_settings

    scan_file = lines.scan_file if ours else scan.scan_file
    with gitops_settings() if gitops else default_settings():
        return sorted(
            (s.filename, int(s.line_number), s.type, s.secret_hash)
            for f in files
            for s in scan_file(str(f))
        )


def _theirs(files: list[Path]) -> list[tuple[str, int, str, str]]:
    return _found(files, ours=False)


def _ours(files: list[Path]) -> list[tuple[str, int, str, str]]:
    return _found(files, ours=True)


def test_the_same_secrets_as_detect_secrets_on_hand_made_files(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    files = sorted(tmp_path.iterdir())
    theirs = _theirs(files)
    assert {Path(t[0]).name for t in theirs} >= {"stream.yaml", "single.yaml", "notes.txt"}
    assert _ours(files) == theirs


def test_the_same_secrets_with_the_gitops_plugin_and_filter(tmp_path: Path) -> None:
    # The screen asks the plugin only about lines its patterns match, searched lower-cased.
    write_tree(tmp_path, FILES)
    files = sorted(tmp_path.iterdir()) + sorted(p for p in PLANTED.rglob("*") if p.is_file())
    theirs = _found(files, ours=False, gitops=True)
    assert "GitOps Credential" in {t[2] for t in theirs}
    assert _found(files, ours=True, gitops=True) == theirs


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    parametrize_corpora(metafunc)


def test_the_same_secrets_as_detect_secrets_on_the_corpora(corpus: str) -> None:
    files = sorted(p for p in corpus_root(corpus).rglob("*") if p.is_file())
    assert _ours(files) == _theirs(files)


def test_a_large_yaml_file_is_scanned_as_lines(tmp_path: Path) -> None:
    # detect-secrets' YAML reader takes ~10 s a MB (minutes with keys made to share a hash);
    # past 256 KB the lines are scanned as they are, and a secret there is still found, on
    # the line detect-secrets counts (form feeds and U+2028 end no line for it).
    big = tmp_path / "big.yaml"
    lines = [f"  key{n}: value-{n}\n" for n in range(20_000)]
    big.write_text("data:\n" + "".join(lines) + "  note: a\x0cb\u2028c\n" + f"  k: {AWS}\n")
    assert big.stat().st_size > 256 * 1024
    assert [(t[1], t[2]) for t in _ours([big])] == [(20_003, "AWS Access Key")]


# One document each: our libyaml reading must send to detect-secrets' own YAML transformer
# every file in which its lines may hold something, and skip it only on clean ones.
SINGLE = {
    # Found only in the transformer's lines: it quotes unquoted values.
    "unquoted.yaml": "kind: Secret\nstringData:\n  api_key: 3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c\n",
    # A comment on a value's line is part of the transformer's line for it.
    "comment.yaml": "a: b\nc: d  # password: 'Zq8vN3kL5tR7wX2yB9mC4pH6sD0gJ8cQ'\n",
    "quotes.yaml": "a: 'say \"3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c\" now'\n",
    # Folded lines join into one value; a block scalar keeps its lines in one.
    "folded.yaml": "key: -----BEGIN RSA\n  PRIVATE KEY-----\nother: x\n",
    "block.yaml": f"note: |\n  first\n  {TOKEN}\nplain: yes\n",
    "flow.yaml": f"items: [{{name: a, token: {TOKEN}}}, {{b: c}}]\n",
    "escaped.yaml": 'key: "\\x41KIAIOSFODNN7EXAMPLE"\n',
    "binary.yaml": "data: !!binary |\n  QUtJQUlPU0ZPRE5ON0VYQU1QTEU=\n",
    "anchor.yaml": "base: &b {password: 'Wh4t-a-Pa55word'}\nother: x\n",
    "complex.yaml": f"? [a, b]\n: {TOKEN}\n",
    "separator.yaml": f"a: b\u2028c\nsecret: {TOKEN}\n",
    "bom.yaml": f"\ufeffkey: {TOKEN}\n",
    "clean.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  color: blue\n",
    "ip.yaml": "run: |\n  curl http://8.8.8.8/\n",
    "sequence.yaml": f"- {TOKEN}\n- plain\n",
    "entropy-only.yaml": "digest: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15\n",
    "ini-like.yaml": f"[main]\npassword = {TOKEN}\n",
}


def test_the_same_secrets_on_single_documents(tmp_path: Path) -> None:
    write_tree(tmp_path, SINGLE)
    files = sorted(tmp_path.iterdir())
    theirs = _theirs(files)
    assert len({Path(t[0]).name for t in theirs}) >= 10
    assert _ours(files) == theirs


def test_kinds_the_caller_drops_may_be_left_unfound(tmp_path: Path) -> None:
    # What our scan reports never differs: entropy strings are reported only under a
    # credential-like key, and a file without one need not be read for them.
    from detect_secrets.settings import default_settings

    from gitops_gate.secrets import lines
    from gitops_gate.secrets.builtin import _unreported

    write_tree(tmp_path, {**SINGLE, "keyless.yaml": "sum: 3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c\n"})
    files = sorted(tmp_path.iterdir())
    with default_settings():
        ours = sorted(
            (s.filename, int(s.line_number), s.type, s.secret_hash)
            for f in files
            for s in lines.scan_file(str(f), _unreported)
            if s.type not in _unreported(f.read_text(encoding="utf-8", errors="replace"))
        )
    theirs = [
        t
        for t in _theirs(files)
        if t[2] not in _unreported(Path(t[0]).read_text(encoding="utf-8", errors="replace"))
    ]
    assert "keyless.yaml" in {Path(t[0]).name for t in _theirs(files)}
    assert ours == theirs


# Anchors and aliases as GitOps repos use them (from joryirving/home-ops): a name given once
# and used a few times. detect-secrets' YAML reader expands them at little cost, so it runs:
# each alias's line is a line of the anchored value, and a comment joins its value's line.
ALIASES = {
    "helmrelease.yaml": (
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n"
        "    kyoo:\n      existingSecret: &secret kyoo-chart-secret\n"
        "    meilisearch:\n      existingSecret: *secret\n"
        "    rabbitmq:\n      auth:\n        existingSecret: *secret\n"
    ),
    "externalsecret.yaml": (
        "---\napiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\n"
        "metadata:\n  name: &name kyoo-chart-secret\nspec:\n  target:\n    name: *name\n"
        "    template:\n      data:\n        POSTGRES_USER: kyoo_all #temp\n"
        "        POSTGRES_PASSWORD: watchSomething4me #temp\n"
    ),
    "block.yaml": (
        "metadata:\n  name: &app network-ups-tools\nspec:\n  controller: *app\n"
        '  data:\n    upsd.users: |-\n      [monuser]\n        password = "bacon"\n'
        "        actions = SET\n"
    ),
    # Found only through an alias: an anchored item under its alias's key.
    "item.yaml": f"items: [&t {TOKEN}]\nname: x\n",
    "keyed.yaml": "sums: [&s 3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c]\napi_key: *s\n",
    "merged.yaml": "base: &b {api_key: 3vQ8kZ1xN5rT7bW2yF9mL4pH6sD0gJ8c}\nuse:\n  <<: *b\n",
    "clean.yaml": "base: &b {a: 1}\nname: &n web\nuse: {<<: *b, host: *n}\n*n : key\n",
}


def test_the_same_secrets_in_yaml_with_a_few_aliases(tmp_path: Path) -> None:
    write_tree(tmp_path, ALIASES)
    files = sorted(tmp_path.iterdir())
    theirs = _theirs(files)
    assert {Path(t[0]).name for t in theirs} >= {"helmrelease.yaml", "externalsecret.yaml"}
    assert _ours(files) == theirs


def test_a_key_named_like_detect_secrets_markers_is_scanned_as_lines(tmp_path: Path) -> None:
    # detect-secrets' own YAML transformer fails on it with a KeyError that it does not catch.
    write_tree(tmp_path, {"marker.yaml": f"__line__: 3\ntoken: {TOKEN}\n"})
    assert [(t[1], t[2]) for t in _ours([tmp_path / "marker.yaml"])] == [(2, "GitHub Token")]


def test_a_value_pure_python_yaml_cannot_build_is_scanned_as_lines(tmp_path: Path) -> None:
    # detect-secrets' YAML reader raises ValueError on an impossible date and does not catch
    # it; with or without something to find, ours scans the lines and never raises.
    write_tree(
        tmp_path,
        {"date.yaml": "a: 2001-13-45\nb: c\n", "both.yaml": f"a: 2001-13-45\ntoken: {TOKEN}\n"},
    )
    assert [(Path(t[0]).name, t[1], t[2]) for t in _ours(sorted(tmp_path.iterdir()))] == [
        ("both.yaml", 2, "GitHub Token")
    ]


def test_a_yaml_file_that_is_not_utf8_is_passed_over_as_detect_secrets_does(
    tmp_path: Path,
) -> None:
    # Whichever way ours reads it (here: as lines, for its aliases), as detect-secrets does.
    bad = tmp_path / "alias.yaml"
    bad.write_bytes(f"x: &a 1\ny: *a\npassword: {TOKEN}\nz: '\xff'\n".encode("latin-1"))
    assert _ours([bad]) == _theirs([bad]) == []
