"""The audit log: every decision and change, as hash-chained events in an append-only store."""
