"""Cache entries are sealed with their checksum: a truncated or edited one is a miss, rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_gate.cachedir import ResultCache, read_json, seal, write_json

PAYLOAD = {"key": {"status": "invalid", "violations": [["/spec", "bad"]]}}
SEALED = seal(PAYLOAD)


def forged(payload: object) -> bytes:
    """payload under the seal of PAYLOAD: what an edit that leaves the checksum alone gives."""
    mid = b'"payload":'
    other = seal(payload)
    return SEALED[: SEALED.index(mid) + len(mid)] + other[other.index(mid) + len(mid) :]


def test_a_forgery_keeps_the_old_checksum() -> None:
    assert forged(PAYLOAD) == SEALED


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda data: data, PAYLOAD),
        (lambda data: data[: len(data) // 2], None),
        (lambda data: data[:-1], None),
        (lambda data: data + b" ", None),
        (lambda data: data.replace(b"invalid", b"valid!!"), None),
        (lambda data: forged({"key": {"status": "valid", "violations": []}}), None),
        (lambda data: b'{"key": {"status": "valid"}}', None),
        (lambda data: b"", None),
    ],
    ids=["intact", "truncated", "cut", "appended", "edited", "forged", "unsealed", "empty"],
)
def test_only_what_was_written_is_read_back(
    tmp_path: Path, damage: Callable[[bytes], bytes], expected: object
) -> None:
    target = tmp_path / "entry.json"
    write_json(target, PAYLOAD)
    target.write_bytes(damage(target.read_bytes()))
    assert read_json(target) == expected


@pytest.mark.parametrize(
    "damage",
    [lambda data: data[:10], lambda data: data.replace(b"invalid", b"valid!!")],
    ids=["truncated", "edited"],
)
def test_a_damaged_result_cache_is_empty_then_rebuilt(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    cache = ResultCache("checks", root=tmp_path)
    cache.put("key", PAYLOAD["key"])
    cache.save()
    cache.path.write_bytes(damage(cache.path.read_bytes()))
    again = ResultCache("checks", root=tmp_path)
    assert again.get("key") is None
    again.put("key", PAYLOAD["key"])
    again.save()
    assert ResultCache("checks", root=tmp_path).get("key") == PAYLOAD["key"]


def test_an_interrupted_write_leaves_the_old_entry_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "cache" / "files.json"
    write_json(target, {"old": 1})

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_json(target, {"new": 2})
    monkeypatch.undo()
    assert [p.name for p in target.parent.iterdir()] == ["files.json"]
    assert read_json(target) == {"old": 1}
