"""set-image and promote: locate, check the rules, edit, gate, then commit on a new branch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.audit.actor import current_actor
from gitops_gate.audit.event import Actor, AuditEvent, AuditSink
from gitops_gate.errors import GateError, UsageError
from gitops_gate.promote import pullrequest, writeback
from gitops_gate.promote.change import changed_line, moved
from gitops_gate.promote.images import Wanted
from gitops_gate.promote.locate import Workspace, deployed, editable_site
from gitops_gate.promote.others import refuse_others
from gitops_gate.promote.outcome import Move, Outcome
from gitops_gate.promote.pullrequest import PullTarget
from gitops_gate.promote.requires import enforce


@dataclass(frozen=True, slots=True)
class WriteOptions:
    """Where the change goes: the base to start from, the branch, whether to push, and the
    pull request to open (which pushes to `origin` when no remote is named)."""

    base: str | None = None
    branch: str | None = None
    dry_run: bool = False
    remote: str | None = None  # push the branch there when given
    config_path: Path | None = None
    pull: PullTarget | None = None

    @property
    def push_to(self) -> str | None:
        return self.remote or ("origin" if self.pull else None)


def set_image(
    root: Path, env: str, wanted: Sequence[str], *, options: WriteOptions, sink: AuditSink
) -> Outcome:
    """Move each NAME=TAG / NAME@DIGEST in env, where env takes that image from."""
    asks = [Wanted.parse(w) for w in wanted]
    with writeback.checkout(root, options.base) as co:
        ws = Workspace.open(co.root, mapped_config(options.config_path, root, co.root))
        outcome = Outcome("set-image", env, co.base)
        _apply(ws, env, asks, outcome)
        return finish(co, outcome, options, sink, labels=ws.config.promotion.labels)


def promote(
    root: Path,
    source: str,
    target: str,
    *,
    images: Sequence[str] = (),
    everything: bool = False,
    options: WriteOptions,
    sink: AuditSink,
) -> Outcome:
    """Give target the images source runs (all of them, or those named); with everything,
    refuse when the promotion diff shows other differences (others.py says why)."""
    with writeback.checkout(root, options.base) as co:
        config = mapped_config(options.config_path, root, co.root)
        ws = Workspace.open(co.root, config)
        outcome = Outcome("promote", target, co.base, source_env=source)
        ws.environment_files(target)  # an unknown environment is refused before anything else
        names = list(images) or list(ws.images(source))
        asks = [_from(ws, source, target, n, bool(images)) for n in names]
        _apply(ws, target, asks, outcome, require=not everything)
        if everything:
            refuse_others(ws, source, target, config)
            _require_moves(outcome)
        return finish(co, outcome, options, sink, labels=ws.config.promotion.labels)


def _from(ws: Workspace, source: str, target: str, name: str, asked: bool) -> Wanted:
    ref = deployed(ws, source, name)
    if ref is None:
        raise UsageError(f"image {name} is not used by environment {source!r}",
                         hint=f"see `gitops-gate diff --env {source}`")  # fmt: skip
    if ref.digest is not None:
        return Wanted(name, digest=ref.digest)
    return Wanted(name, tag=ref.tag or "latest")


def _apply(
    ws: Workspace, env: str, asks: Sequence[Wanted], outcome: Outcome, *, require: bool = True
) -> None:
    for wanted in asks:
        site = editable_site(ws, env, wanted.name)
        if site.current.version == wanted.version:
            continue
        enforce(ws, env, wanted)
        path = ws.root / site.path
        text = path.read_bytes().decode("utf-8")  # bytes: \r\n line ends stay as they are
        line = changed_line(site, wanted)
        move = Move(wanted.name, site.current.version, wanted.version, site.path, line)
        path.write_bytes(moved(text, site, wanted).encode("utf-8"))
        ws.forget(site.path)
        outcome.moves.append(move)
        if site.path not in outcome.files:
            outcome.files.append(site.path)
    if require:
        _require_moves(outcome)


def _require_moves(outcome: Outcome) -> None:
    if not outcome.moves:
        raise UsageError(f"{outcome.env} already runs what was asked: nothing to change")


def finish(
    co: writeback.Checkout,
    outcome: Outcome,
    options: WriteOptions,
    sink: AuditSink,
    *,
    message: str | None = None,
    labels: tuple[str, ...] = (),
) -> Outcome:
    """Gate the edited checkout, then commit (push, open a pull request), or only show the
    patch. What was written is in the audit log even when GitHub then refuses the PR."""
    writeback.gate(co, outcome.files)
    outcome.patch = writeback.patch(co)
    if options.dry_run:
        return outcome
    # Asked before anything is written: a base we cannot name must not leave a pushed branch.
    pr_base = _pr_base(co, options)
    outcome.branch = options.branch or _branch(outcome)
    text = message or _message(outcome)
    outcome.commit = writeback.commit(co, outcome.files, outcome.branch, text)
    try:
        if options.push_to:
            writeback.push(co.repo, options.push_to, outcome.branch)
            outcome.pushed = True
        if pr_base:
            _open_pull(co, outcome, options, pr_base, labels)
    except GateError as e:
        # The commit (and maybe the push) happened: the log says so, and what failed after.
        sink(_event(outcome, _actor(co), failed=e.text()))
        raise
    sink(_event(outcome, _actor(co)))
    return outcome


def _pr_base(co: writeback.Checkout, options: WriteOptions) -> str | None:
    if options.pull is None:
        return None
    if options.pull.base_branch:
        return options.pull.base_branch
    return pullrequest.base_branch(co.repo.top, options.base, options.push_to or "origin")


def _open_pull(co: writeback.Checkout, outcome: Outcome, options: WriteOptions, base: str,
               labels: tuple[str, ...]) -> None:  # fmt: skip
    if options.pull is None:
        return
    root = co.repo.top / co.root.relative_to(co.top)  # the user's folder: the commit is there too
    text = pullrequest.body(root, outcome, options.config_path)
    outcome.pull_request = pullrequest.open_pull(options.pull, outcome, base, text, labels)


def _branch(outcome: Outcome) -> str:
    if outcome.reverted:
        return f"gitops-gate/revert/{outcome.env}/{outcome.reverted[:12]}"
    first = outcome.moves[0]
    slug = f"{first.image.rsplit('/', 1)[-1]}-{first.new.replace(':', '-')[:24]}"
    return f"gitops-gate/{outcome.verb}/{outcome.env}/{slug}"


def _message(outcome: Outcome) -> str:
    body = "\n".join(f"- {m.image}: {m.old} -> {m.new} ({m.path}:{m.line})" for m in outcome.moves)
    return f"{outcome.summary()}\n\n{body}\n\nMade by gitops-gate {outcome.verb}."


def _actor(co: writeback.Checkout) -> Actor:
    """The new commit's author and committer, with the CI identity and OS user running us."""
    return current_actor(co.top)


def _event(outcome: Outcome, actor: Actor, *, failed: str | None = None) -> AuditEvent:
    links = {"commit": outcome.commit or "", "branch": outcome.branch or ""}
    if outcome.pull_request:
        links["pullRequest"] = outcome.pull_request
    return AuditEvent(
        action=outcome.verb,
        result="degraded" if failed else "success",
        reason=failed,
        actor=actor,
        environment=outcome.env,
        revision=outcome.commit,
        objects=tuple(outcome.files),
        links=links,
        details={"from": outcome.source_env, "base": outcome.base,
                 "images": [m.to_json() for m in outcome.moves], "pushed": outcome.pushed},
    )  # fmt: skip


def mapped_config(config_path: Path | None, root: Path, checkout_root: Path) -> Path | None:
    if config_path is None:
        return None
    return checkout_root / config_path.resolve().relative_to(root.resolve())
