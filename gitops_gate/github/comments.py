"""The one living pull request comment: found by its hidden marker, edited, never duplicated."""

from __future__ import annotations

from github.GithubException import GithubException
from github.IssueComment import IssueComment

from gitops_gate.github.client import GitHub

WRITE = "pull-requests: write"


def upsert_comment(gh: GitHub, number: int, marker: str, body: str) -> str:
    """Edit the comment on #number whose body starts with marker, or create it; its URL.

    Every attempt looks before it creates: a POST whose answer was lost (a 502 after GitHub
    stored it) is found by the next attempt and edited, not posted twice. A marked comment we
    may not edit is left alone, and so is one someone else wrote: a token with write access
    may edit anyone's comment, and a PR author who copied the marker would get the gate's
    verdict under their own name, to rewrite at will.
    """
    text = body if body.startswith(marker) else f"{marker}\n{body}"
    me = _login(gh)

    def op() -> str:
        issue = gh.repo.get_issue(number)
        for comment in issue.get_comments():
            if not (comment.body or "").startswith(marker) or not _ours(comment, me):
                continue
            if comment.body == text:
                return str(comment.html_url)
            try:
                comment.edit(text)
            except GithubException as e:
                if e.status in (403, 404):
                    continue  # not ours to edit
                raise
            return str(comment.html_url)
        return str(issue.create_comment(text).html_url)

    return gh.call(f"comment on pull request #{number}", WRITE, op)


def _login(gh: GitHub) -> str | None:
    """Who the token writes as; None for an app's token (GitHub Actions' own), which may not
    ask, and whose comments are a bot's."""
    try:
        return str(gh.api.get_user().login)
    except GithubException:
        return None


def _ours(comment: IssueComment, me: str | None) -> bool:
    user = comment.user
    if user is None:
        return False
    return bool(user.login == me) if me is not None else user.type == "Bot"
