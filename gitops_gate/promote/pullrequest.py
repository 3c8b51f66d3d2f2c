"""`--open-pr`: the pushed branch opened as a pull request, the promotion diff as its body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gitops_gate.diff.api import DiffResult, diff_environments, diff_refs
from gitops_gate.diff.markdown import GITHUB_LIMIT, render
from gitops_gate.errors import GateError, UsageError
from gitops_gate.git import git
from gitops_gate.github import GitHubError, connect
from gitops_gate.github.pulls import add_labels, create_pull
from gitops_gate.promote.outcome import Outcome
from gitops_gate.report.escape import markdown_code

DEFAULT_TOKEN_ENV = "GITHUB_TOKEN"  # noqa: S105 - a variable name, not a token
_MOVES_ROOM = 8_000  # what the list of moves and the footer may take of GitHub's limit


@dataclass(frozen=True, slots=True)
class PullTarget:
    """The repository to open the pull request in, how to reach it, and its base branch."""

    repo: str  # owner/name
    token: str = ""  # kept out of repr: it must never be shown
    api_url: str | None = None
    base_branch: str | None = None  # default: the branch the change started from

    def __repr__(self) -> str:
        return f"PullTarget(repo={self.repo!r}, base_branch={self.base_branch!r})"


def pull_target(
    environ: Mapping[str, str],
    *,
    repo: str | None = None,
    token_env: str | None = None,
    api_url: str | None = None,
    base_branch: str | None = None,
) -> PullTarget:
    """The command line first, then GitHub Actions' GITHUB_REPOSITORY and GITHUB_API_URL."""
    repo = repo or environ.get("GITHUB_REPOSITORY")
    if not repo:
        raise UsageError("no repository to open the pull request in",
                         hint="pass --repo owner/name or set GITHUB_REPOSITORY")  # fmt: skip
    token = environ.get(token_env or DEFAULT_TOKEN_ENV, "")
    if not token:  # said before anything is committed or pushed
        raise GitHubError(f"no GitHub token in {token_env or DEFAULT_TOKEN_ENV}",
                          hint="set it, or name the variable with --token-env")  # fmt: skip
    return PullTarget(repo, token, api_url or environ.get("GITHUB_API_URL") or None, base_branch)


def base_branch(top: Path, base: str | None, remote: str) -> str:
    """The branch the change started from: --base when it names one, else the current
    branch, else the remote's default branch."""
    if base is not None:
        full = _git_out(top, "rev-parse", "--symbolic-full-name", base)
        for prefix in ("refs/heads/", f"refs/remotes/{remote}/"):
            if full.startswith(prefix):
                return full.removeprefix(prefix)
    current = _git_out(top, "symbolic-ref", "--quiet", "--short", "HEAD")
    if current and base is None:
        return current
    default = _git_out(top, "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD")
    if default.startswith(f"refs/remotes/{remote}/"):
        return default.removeprefix(f"refs/remotes/{remote}/")
    raise UsageError("cannot tell which branch the pull request goes into",
                     hint="pass --pr-base BRANCH")  # fmt: skip


def _git_out(top: Path, *args: str) -> str:
    return git(top, *args, ok_codes=(0, 1, 128)).stdout.decode("utf-8", "replace").strip()


def body(root: Path, outcome: Outcome, config_path: Path | None) -> str:
    """The pull request's text: what moved, then the promotion diff rendered for GitHub."""
    moves = "\n".join(
        f"- {markdown_code(m.image)}: {markdown_code(m.old)} → {markdown_code(m.new)}"
        f" ({markdown_code(f'{m.path}:{m.line}')})"
        for m in outcome.moves
    ) or "\n".join(f"- {markdown_code(f)}" for f in outcome.files)
    try:
        diff = render(_diff(root, outcome, config_path), limit=GITHUB_LIMIT - _MOVES_ROOM,
                      rerun=_rerun(outcome))  # fmt: skip
    except GateError as e:
        diff = f"The promotion diff could not be rendered: {e.message}\n"
    head = "Moves:" if outcome.moves else "Files:"
    return (
        f"{outcome.summary()}\n\n{head}\n{moves}\n\n{diff}\nMade by gitops-gate {outcome.verb}.\n"
    )


def _diff(root: Path, outcome: Outcome, config_path: Path | None) -> DiffResult:
    if outcome.verb == "promote" and outcome.source_env:
        return diff_environments(root=root, from_env=outcome.source_env, to_env=outcome.env,
                                 ref=outcome.base, config_path=config_path)  # fmt: skip
    result = diff_refs(root=root, base=outcome.base, head=outcome.commit or "HEAD",
                       config_path=config_path, environments=[outcome.env])  # fmt: skip
    # Named as a reviewer knows them: the base's short sha and the pull request's branch.
    result.before, result.after = outcome.base[:12], outcome.branch or result.after
    return result


def _rerun(outcome: Outcome) -> str:
    if outcome.verb == "promote":
        return f"gitops-gate diff --from-env {outcome.source_env} --to-env {outcome.env}"
    head = outcome.branch or "HEAD"
    return f"gitops-gate diff --base {outcome.base[:12]} --head {head} --env {outcome.env}"


def open_pull(target: PullTarget, outcome: Outcome, base: str, text: str,
              labels: tuple[str, ...]) -> str:  # fmt: skip
    """Open the pull request from outcome's pushed branch into base, labelled; its URL."""
    gh = connect(target.token, target.repo, api_url=target.api_url)
    pull = create_pull(gh, title=outcome.summary(), body=text, head=outcome.branch or "",
                       base=base)  # fmt: skip
    if labels:
        add_labels(gh, pull.number, labels)
    return pull.url
