"""A local GitHub REST API for tests: the endpoints the PR check uses, recording what it posted.

Payloads and status codes follow GitHub's REST documentation (pulls, issue comments, check
runs, commit statuses, issue events, reviews); `fail` injects 5xx, secondary rate limits
(403 + Retry-After) and 401s, once each, before or after the request took effect.
"""

from __future__ import annotations

import http.server
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.helpers.github_api import (
    NOW,
    SECONDARY,
    Answer,
    Fault,
    Request,
    State,
    error,
    route,
    user,
)

__all__ = ["GitHubServer", "serving"]


class GitHubServer:
    """The server and its state; `url` is the API base to pass as GITHUB_API_URL."""

    def __init__(self, token: str = "ghs_" + "t" * 36) -> None:
        self.state = State(token=token)
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.state.base = self.url

    # -- setting the scene -------------------------------------------------------------------
    def add_pull(
        self,
        number: int,
        *,
        base_sha: str,
        head_sha: str,
        labels: tuple[str, ...] = (),
        fork: bool = False,
        author: str = "dev",
        files: list[str] | None = None,
        merged_at: str | None = None,
    ) -> dict[str, Any]:
        s = self.state
        full = f"{s.owner}/{s.name}"
        head_repo = {"full_name": f"forker/{s.name}" if fork else full, "fork": fork}
        pull = {
            "url": f"{s.repo_url}/pulls/{number}",
            "id": number * 7,
            "number": number,
            "state": "closed" if merged_at else "open",
            "title": f"change {number}",
            "user": user(author),
            "body": None,
            "labels": [{"name": n, "color": "ededed"} for n in labels],
            "html_url": f"{s.html}/pull/{number}",
            "issue_url": f"{s.repo_url}/issues/{number}",
            "head": {"ref": f"topic-{number}", "sha": head_sha, "repo": head_repo},
            "base": {"ref": "main", "sha": base_sha, "repo": {"full_name": full, "fork": False}},
            "merged": merged_at is not None,
            "merged_at": merged_at,
            "merge_commit_sha": ("m" * 40) if merged_at else None,
            "created_at": NOW,
            "updated_at": merged_at or NOW,
        }
        s.pulls[number] = pull
        s.files[number] = list(files or [])
        return pull

    def label(self, number: int, name: str, *, by: str) -> None:
        """by adds label name to pull request number (an issue event)."""
        s = self.state
        s.pulls[number]["labels"].append({"name": name, "color": "ededed"})
        s.events.setdefault(number, []).append(
            {
                "id": s.next_id + 1,
                "url": f"{s.repo_url}/issues/events/{s.next_id + 1}",
                "event": "labeled",
                "actor": user(by),
                "created_at": NOW,
                "label": {"name": name, "color": "ededed"},
            }
        )

    def review(self, number: int, *, by: str, state: str, commit_id: str) -> None:
        s = self.state
        s.reviews.setdefault(number, []).append(
            {
                "id": s.new_id(),
                "user": user(by),
                "body": "",
                "state": state,
                "html_url": f"{s.html}/pull/{number}#review",
                "commit_id": commit_id,
                "submitted_at": NOW,
                "pull_request_url": f"{s.repo_url}/pulls/{number}",
            }
        )

    def fail(self, method: str, pattern: str, status: int, **kwargs: Any) -> None:
        """Inject a failure; message defaults to what GitHub says for status."""
        message = kwargs.pop("message", None) or {
            401: "Bad credentials",
            403: SECONDARY,
            502: "Server Error",
            503: "Service Unavailable",
        }.get(status, "error")
        self.state.faults.append(Fault(method, pattern, status, message, **kwargs))

    # -- what was posted ---------------------------------------------------------------------
    def sent(self, method: str, pattern: str = "") -> list[Request]:
        """The requests whose method matches method and path pattern (regular expressions)."""
        return [
            r
            for r in self.state.requests
            if re.fullmatch(method, r.method) and re.search(pattern, r.path)
        ]

    def annotations(self, run_id: int) -> list[dict[str, Any]]:
        return list(self.state.check_runs[run_id]["_annotations"])


def _handler(server: GitHubServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle on, each answer would wait ~40 ms
        # for the client's delayed ACK, which GitHub's own servers do not make anyone pay.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            with server.lock:
                status, headers, answer = _dispatch(
                    server, self.command, self.path, body, self.headers.get("Authorization") or ""
                )
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _any

    return Handler


def _dispatch(server: GitHubServer, method: str, raw_path: str, body: Any, auth: str) -> Answer:
    s = server.state
    path = raw_path.split("?", 1)[0]
    query = dict(p.partition("=")[::2] for p in raw_path.partition("?")[2].split("&") if p)
    s.requests.append(Request(method, path, body, auth))
    if auth not in (f"token {s.token}", f"Bearer {s.token}"):
        return error(401, "Bad credentials")
    fault = next((f for f in s.faults if f.method == method and re.search(f.pattern, path)), None)
    if fault is not None:
        fault.times -= 1
        if fault.times <= 0:
            s.faults.remove(fault)
        if not fault.after:
            return error(fault.status, fault.message, fault.headers)
    answer = route(s, method, path, query, body)
    if fault is not None:
        return error(fault.status, fault.message, fault.headers)
    return answer


@contextmanager
def serving(token: str = "ghs_" + "t" * 36) -> Iterator[GitHubServer]:
    server = GitHubServer(token)
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
