"""detect-secrets imported without requests and multiprocessing: scans still find secrets, and
both still work when imported after."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = """
import sys
from pathlib import Path
from gitops_gate.secrets import scan_files

root = Path(sys.argv[1])
hits = scan_files([root / "leak.txt"], root)
print([h.kind for h in hits])
print("requests" in sys.modules, "multiprocessing" in sys.modules)
import multiprocessing
print(multiprocessing.cpu_count() > 0)
import requests
print(issubclass(requests.exceptions.ConnectionError, requests.exceptions.RequestException))
print(requests.Session().__class__.__module__)
"""


def test_a_scan_in_a_fresh_process_leaves_requests_to_be_imported_for_real(
    tmp_path: Path,
) -> None:
    (tmp_path / "leak.txt").write_text("aws AKIAIOSFODNN7EXAMPLE\n")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "['AWS Access Key']",
        "False False",
        "True",
        "True",
        "requests.sessions",
    ]
