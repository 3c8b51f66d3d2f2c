"""promote --all: images move; any other difference the promotion diff shows is refused."""

from __future__ import annotations

from collections.abc import Callable

import git

from gitops_gate.promote.flow import WriteOptions, promote
from tests.conftest import Run
from tests.helpers.tree import commit
from tests.promote.conftest import IMAGE, overlay, root_of, show

STAGING, PROD = "clusters/staging/kustomization.yaml", "clusters/production/kustomization.yaml"
REPLICAS = """\
patches:
  - target: {kind: Deployment, name: web}
    patch: |-
      - op: add
        path: /spec/replicas
        value: 3
"""


def settings(level: str) -> str:
    return f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
  namespace: web
data:
  LOG_LEVEL: {level}
"""


def _with(tag: str, *extra: str) -> str:
    """An overlay pinning tag, with more resources and patches of its own."""
    text = overlay(tag)
    for resource in (e for e in extra if e.endswith(".yaml")):
        text = text.replace("  - ../../base/web\n", f"  - ../../base/web\n  - {resource}\n")
    return text + "".join(e for e in extra if not e.endswith(".yaml"))


def test_with_only_images_different_all_promotes_like_without(seeds: git.Repo) -> None:
    out = promote(root_of(seeds), "dev", "staging", everything=True, options=WriteOptions(),
                  sink=lambda e: None)  # fmt: skip
    assert [m.new for m in out.moves] == ["v1.2.0-dev.3"] and out.files == [STAGING]
    assert "newTag: v1.2.0-dev.3" in show(seeds, out.branch or "", STAGING)


def test_other_differences_are_named_on_one_line_and_nothing_is_written(
    seeds: git.Repo, cli: Callable[..., Run]
) -> None:
    commit(seeds, {
        STAGING: _with("v1.2.0-rc.1", "settings.yaml", REPLICAS),
        "clusters/staging/settings.yaml": settings("debug"),
        PROD: _with("v1.1.0", "settings.yaml"),
        "clusters/production/settings.yaml": settings("info"),
    }, "staging scales out and logs more")  # fmt: skip
    run = cli("promote", "--root", str(root_of(seeds)), "--from", "staging", "--to",
              "production", "--all")  # fmt: skip
    assert run.code == 2, run.err
    [line] = run.err.strip().splitlines()
    assert line == (
        "gitops-gate: promote --all does not copy differences besides images yet; production"
        " still differs from staging in 2 object(s): ConfigMap web/web-settings (changes"
        " configuration), Deployment.apps web/web (changes replicas) (copy them by hand in the"
        " files production owns (clusters/production/kustomization.yaml,"
        " clusters/production/settings.yaml), or promote without --all to move the images"
        " alone; see `gitops-gate diff --from-env staging --to-env production`)"
    )
    assert [h.name for h in seeds.heads] == ["main"]
    without = cli("promote", "--root", str(root_of(seeds)), "--from", "staging", "--to",
                  "production", "--format", "json")  # fmt: skip
    assert without.code == 0, without.err  # the images alone still move
    assert IMAGE in without.out
