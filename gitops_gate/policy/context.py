"""The data every policy sees: environments, the rule settings, time zones, per-resource context."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from gitops_gate.config import Config, Environment
from gitops_gate.policy.protocol import PolicyData


def environment_of(config: Config, path: str) -> Environment | None:
    """The environment a file belongs to; production wins when several contain it."""
    found = config.environments_of(path)
    return max(found, key=lambda e: e.production) if found else None


def context_of(env: Environment | None) -> dict[str, Any]:
    if env is None:
        return {"environment": "", "production": False, "autoSync": True, "autoSyncExplicit": False}
    return {
        "environment": env.name,
        "production": env.production,
        "autoSync": env.auto_sync,
        "autoSyncExplicit": env.auto_sync_explicit,
    }


def policy_data(config: Config) -> PolicyData:
    envs = [
        {
            "name": e.name,
            "paths": list(e.paths),
            "production": e.production,
            "autoSync": e.auto_sync,
            "autoSyncExplicit": e.auto_sync_explicit,
            "cluster": e.cluster or "",
        }
        for e in config.environments
    ]
    base = {
        "gitops_gate": {
            "config": {"rules": config.policy.rules},
            "environments": envs,
            "timezones": timezones(),
        }
    }
    contexts = {"": context_of(None)} | {e.name: context_of(e) for e in config.environments}
    return PolicyData(base, contexts)


@functools.cache
def timezones() -> dict[str, bool]:
    """Known IANA zone names, as an object so Rego looks them up by key."""

    return dict.fromkeys(sorted(zoneinfo.available_timezones()), True)
