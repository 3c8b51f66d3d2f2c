"""A writer process for the reliability tests: appends batches, prints each committed seq.

python -m tests.audit.writer ROOT AUDIT_PATH_OR_URL COUNT BATCH
"""

from __future__ import annotations

import sys
from pathlib import Path

from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.config.sections import AuditSection
from gitops_gate.errors import GateError
from tests.audit.events import event


def main(root: str, where: str, count: int, batch: int) -> int:
    audit = AuditSection(url=where) if "://" in where else AuditSection(path=where)
    try:
        store = open_store(Config(root=Path(root), audit=audit))
        for start in range(0, count, batch):
            store.append_many(event(n) for n in range(start, min(start + batch, count)))
            print(start + batch, flush=True)  # every event before this one is committed
    except GateError as e:
        print(e.one_line(), file=sys.stderr)
        return e.exit_code
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
