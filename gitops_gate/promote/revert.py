"""revert: undo a change in the files one environment is built from, as a reviewable commit."""

from __future__ import annotations

from pathlib import Path

from gitops_gate import gitrefs
from gitops_gate.audit.event import AuditSink
from gitops_gate.errors import ToolError, UsageError
from gitops_gate.git import git
from gitops_gate.promote import writeback
from gitops_gate.promote.flow import WriteOptions, finish, mapped_config
from gitops_gate.promote.locate import Workspace
from gitops_gate.promote.outcome import Outcome


def revert(
    root: Path, env: str, commit: str | None, *, options: WriteOptions, sink: AuditSink
) -> Outcome:
    """Revert commit (default: the last one that reached env) in env's files only."""
    with writeback.checkout(root, options.base) as co:
        ws = Workspace.open(co.root, mapped_config(options.config_path, root, co.root))
        ws.environment_files(env)  # an unknown environment is refused first
        inputs = {co.rel_top(f): f for f in ws.graph.inputs(env)}
        sha = _target(co, commit, env, sorted(inputs))
        touched = [f for f in _changed(co, sha) if f in inputs]
        if not touched:
            raise UsageError(
                f"commit {sha[:12]} changed nothing environment {env!r} is built from",
                hint="name the commit to revert, or pick another environment",
            )
        _apply_reversed(co, sha, touched)
        outcome = Outcome("revert", env, co.base, reverted=sha)
        outcome.files = [inputs[f] for f in touched]
        return finish(co, outcome, options, sink, message=_message(co, sha, env, touched),
                      labels=ws.config.promotion.labels)  # fmt: skip


def _target(co: writeback.Checkout, commit: str | None, env: str, files: list[str]) -> str:
    if commit is not None:
        return _resolve(co, commit)
    out = git(co.top, "log", "-1", "--format=%H", co.base, "--", *files).stdout.decode().strip()
    if not out:
        raise UsageError(f"no commit has changed environment {env!r} yet", hint="nothing to revert")
    return out


def _resolve(co: writeback.Checkout, commit: str) -> str:
    return gitrefs.resolve(co.repo, commit)


def _changed(co: writeback.Checkout, sha: str) -> list[str]:
    args = ("-r", "-z", "--no-renames", "--name-only", "--no-commit-id", "-m", "--first-parent")
    out = git(co.top, "diff-tree", *args, "--root", sha).stdout
    return sorted({p.decode() for p in out.split(b"\0") if p})


def _apply_reversed(co: writeback.Checkout, sha: str, files: list[str]) -> None:
    parent = f"{sha}^" if _has_parent(co, sha) else _empty_tree(co)
    diff = git(co.top, "diff", "--binary", "--no-renames", parent, sha, "--", *files).stdout
    try:
        git(co.top, "apply", "-R", "--index", "--3way", stdin=diff)
    except ToolError as e:
        raise UsageError(
            f"commit {sha[:12]} does not revert cleanly on {co.base[:12]}",
            hint="later changes touch the same lines: revert it by hand with `git revert`",
        ) from e


def _has_parent(co: writeback.Checkout, sha: str) -> bool:
    done = git(co.top, "rev-parse", "--verify", "--quiet", f"{sha}^", ok_codes=(0, 1))
    return done.returncode == 0


def _empty_tree(co: writeback.Checkout) -> str:
    return git(co.top, "hash-object", "-t", "tree", "/dev/null").stdout.decode().strip()


def _message(co: writeback.Checkout, sha: str, env: str, files: list[str]) -> str:
    subject = git(co.top, "log", "-1", "--format=%s", sha).stdout.decode().strip()
    listed = "\n".join(f"- {f}" for f in files)
    return (
        f'Revert "{subject}" for {env}\n\nThis reverts commit {sha} in the files environment'
        f" {env} is built from:\n{listed}\n\nMade by gitops-gate revert."
    )
