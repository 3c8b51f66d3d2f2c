"""Reads a file's bytes into text, refusing what is too large or not text."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from gitops_gate.errors import ManifestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_text(path: Path, rel: str, *, max_bytes: int) -> str:
    """The file's text; ManifestError naming the line of the first bad byte otherwise."""
    with path.open("rb") as fh:  # one open: the size check and the read see the same file
        size = os.fstat(fh.fileno()).st_size
        if size > max_bytes:
            raise ManifestError(
                rel,
                None,
                f"file is {_mib(size)}, over the {_mib(max_bytes)} limit",
                hint="raise limits.maxFileBytes in .gitops-gate.yaml or exclude the file",
                rule="file-too-large",
            )
        data = fh.read()
    return decode(data, rel)


def decode(data: bytes, rel: str) -> str:
    """A file's bytes as text (by its BOM, else UTF-8); ManifestError naming the line of the
    first bad byte otherwise, or of a NUL byte."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise ManifestError(
            rel,
            line,
            f"not valid {encoding.upper()}: byte 0x{data[e.start]:02x} cannot be decoded",
            hint="save the file as UTF-8",
            rule="invalid-encoding",
        ) from e
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ManifestError(
            rel, line, "contains a NUL byte: binary, not YAML", rule="invalid-encoding"
        )
    return text


def _mib(size: int) -> str:
    return f"{size / 1048576:.1f} MiB"
