"""`copier update`: a new template version reaches a generated repo and the user's edits stay."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from tests.helpers.tree import commit, make_repo

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "gitops-repo"

V2_MIGRATION = """
_migrations:
  - version: v0.2.0
    command: ["{{ _copier_python }}", "-c", "open('MIGRATED', 'w').write('{{ _version_from }}')"]
"""


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


def test_update_applies_the_template_change_and_keeps_the_users_edit(tmp_path: Path) -> None:
    import copier

    # Two template versions as git tags.
    source = tmp_path / "template"
    shutil.copytree(TEMPLATE, source)
    template_repo = make_repo(source, _files(source), "template v0.1.0")
    template_repo.create_tag("v0.1.0")
    makefile = (source / "Makefile.jinja").read_text()
    config = (source / "copier.yml").read_text().replace("_migrations: []\n", V2_MIGRATION)
    v2 = {
        "Makefile.jinja": makefile + "\nlint:\n\t$(GATE) policy . $(ARGS)\n",
        "copier.yml": config,
    }
    commit(template_repo, v2, "template v0.2.0: a lint target, and a migration")
    template_repo.create_tag("v0.2.0")

    # A repo generated from v0.1.0, committed, then edited by its owner.
    dest = tmp_path / "repo"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_copy(str(source), dest, defaults=True, vcs_ref="v0.1.0", quiet=True)
    repo = make_repo(dest, _files(dest), "generated")
    readme = (dest / "README.md").read_text() + "\nOn call: #platform-oncall\n"
    commit(repo, {"README.md": readme}, "our on-call channel")
    assert "lint:" not in (dest / "Makefile").read_text()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        copier.run_update(dest, defaults=True, overwrite=True, unsafe=True, quiet=True)

    assert "lint:\n\t$(GATE) policy . $(ARGS)" in (dest / "Makefile").read_text()
    assert (dest / "README.md").read_text().endswith("On call: #platform-oncall\n")
    assert "_commit: v0.2.0" in (dest / ".copier-answers.yml").read_text()
    assert (dest / "MIGRATED").read_text() == "v0.1.0"


def test_template_declares_migrations() -> None:
    import yaml

    config = yaml.safe_load((TEMPLATE / "copier.yml").read_text())
    assert config["_migrations"] == []
