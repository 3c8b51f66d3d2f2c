"""A throwaway PostgreSQL server for the tests: initdb + pg_ctl on a temp folder, a free port.

PostgreSQL refuses to run as root: as root the server runs as the `postgres` user the Debian
package creates. Each test gets its own database.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg


@dataclass(frozen=True)
class Server:
    port: int
    folder: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database's URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
        return self.url(name)


def bin_dir() -> Path | None:
    """Debian's versioned folder of the server binaries (initdb is not on PATH there)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=_version)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version(initdb: Path) -> int:
    part = initdb.parts[-3]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> tuple[list[str], int | None]:
    if os.geteuid() != 0:
        return [], None
    uid = pwd.getpwnam("postgres").pw_uid
    return [
        "setpriv",
        f"--reuid={uid}",
        f"--regid={pwd.getpwnam('postgres').pw_gid}",
        "--clear-groups",
    ], uid


@contextmanager
def serving() -> Iterator[Server]:
    """A running server until the block ends; its folder removed after."""
    binaries = bin_dir()
    if binaries is None:
        raise RuntimeError(
            "PostgreSQL is not installed (.ci/run installs it: apt-get install postgresql)"
        )
    folder = Path(tempfile.mkdtemp(prefix="gitops-gate-pg-"))
    prefix, uid = _as_server_user()
    if uid is not None:
        os.chown(folder, uid, -1)
    data, port = folder / "data", _free_port()

    def run(*argv: str) -> None:
        subprocess.run([*prefix, *argv], check=True, capture_output=True)

    try:
        run(
            str(binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
        run(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        )
        yield Server(port, folder)
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
