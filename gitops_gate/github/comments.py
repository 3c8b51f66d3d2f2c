"""The one living pull request comment: found by its hidden marker, edited, never duplicated."""

from __future__ import annotations

from github.GithubException import GithubException

from gitops_gate.github.client import GitHub

WRITE = "pull-requests: write"


def upsert_comment(gh: GitHub, number: int, marker: str, body: str) -> str:
    """Edit the comment on #number whose body starts with marker, or create it; its URL.

    Every attempt looks before it creates: a POST whose answer was lost (a 502 after GitHub
    stored it) is found by the next attempt and edited, not posted twice. A marked comment we
    may not edit (someone else copied the marker) is left alone.
    """
    text = body if body.startswith(marker) else f"{marker}\n{body}"

    def op() -> str:
        issue = gh.repo.get_issue(number)
        for comment in issue.get_comments():
            if not (comment.body or "").startswith(marker):
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
