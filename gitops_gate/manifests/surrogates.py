"""JSON's surrogate-pair escapes (`"\\ud83d\\ude80"`) rewritten as the one escape YAML reads."""

from __future__ import annotations

import re

# JSON can spell a character beyond the BMP only as two \u escapes (json.dumps does by default);
# YAML reads \u as one code point, so PyYAML refuses each half. An odd run of backslashes before
# the `u` means the escape is real, an even one that the backslash itself was escaped.
_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(?:([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
    r"|([dD][89a-fA-F][0-9a-fA-F]{2}))"
)
PYYAML_PROBLEM = "invalid Unicode character escape code"


def join_surrogate_escapes(text: str) -> str:
    """text with each escaped pair made one \\U escape and each lone half U+FFFD.

    A lone half becomes the replacement character, as the API server's JSON decoder reads it.
    """
    return _ESCAPE.sub(_replace, text)


def _replace(m: re.Match[str]) -> str:
    backslashes, high, low, lone = m.groups()
    if lone is not None:
        return f"{backslashes}\\ufffd"
    code = 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)
    return f"{backslashes}\\U{code:08x}"
