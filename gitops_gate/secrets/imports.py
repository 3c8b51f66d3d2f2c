"""Import detect-secrets without `requests` and `multiprocessing`, which our scan never uses.

`requests` (and urllib3 under it) was two thirds of detect-secrets' import: 0.1 s that every
`check` and every secrets hook paid, in a scan that never verifies anything (the verification
filter is not among our settings, and nothing here may reach the network). `multiprocessing`
(6 ms, a tenth of a small repo's scan) serves only its own parallel scan of many files, which
we never call: check splits the work over forked children itself. While detect-secrets and
its plugins are imported, each module not imported yet is a stand-in: names in annotations
and `except` clauses resolve to inert placeholders, and any call raises. A stand-in leaves
sys.modules right after, so whatever imports the module later gets the real one. If anything
goes wrong on the way, detect-secrets is imported again the ordinary way.

Swapping sys.modules changes the process, which a library call never does to its caller:
stand-ins are used only once the program that owns the process asks (`use_stand_ins`, which
the CLI calls); a library caller gets the ordinary import.
"""

from __future__ import annotations

import functools
import sys
import threading
import types
from typing import Any, NoReturn

_LOCK = threading.Lock()
_CHOSEN: list[bool] = [False]  # set by use_stand_ins; a list, so no `global` is needed


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
        return functools.partial(_absent, self.__name__)


def _absent(module: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError(f"gitops-gate's secret scan does not use {module}: {_WHY[module]}")


_WHY = {
    "requests": "it never verifies secrets online",
    "multiprocessing": "it splits its work over processes itself",
}


def use_stand_ins(enabled: bool = True) -> None:
    """Let import_detect_secrets leave out requests and multiprocessing from now on: for a
    program that owns its process (the CLI), saving each scan ~0.1 s of imports."""
    _CHOSEN[0] = enabled


def import_detect_secrets() -> None:
    """Import detect-secrets and its plugins and filters, leaving out what we can when the
    program chose to (use_stand_ins)."""
    with _LOCK:
        if "detect_secrets" in sys.modules:
            return
        if not _CHOSEN[0]:  # a library caller's process: left as an ordinary import leaves it
            _import_all()
            return
        if threading.active_count() > 1:
            # sys.modules is shared: another thread importing requests or multiprocessing
            # meanwhile would keep a stand-in for good. Forked children have one thread.
            _import_all()
            return
        stand_ins = {name: _Absent(name) for name in _WHY if name not in sys.modules}
        sys.modules.update(stand_ins)
        try:
            _import_all()
            return
        except Exception:  # a release that needs more of them: the ordinary import
            for name in [m for m in sys.modules if m.split(".")[0] == "detect_secrets"]:
                del sys.modules[name]
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]
    _import_all()


def _import_all() -> None:
    from detect_secrets.core import scan  # noqa: F401 - the scan, filters and settings
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.filters import common  # noqa: F401 - imports requests itself

    get_mapping_from_secret_type_to_class()  # every plugin module, each importing requests
