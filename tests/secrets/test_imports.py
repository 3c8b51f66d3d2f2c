"""detect-secrets imported without requests and multiprocessing when the program opts in (the
CLI does): scans still find secrets, and both still work when imported after; a library caller
gets the ordinary import, its sys.modules never swapped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import sys
from pathlib import Path

import pytest
from gitops_gate.secrets import scan_files
from gitops_gate.secrets.imports import use_stand_ins

if sys.argv[2] == "opt-in":
    use_stand_ins()
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


@pytest.mark.parametrize(
    ("mode", "imported"),
    [("opt-in", "False False"), ("library", "True True")],
    ids=["cli-opts-in", "library-default"],
)
def test_a_scan_in_a_fresh_process_leaves_requests_to_be_imported_for_real(
    tmp_path: Path, mode: str, imported: str
) -> None:
    (tmp_path / "leak.txt").write_text("aws AKIAIOSFODNN7EXAMPLE\n")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == [
        "['AWS Access Key']",
        imported,
        "True",
        "True",
        "requests.sessions",
    ]


def test_the_cli_opts_in(tmp_path: Path) -> None:
    (tmp_path / "leak.txt").write_text("aws AKIAIOSFODNN7EXAMPLE\n")
    # The scan runs in forked children; one more in this process shows the CLI's choice.
    script = (
        "import sys; from pathlib import Path; from gitops_gate.cli import main;"
        "from gitops_gate.secrets import scan_files; code = main(['secrets', sys.argv[1]]);"
        "scan_files([Path(sys.argv[1]) / 'leak.txt'], Path(sys.argv[1]));"
        "print(code, 'requests' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True
    )
    assert done.stderr.splitlines()[-1] == "1 False"
