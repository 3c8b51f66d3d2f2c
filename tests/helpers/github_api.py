"""The REST endpoints of the local GitHub (tests/helpers/github_server.py): state and routes.

Payloads and status codes follow GitHub's REST documentation: pulls (get, files, list,
create), issue comments (list, create, update), issue events, labels (list, add), reviews,
check runs (create, update: title and summary with every output, at most 50 annotations a
request) and commit statuses.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

NOW = "2026-12-05T10:00:00Z"
SECONDARY = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
READ_ONLY = "Resource not accessible by integration"
DOCS = "https://docs.github.com/rest"


@dataclass
class Request:
    method: str
    path: str
    body: Any
    auth: str


@dataclass
class Fault:
    """Answer the next matching request with status (after doing it, when `after`)."""

    method: str
    pattern: str
    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)
    after: bool = False
    times: int = 1


@dataclass
class State:
    token: str
    owner: str = "acme"
    name: str = "gitops"
    read_only: bool = False  # every write refused, as a fork's pull_request token
    refused: set[str] = field(default_factory=set)  # "check-runs", "statuses", "comments"
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    files: dict[int, list[str]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    check_runs: dict[int, dict[str, Any]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    next_id: int = 1000
    base: str = ""

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    @property
    def repo_url(self) -> str:
        return f"{self.base}/repos/{self.owner}/{self.name}"

    @property
    def html(self) -> str:
        return f"https://github.example/{self.owner}/{self.name}"


def user(login: str, kind: str = "User") -> dict[str, Any]:
    return {"login": login, "id": zlib.crc32(login.encode()), "type": kind}


Answer = tuple[int, dict[str, str], Any]


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return status, dict(headers or {}), {"message": message, "documentation_url": DOCS}


_ROUTES: list[tuple[str, str, str]] = [
    ("GET", r"/pulls/(\d+)$", "get_pull"),
    ("GET", r"/pulls/(\d+)/files$", "pull_files"),
    ("GET", r"/pulls/(\d+)/reviews$", "reviews"),
    ("GET", r"/pulls$", "list_pulls"),
    ("POST", r"/pulls$", "create_pull"),
    ("GET", r"/issues/(\d+)/comments$", "list_comments"),
    ("POST", r"/issues/(\d+)/comments$", "create_comment"),
    ("PATCH", r"/issues/comments/(\d+)$", "edit_comment"),
    ("GET", r"/issues/(\d+)/labels$", "labels"),
    ("POST", r"/issues/(\d+)/labels$", "add_labels"),
    ("GET", r"/issues/(\d+)/events$", "events"),
    ("POST", r"/check-runs$", "create_check_run"),
    ("GET", r"/check-runs/(\d+)$", "get_check_run"),
    ("GET", r"/commits/([0-9a-f]{40})/check-runs$", "list_check_runs"),
    ("PATCH", r"/check-runs/(\d+)$", "update_check_run"),
    ("POST", r"/statuses/([0-9a-f]{40})$", "create_status"),
]
_WRITE_AREA = {
    "create_comment": "comments",
    "edit_comment": "comments",
    "create_check_run": "check-runs",
    "update_check_run": "check-runs",
    "create_status": "statuses",
    "create_pull": "pulls",
    "add_labels": "pulls",
}


def route(s: State, method: str, path: str, query: dict[str, str], body: Any) -> Answer:
    prefix = f"/repos/{s.owner}/{s.name}"
    if not path.startswith(prefix):
        return error(404, "Not Found")
    rest = path[len(prefix) :]
    for verb, pattern, name in _ROUTES:
        m = re.fullmatch(pattern, rest)
        if verb == method and m:
            area = _WRITE_AREA.get(name)
            if area and (s.read_only or area in s.refused):
                return error(403, READ_ONLY)
            return globals()[f"_{name}"](s, *m.groups(), query=query, body=body)  # type: ignore[no-any-return]
    return error(404, "Not Found")


def _get_pull(s: State, n: str, **_: Any) -> Answer:
    pull = s.pulls.get(int(n))
    return (200, {}, pull) if pull else error(404, "Not Found")


def _pull_files(s: State, n: str, **_: Any) -> Answer:
    files = [
        {
            "sha": "0" * 40,
            "filename": f,
            "status": "modified",
            "additions": 1,
            "deletions": 1,
            "changes": 2,
        }
        for f in s.files.get(int(n), [])
    ]
    return 200, {}, files


def _reviews(s: State, n: str, **_: Any) -> Answer:
    return 200, {}, s.reviews.get(int(n), [])


def _list_pulls(s: State, *, query: dict[str, str], **_: Any) -> Answer:
    state = query.get("state", "open")
    head = unquote(query.get("head", "")).partition(":")[2]  # owner:branch
    base = unquote(query.get("base", ""))
    pulls = [p for p in s.pulls.values() if (state == "all" or p["state"] == state)
             and head in ("", p["head"]["ref"]) and base in ("", p["base"]["ref"])]  # fmt: skip
    return 200, {}, sorted(pulls, key=lambda p: p["updated_at"], reverse=True)


def _create_pull(s: State, *, body: Any, **_: Any) -> Answer:
    for p in s.pulls.values():
        if p["state"] == "open" and (p["head"]["ref"], p["base"]["ref"]) == (
            body["head"],
            body["base"],
        ):
            return error(422, f"A pull request already exists for {s.owner}:{body['head']}.")
    number = max(s.pulls, default=0) + 1
    return 201, {}, _new_pull(s, number, body)


def _new_pull(s: State, number: int, body: Any) -> dict[str, Any]:
    full = f"{s.owner}/{s.name}"
    pull = {
        "url": f"{s.repo_url}/pulls/{number}",
        "number": number,
        "state": "open",
        "title": body["title"],
        "body": body.get("body"),
        "user": user("gitops-gate[bot]", "Bot"),
        "labels": [],
        "html_url": f"{s.html}/pull/{number}",
        "issue_url": f"{s.repo_url}/issues/{number}",
        "head": {"ref": body["head"], "sha": "h" * 40, "repo": {"full_name": full}},
        "base": {"ref": body["base"], "sha": "b" * 40, "repo": {"full_name": full}},
        "merged": False,
        "merged_at": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    s.pulls[number] = pull
    return pull


def _list_comments(s: State, n: str, **_: Any) -> Answer:
    found = [c for c in s.comments.values() if c["_issue"] == int(n)]
    return 200, {}, [_public(c) for c in found]


def _create_comment(s: State, n: str, *, body: Any, **_: Any) -> Answer:
    cid = s.new_id()
    comment = {
        "id": cid,
        "url": f"{s.repo_url}/issues/comments/{cid}",
        "html_url": f"{s.html}/pull/{n}#issuecomment-{cid}",
        "body": body["body"],
        "user": user("github-actions[bot]", "Bot"),
        "created_at": NOW,
        "updated_at": NOW,
        "issue_url": f"{s.repo_url}/issues/{n}",
        "author_association": "NONE",
        "_issue": int(n),
    }
    s.comments[cid] = comment
    return 201, {}, _public(comment)


def _edit_comment(s: State, cid: str, *, body: Any, **_: Any) -> Answer:
    comment = s.comments.get(int(cid))
    if comment is None:
        return error(404, "Not Found")
    # A token with write access may edit anyone's comment, as GitHub lets a collaborator do
    # ("If you have write permissions to a repository, you can hide, edit, or delete comments").
    comment["body"] = body["body"]
    return 200, {}, _public(comment)


def _labels(s: State, n: str, **_: Any) -> Answer:
    return 200, {}, s.pulls[int(n)]["labels"]


def _add_labels(s: State, n: str, *, body: Any, **_: Any) -> Answer:
    pull = s.pulls.get(int(n))
    if pull is None:
        return error(404, "Not Found")
    names = body["labels"] if isinstance(body, dict) else body  # GitHub takes either form
    have = [label["name"] for label in pull["labels"]]
    pull["labels"] += [{"name": x, "color": "ededed"} for x in names if x not in have]
    return 200, {}, pull["labels"]


def _events(s: State, n: str, **_: Any) -> Answer:
    return 200, {}, s.events.get(int(n), [])


def _create_check_run(s: State, *, body: Any, **_: Any) -> Answer:
    rid = s.new_id()
    run = {
        "id": rid,
        "name": body["name"],
        "head_sha": body["head_sha"],
        "url": f"{s.repo_url}/check-runs/{rid}",
        "html_url": f"{s.html}/runs/{rid}",
        "details_url": None,
        "external_id": body.get("external_id"),
        "status": body.get("status", "queued"),
        "conclusion": body.get("conclusion"),
        "started_at": NOW,
        "completed_at": None,
        "check_suite": {"id": 1},
        "app": {"slug": "github-actions"},
        "pull_requests": [],
        "_annotations": [],
    }
    s.check_runs[rid] = run
    return _apply_output(s, run, body)


def _get_check_run(s: State, rid: str, **_: Any) -> Answer:
    run = s.check_runs.get(int(rid))
    return (200, {}, _public(run)) if run else error(404, "Not Found")


def _list_check_runs(s: State, sha: str, *, query: dict[str, str], **_: Any) -> Answer:
    name = query.get("check_name")
    runs = [_public(r) for r in s.check_runs.values()
            if r["head_sha"] == sha and name in (None, r["name"])]  # fmt: skip
    return 200, {}, {"total_count": len(runs), "check_runs": runs}


def _update_check_run(s: State, rid: str, *, body: Any, **_: Any) -> Answer:
    run = s.check_runs.get(int(rid))
    if run is None:
        return error(404, "Not Found")
    for key in ("status", "conclusion", "name"):
        if key in body:
            run[key] = body[key]
    return _apply_output(s, run, body, status=200)


def _apply_output(s: State, run: dict[str, Any], body: Any, status: int = 201) -> Answer:
    output = body.get("output")
    if output is not None:
        # GitHub's rules: title and summary with every output, at most 50 annotations each.
        if "title" not in output or "summary" not in output:
            return error(422, 'Invalid request. "title", "summary" weren\'t supplied.')
        annotations = output.get("annotations") or []
        if len(annotations) > 50:
            return error(422, "Only 50 annotations are allowed per request")
        for a in annotations:
            missing = {"path", "start_line", "end_line", "annotation_level", "message"} - set(a)
            if missing:
                return error(422, f"annotation missing {sorted(missing)}")
        run["_annotations"].extend(annotations)
        run["output"] = {k: v for k, v in output.items() if k != "annotations"}
        run["output"]["annotations_count"] = len(run["_annotations"])
    return status, {}, _public(run)


def _create_status(s: State, sha: str, *, body: Any, **_: Any) -> Answer:
    if body.get("state") not in ("error", "failure", "pending", "success"):
        return error(422, "Validation Failed")
    status = {
        "id": s.new_id(),
        "url": f"{s.repo_url}/statuses/{sha}",
        "sha": sha,
        "state": body["state"],
        "description": body.get("description"),
        "target_url": body.get("target_url"),
        "context": body.get("context", "default"),
        "created_at": NOW,
        "updated_at": NOW,
        "creator": user("github-actions[bot]", "Bot"),
    }
    s.statuses.append(status)
    return 201, {}, status


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}
