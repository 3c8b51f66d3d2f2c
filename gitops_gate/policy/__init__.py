"""Policies: the built-in Rego library and the repo's own, evaluated by conftest or rego-cpp.

The package itself imports nothing: the built-in engine's worker process (builtin_worker) runs
inside it and must start without the loader, the config and the rest that `run` needs.
"""
