"""A loopback HTTP server for tests that must show nothing was fetched."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BODY = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fetched-from-the-network}\n"


class Server:
    """A loopback HTTP server that serves BODY and remembers every request it got."""

    def __init__(self) -> None:
        seen = self.seen = list[str]()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(BODY.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/x.yaml"


@contextmanager
def serving() -> Iterator[Server]:
    s = Server()
    thread = threading.Thread(target=s.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield s
    finally:
        s.httpd.shutdown()
        s.httpd.server_close()
