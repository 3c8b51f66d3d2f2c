"""gitops-gate: keeps a GitOps repository honest from the first commit to the running cluster.

`gitops_gate.check(paths, ...)` is the library entry every command runs through; it returns a
`CheckResult`. Both are imported on first use: `gitops-gate --version` and a bare
`import gitops_gate` load nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gitops_gate._version import __version__

if TYPE_CHECKING:
    from gitops_gate.api import CheckResult, check

__all__ = ["CheckResult", "__version__", "check"]

_LAZY = frozenset({"CheckResult", "check"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from gitops_gate import api

        return getattr(api, name)
    raise AttributeError(f"module 'gitops_gate' has no attribute {name!r}")
