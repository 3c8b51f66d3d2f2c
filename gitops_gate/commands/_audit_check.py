"""`check --audit`: the run's event appended to the audit log.

Apart from commands/audit.py so that `check`, which every hook runs, imports only the store
and not the report, export and git-history modules.
"""

from __future__ import annotations

import sys
from typing import Any

from gitops_gate.audit.gate import check_event
from gitops_gate.audit.open import open_store
from gitops_gate.config.model import Config
from gitops_gate.policy.source import USER_DIR, load_policies


def record_check(result: Any, *, base: str | None) -> None:
    """Append the event of a finished `check` run (a gitops_gate.api.CheckResult)."""
    config: Config = result.config
    paths = config.policy.paths or (USER_DIR,)
    policies = load_policies(config.root, user_dirs=paths, builtin=config.policy.builtin)
    event = check_event(
        config=config,
        findings=result.findings,
        failed=result.failed,
        policies={f.path: f.text for f in policies.files},
        changed=result.changed,
        base=base,
    )
    store = open_store(config)
    try:
        store.append(event)
    finally:
        store.close()
    print(f"gitops-gate: recorded in the audit log ({store.location})", file=sys.stderr)
