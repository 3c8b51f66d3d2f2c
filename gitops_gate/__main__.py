"""Entry point for `python -m gitops_gate`."""

from __future__ import annotations

from gitops_gate.cli import main

raise SystemExit(main())
