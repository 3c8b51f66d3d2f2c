"""The waivers file is a PR's too: a link out of the repository is refused, never read."""

from __future__ import annotations

from pathlib import Path

from gitops_gate.waivers.file import from_file
from gitops_gate.waivers.model import WAIVERS_FILE
from tests.helpers.tree import write_tree

OUTSIDE_WAIVERS = """\
waivers:
  - rule: policy/latest-tag
    resource: {kind: Deployment, name: web, namespace: web}
    reason: read from a file outside the repository
    owner: team-web
    expires: 2099-01-01
"""


def test_a_waivers_file_linked_out_of_the_repository_is_refused_unread(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"w.yaml": OUTSIDE_WAIVERS})
    root = write_tree(tmp_path / "repo", {"cm.yaml": "kind: ConfigMap\n"})
    (root / WAIVERS_FILE).symlink_to(outside / "w.yaml")

    rules, problems = from_file(root)

    assert rules == []
    assert [(p.path, p.line, p.message) for p in problems] == [
        (WAIVERS_FILE, None, f"{WAIVERS_FILE} is a link that leaves the repository; not read")
    ]
