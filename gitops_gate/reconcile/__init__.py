"""The reconciler: Git to cluster with plan, apply, prune, health, rollback and drift."""
