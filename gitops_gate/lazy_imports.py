"""The one list of modules imported inside the functions that need them, never at module top.

Everything else is imported at the top of each module, so imports show the dependency graph
(and the import-linter contract can check it). These few are heavy, and most runs of a hook
never need them: each is imported only where it is used (times on the 2-core development
machine, cold, with bytecode).
"""

from __future__ import annotations

HEAVY_MODULES = frozenset(
    {
        "copier",  # the Copier template engine (jinja2, pydantic): only `init`, ~150 ms
        "detect_secrets",  # the secrets scan, ~60 ms with its plugins
        "jsonschema",  # the config and CRD meta-schema checks, ~60 ms
        "jsonschema_rs",  # the built-in schema validator, ~15 ms
        "psycopg",  # PostgreSQL, only for an audit store at a postgresql:// URL, ~60 ms
        "pathspec",  # gitignore matching, only where a .gitignore or exclude exists, ~10 ms
        "regopy",  # rego-cpp, the built-in policy engine, ~30 ms
        "rich",  # terminal tables and progress, only on a terminal, ~40 ms
    }
)
