"""Typed reads from one mapping of .gitops-gate.yaml; a wrong type is a ConfigError at file:line.

The schema has refused every wrong type before a section is read; these checks keep a section
parser from turning a value the schema and the parser disagree on into a traceback later.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from gitops_gate.errors import ConfigError

# A JSON pointer such as /policy/severity to the config file's name and the line it is on.
Locate = Callable[[str], tuple[str, int | None]]


@dataclass(frozen=True, slots=True)
class Reader:
    """The mapping at `pointer` ("" for the whole file), read key by key."""

    body: Mapping[str, Any]
    pointer: str
    locate: Locate

    def section(self, key: str) -> Reader:
        """The mapping under key, empty when the key is absent."""
        return Reader(self._get(key, dict, "object", {}), f"{self.pointer}/{key}", self.locate)

    def sections(self, key: str) -> tuple[Reader, ...]:
        """Each mapping in the list under key."""
        found = self._get(key, list, "array", [])
        for i, item in enumerate(found):
            if not isinstance(item, dict):
                self.fail(f"{key}/{i}", f"{item!r} is not of type 'object'")
        return tuple(
            Reader(item, f"{self.pointer}/{key}/{i}", self.locate) for i, item in enumerate(found)
        )

    def flag(self, key: str, default: bool) -> bool:
        return bool(self._get(key, bool, "boolean", default))

    def text(self, key: str, default: str) -> str:
        return str(self._get(key, str, "string", default))

    def optional_text(self, key: str) -> str | None:
        found = self._get(key, str, "string", None)
        return None if found is None else str(found)

    def integer(self, key: str, default: int) -> int:
        found = self.optional_integer(key)
        return default if found is None else found

    def optional_integer(self, key: str) -> int | None:
        found = self._get(key, int, "integer", None)
        if isinstance(found, bool):
            self.fail(key, f"{found!r} is not of type 'integer'")
        return None if found is None else int(found)

    def number(self, key: str, default: float) -> float:
        found = self._get(key, (int, float), "number", default)
        if isinstance(found, bool):
            self.fail(key, f"{found!r} is not of type 'number'")
        return float(found)

    def choice(self, key: str, allowed: Sequence[str], default: str) -> str:
        found = self.text(key, default)
        if found not in allowed:
            self.fail(key, f"{found!r} is not one of {list(allowed)!r}")
        return found

    def strings(self, key: str) -> tuple[str, ...] | None:
        """The list of strings under key, None when the key is absent."""
        if key not in self.body:
            return None
        found = self._get(key, list, "array", [])
        for i, item in enumerate(found):
            if not isinstance(item, str):
                self.fail(f"{key}/{i}", f"{item!r} is not of type 'string'")
        return tuple(found)

    def mapping(self, key: str) -> dict[str, Any]:
        return dict(self._get(key, dict, "object", {}))

    def fail(self, key: str, message: str) -> NoReturn:
        pointer = f"{self.pointer}/{key}"
        file, line = self.locate(pointer)
        raise ConfigError(file, line, f"{pointer.strip('/').replace('/', '.')}: {message}")

    def _get(self, key: str, kind: type | tuple[type, ...], named: str, default: Any) -> Any:
        if key not in self.body:
            return default
        found = self.body[key]
        if not isinstance(found, kind):
            self.fail(key, f"{found!r} is not of type {named!r}")
        return found
