"""A cache folder another program reads directly, vouched for by a sealed list of checksums.

kubeconform reads our schema files itself, so they cannot carry a seal of their own: the
folder's `.sums.json` (sealed, cachedir.write_json) records each file's SHA-256 and stamp, and
a file whose stamp moved is hashed again before anyone is handed the folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from gitops_gate.cachedir import read_json, sha256, stamp, write_bytes, write_json

MANIFEST = ".sums.json"


class SealedFolder:
    """The files we wrote into folder, each with the checksum and stamp it was written with."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        raw = read_json(folder / MANIFEST)
        raw = raw if isinstance(raw, dict) else {}
        files = raw.get("files")
        self.files: dict[str, Any] = files if isinstance(files, dict) else {}
        self.complete = bool(raw.get("complete")) and bool(self.files)
        self._dirty = False
        # Strings, not Paths: pathlib's parsing was 2/3 of checking 863 files (60 of 90 ms).
        self._base = str(folder) + os.sep

    def trusted(self, name: str) -> bool:
        """name holds what we wrote: its stamp is unchanged, or its bytes hash as recorded."""
        entry = self.files.get(name)
        now = self._stamp(name)
        if not (isinstance(entry, list) and len(entry) == 2) or now is None:
            return False
        if entry[1] == now:
            return True
        try:
            data = (self.folder / name).read_bytes()
        except OSError:
            return False
        if sha256(data) != entry[0]:
            return False
        self.files[name] = [entry[0], now]  # copied or touched, yet intact: remember it so
        self._dirty = True
        return True

    def write(self, name: str, data: bytes) -> None:
        write_bytes(self.folder / name, data)
        self.files[name] = [sha256(data), self._stamp(name)]
        self._dirty = True

    def remove(self, name: str) -> None:
        (self.folder / name).unlink(missing_ok=True)
        if self.files.pop(name, None) is not None:
            self._dirty = True

    def strangers(self) -> list[str]:
        """Files in the folder that the list does not name: we did not write them there."""
        out = []
        todo = [""]
        while todo:
            sub = todo.pop()
            try:
                entries = list(os.scandir(self._base + sub))
            except OSError:
                continue
            for e in entries:
                rel = sub + e.name
                if e.is_dir(follow_symlinks=False):
                    todo.append(rel + "/")
                elif rel not in self.files and rel != MANIFEST and not e.name.startswith(".tmp-"):
                    out.append(rel)
        return sorted(out)

    def _stamp(self, name: str) -> list[int] | None:
        return stamp(self._base + name)

    def mark(self, *, complete: bool) -> None:
        self._dirty = self._dirty or complete != self.complete
        self.complete = complete

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            write_json(self.folder / MANIFEST, {"complete": self.complete, "files": self.files})
        except OSError:
            pass  # a read-only or full cache only costs speed: the next run checks again
