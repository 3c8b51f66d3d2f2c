"""Two writers at once, a writer killed mid-burst, a full disk, a read-only store: the chain
stays one valid line, nothing committed is lost, and an error is one line with exit 3."""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from tests.audit.events import event

ROOT = Path(__file__).resolve().parents[2]


def _writer(config: Config, count: int, batch: int, **kw: object) -> subprocess.Popen[str]:
    where = config.audit.url or str(config.audit.path)
    argv = [sys.executable, "-m", "tests.audit.writer", str(config.root), where, str(count)]
    return subprocess.Popen(
        [*argv, str(batch)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,  # type: ignore[call-overload]
    )


def test_two_writers_at_once_keep_one_valid_chain(audit_config: Config) -> None:
    writers = [_writer(audit_config, 150, 1) for _ in range(2)]
    for w in writers:
        assert w.wait(timeout=120) == 0, w.stderr.read() if w.stderr else ""

    store = open_store(audit_config)
    report = store.verify()
    store.close()

    assert report.ok, report.problems
    assert report.events == 300


@pytest.mark.parametrize("seed", range(3))
def test_a_writer_killed_mid_burst_loses_nothing_committed(audit_config: Config, seed: int) -> None:
    writer = _writer(audit_config, 100_000, 7)
    assert writer.stdout is not None
    first = writer.stdout.readline()  # it is writing
    time.sleep(random.Random(seed).uniform(0.0, 0.5))  # noqa: S311 - a moment, not a key
    writer.send_signal(signal.SIGKILL)
    committed = max([int(first), *(int(line) for line in writer.stdout.read().split())])
    writer.wait()

    store = open_store(audit_config)
    report = store.verify()
    store.close()

    assert report.ok, report.problems
    assert report.events >= committed > 0


def _small_files() -> None:
    # A disk that fills: writes past 256 KiB fail with EFBIG (SIGXFSZ would kill instead).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


def test_a_full_disk_is_one_line_exit_3_and_no_half_written_event(tmp_path: Path) -> None:
    audit_config = Config(root=tmp_path, audit=AuditSection(path="audit.sqlite"))
    writer = _writer(audit_config, 5000, 10, preexec_fn=_small_files)
    out, err = writer.communicate(timeout=120)

    assert writer.returncode == 3
    assert len(err.strip().splitlines()) == 1
    assert "cannot write the audit store" in err and "full" in err
    store = open_store(audit_config)
    report = store.verify()
    store.close()
    committed = [int(n) for n in out.split()]
    assert committed, "some batches fit before the disk filled"
    assert report.ok and report.events == max(committed)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder another user can reach (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="gitops-gate-audit-"))
    folder.chmod(0o755)
    yield folder
    (folder / "audit").chmod(0o755)
    shutil.rmtree(folder)


def _as_someone_else() -> list[str]:
    """Root writes through any file mode: the writer runs as nobody, as a CI user would."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_read_only_store_is_one_line_exit_3(shared_dir: Path) -> None:
    config = Config(root=shared_dir, audit=AuditSection(path="audit/log.sqlite"))
    store = open_store(config)
    store.append(event(1))
    store.close()
    (shared_dir / "audit" / "log.sqlite").chmod(0o444)
    (shared_dir / "audit").chmod(0o555)

    argv = [sys.executable, "-m", "tests.audit.writer", str(shared_dir), "audit/log.sqlite"]
    done = subprocess.run(
        [*_as_someone_else(), *argv, "10", "5"], cwd=ROOT, capture_output=True, text=True
    )

    assert done.returncode == 3
    assert len(done.stderr.strip().splitlines()) == 1
    assert "audit/log.sqlite: cannot" in done.stderr and "read" in done.stderr
    store = open_store(config)
    assert store.verify().events == 1
    store.close()
