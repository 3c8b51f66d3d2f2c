"""The test control plane: the product's own local one (gitops_gate.reconcile.localcluster).

Kept as a name for the tests; there is one starter, shared with `gitops-gate demo`.
"""

from __future__ import annotations

from gitops_gate.reconcile.localcluster import ADMIN_TOKEN, ControlPlane, kubeconfig, start

__all__ = ["ADMIN_TOKEN", "ControlPlane", "kubeconfig", "start"]
