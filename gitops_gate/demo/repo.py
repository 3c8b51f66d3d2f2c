"""The steps without a cluster: scaffold, a bad change the gate stops, its fix, the PR check."""

from __future__ import annotations

import json
import re

from gitops_gate.demo.context import Demo

ENVS = "[dev, production]"
BRANCH = "demo-change"
DEV_IMAGES = "clusters/dev/apps/kustomization.yaml"
SECRET = "clusters/dev/apps/db-secret.yaml"  # noqa: S105 - a path
# A made-up password: the demo commits it so that the gate can refuse it.
_SECRET_TEXT = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: hello
stringData:
  password: "hunter2-correct-horse-battery"
"""  # noqa: S105
_FINDING = re.compile(r"^\S+:\d+(:\d+)?: ", re.MULTILINE)


def scaffold(demo: Demo) -> list[str]:
    """A repository from the bundled template, committed on main."""
    demo.gate("init", "--defaults", "-d", "engine=gitops-gate", "-d", f"environments={ENVS}",
              str(demo.repo))  # fmt: skip
    # The audit log goes in the temp folder, so the demo leaves nothing in the user's state;
    # production's window also holds approved syncs, so the demo can show it closed.
    config = demo.repo / ".gitops-gate.yaml"
    text = config.read_text().replace("manualSync: true", "manualSync: false")
    config.write_text(text + f"audit:\n  path: {demo.audit_log}\n")
    demo.git("init", "-q", "-b", "main")
    demo.shas["main"] = demo.commit("a GitOps repository from gitops-gate's template")
    return [
        f"gitops-gate init --defaults -d engine=gitops-gate {demo.repo}",
        f"committed {demo.shas['main'][:12]} on main (environments dev and production; "
        "production syncs weekdays 06:00-18:00 UTC only)",
    ]


def bad_change(demo: Demo) -> list[str]:
    """dev runs `:latest` and a plaintext Secret: the gate fails with file:line findings."""
    demo.git("checkout", "-q", "-b", BRANCH)
    set_tag(demo, "latest")
    demo.write(SECRET, _SECRET_TEXT)
    _add_resource(demo, "db-secret.yaml")
    demo.commit("dev: the latest hello and its database password")
    done = demo.gate("check", "--base", "main", ok=(1,))
    findings = [line for line in done.stdout.splitlines() if _FINDING.match(line)]
    return [f"gitops-gate check --base main: exit {done.returncode}, {len(findings)} findings",
            *(f"  {line}" for line in findings)]  # fmt: skip


def fix(demo: Demo) -> list[str]:
    """A pinned tag and no Secret in git: the gate passes and shows what dev will change."""
    set_tag(demo, "1.1.0")
    (demo.repo / SECRET).unlink()
    text = (demo.repo / DEV_IMAGES).read_text().replace("  - db-secret.yaml\n", "")
    demo.write(DEV_IMAGES, text)
    demo.shas["fix"] = demo.commit("dev: hello 1.1.0, the password stays out of git")
    check = demo.gate("check", "--base", "main")
    diff = demo.gate("diff", "--base", "main")
    return [f"gitops-gate check --base main: exit {check.returncode} (passed)",
            "gitops-gate diff --base main:",
            *(f"  {line}" for line in diff.stdout.splitlines() if line.strip())]  # fmt: skip


def pr_check(demo: Demo) -> list[str]:
    """The PR check as Actions runs it, posting nothing: the comment and check run as files."""
    event = demo.folder / "event.json"
    pull = {"number": 1, "base": {"sha": demo.shas["main"], "ref": "main"},
            "head": {"sha": demo.shas["fix"], "ref": BRANCH}}  # fmt: skip
    event.write_text(json.dumps({"pull_request": pull}), encoding="utf-8")
    out = demo.folder / "pr-check"
    done = demo.gate("pr-check", "--dry-run", str(out), "--repo", "demo/gitops", "--pr", "1",
                     env={"GITHUB_EVENT_PATH": str(event)})  # fmt: skip
    return [f"gitops-gate pr-check --dry-run: exit {done.returncode}, nothing posted",
            f"  comment: {out / 'comment.md'}",
            f"  check run: {out / 'check-run.json'}"]  # fmt: skip


def merge(demo: Demo) -> list[str]:
    """The pull request merged: main has the fix."""
    demo.git("checkout", "-q", "main")
    demo.git("merge", "-q", "--ff-only", BRANCH)
    return [f"merged {BRANCH} into main at {demo.shas['fix'][:12]}"]


def set_tag(demo: Demo, tag: str) -> None:
    text = (demo.repo / DEV_IMAGES).read_text()
    demo.write(DEV_IMAGES, re.sub(r"newTag: \S+", f"newTag: {tag}", text))


def _add_resource(demo: Demo, name: str) -> None:
    text = (demo.repo / DEV_IMAGES).read_text()
    demo.write(DEV_IMAGES, text.replace("  - ../../../apps\n", f"  - ../../../apps\n  - {name}\n"))
