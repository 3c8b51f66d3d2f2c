"""Import detect-secrets without `requests`, which it needs only to verify secrets online.

`requests` (and urllib3 under it) was two thirds of detect-secrets' import: 0.1 s that every
`check` and every secrets hook paid, in a scan that never verifies anything (the verification
filter is not among our settings, and nothing here may reach the network). While detect-secrets
and its plugins are imported, `requests` is a stand-in: names in annotations and `except`
clauses resolve to inert placeholders, and any call raises. The stand-in leaves sys.modules
right after, so whatever imports `requests` later gets the real one. If anything goes wrong
on the way, detect-secrets is imported again the ordinary way.
"""

from __future__ import annotations

import sys
import threading
import types
from typing import Any, NoReturn

_LOCK = threading.Lock()


class _Placeholder(Exception):
    """What `requests.<Name>` is to detect-secrets: never raised, never built."""


class _Absent(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "exceptions":
            return self
        if name[:1].isupper():
            return type(name, (_Placeholder,), {})
        return _offline


def _offline(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("gitops-gate never verifies secrets online")


def import_detect_secrets() -> None:
    """Import detect-secrets and its plugins and filters, `requests` left out if we can."""
    with _LOCK:
        if "detect_secrets" in sys.modules or "requests" in sys.modules:
            return
        stand_in = _Absent("requests")
        sys.modules["requests"] = stand_in
        try:
            _import_all()
        except Exception:  # a release that needs more of requests: the ordinary import
            for name in [m for m in sys.modules if m.split(".")[0] == "detect_secrets"]:
                del sys.modules[name]
        finally:
            if sys.modules.get("requests") is stand_in:
                del sys.modules["requests"]
    _import_all()


def _import_all() -> None:
    from detect_secrets.core import scan  # noqa: F401 - the scan, filters and settings
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.filters import common  # noqa: F401 - imports requests itself

    get_mapping_from_secret_type_to_class()  # every plugin module, each importing requests
