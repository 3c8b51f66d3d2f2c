"""The demo's story: its steps in order, run in a temp folder that is removed afterwards."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from gitops_gate.demo import cluster, release, repo
from gitops_gate.demo.context import Demo, Skipped
from gitops_gate.errors import GateError

Step = Callable[[Demo], list[str]]

STEPS: tuple[tuple[str, Step], ...] = (
    ("Scaffold a GitOps repository", repo.scaffold),
    ("A change with a :latest image and a plaintext Secret", repo.bad_change),
    ("The fix: a pinned tag, no Secret", repo.fix),
    ("The pull request check, dry run", repo.pr_check),
    ("Merge the pull request", repo.merge),
    ("Start a local cluster per environment", cluster.start_clusters),
    ("Reconcile dev", cluster.reconcile_dev),
    ("Promote dev to production", release.promote),
    ("Release production through its sync window", release.release_production),
    ("A broken rollout in dev", release.broken_rollout),
    ("The audit trail", release.audit_trail),
)


@dataclass(frozen=True, slots=True)
class StepResult:
    title: str
    outcome: str  # "done", "skipped" or "failed"
    lines: list[str]
    exit_code: int = 0


@dataclass
class DemoResult:
    folder: Path
    kept: bool
    steps: list[StepResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((s.exit_code for s in self.steps), default=0)


def run_demo(
    *, say: Callable[[str], None], use_cluster: bool = True, keep: bool = False
) -> DemoResult:
    """Run every step (a failed one ends the story), saying each as it goes; everything the demo
    started is stopped and, unless keep, its temp folder removed, also when interrupted."""
    result = DemoResult(Path(tempfile.mkdtemp(prefix="gitops-gate-demo-")), keep)
    try:
        with ExitStack() as stack:
            demo = Demo(result.folder, say, stack, use_cluster)
            for number, (title, step) in enumerate(STEPS, 1):
                say(f"[{number}/{len(STEPS)}] {title}")
                done = _run(demo, title, step)
                for line in done.lines:
                    say(f"    {line}")
                result.steps.append(done)
                if done.outcome == "failed":
                    break
    finally:
        if not keep:
            shutil.rmtree(result.folder, ignore_errors=True)
    return result


def _run(demo: Demo, title: str, step: Step) -> StepResult:
    try:
        return StepResult(title, "done", step(demo))
    except Skipped as e:
        return StepResult(title, "skipped", [f"skipped: {e}"])
    except GateError as e:
        return StepResult(title, "failed", [f"failed: {e.one_line()}"], e.exit_code)
