"""A finding's text is the PR's (a policy's message, a file name): its annotation must still be
one GitHub accepts, or the whole check run's update is refused."""

from __future__ import annotations

from gitops_gate.findings import Finding, Severity
from gitops_gate.prcheck.annotate import annotations_of

GITHUB_MESSAGE_BYTES = 64 * 1024


def test_a_multibyte_message_is_cut_to_githubs_limit_in_bytes() -> None:
    # 40,000 four-byte characters: under a 60,000-character cut, but 160 KB.
    found = Finding("policy/x", Severity.ERROR, "\U0001f600" * 40_000, "policy", "a.yaml", 3)

    [annotation] = annotations_of([found], "")

    assert len(annotation["message"].encode("utf-8")) <= GITHUB_MESSAGE_BYTES
    assert annotation["message"].startswith("\U0001f600" * 1000)
