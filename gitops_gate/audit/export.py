"""Events out of the store as JSON Lines, JSON, CSV or OCSF, written as they are read."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from gitops_gate.audit.chain import Row
from gitops_gate.audit.ocsf import to_ocsf

FORMATS = ("jsonl", "json", "csv", "ocsf")
COLUMNS = (
    "seq",
    "time",
    "action",
    "result",
    "environment",
    "revision",
    "author",
    "committer",
    "ci",
    "user",
    "objects",
    "reason",
    "links",
    "details",
    "prev",
    "hash",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def export(rows: Iterable[Row], fmt: str, out: TextIO) -> int:
    """Write rows to out in fmt, one at a time (memory stays flat); how many were written."""
    writer: Callable[[Iterable[Row], TextIO], int] = {
        "jsonl": _jsonl,
        "json": _json,
        "csv": _csv,
        "ocsf": _ocsf,
    }[fmt]
    return writer(rows, out)


def _jsonl(rows: Iterable[Row], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(row.to_json_line() + "\n")
        count += 1
    return count


def _json(rows: Iterable[Row], out: TextIO) -> int:
    out.write('{"schemaVersion":1,"events":[')
    count = 0
    for row in rows:
        out.write(("," if count else "") + "\n" + row.to_json_line())
        count += 1
    out.write("\n]}\n")
    return count


def _ocsf(rows: Iterable[Row], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(to_ocsf(row), sort_keys=True, ensure_ascii=False) + "\n")
        count += 1
    return count


def _csv(rows: Iterable[Row], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([_cell(v) for v in csv_row(row)])
        count += 1
    return count


def csv_row(row: Row) -> list[Any]:
    event = row.event()
    actor = event["actor"]
    return [
        row.seq,
        event["time"],
        event["action"],
        event["result"],
        event["environment"],
        event["revision"],
        *(actor.get(k) for k in ("author", "committer", "ci", "user")),
        " ".join(event["objects"]),
        event["reason"],
        json.dumps(event["links"], sort_keys=True) if event["links"] else None,
        json.dumps(event["details"], sort_keys=True) if event["details"] else None,
        row.prev,
        row.hash,
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value
