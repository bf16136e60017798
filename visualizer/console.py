"""Text for a terminal: what a diary holds is shown, never obeyed.

Diary text, titles, author names and file names reach the terminal in readings, warnings and errors. Escape
sequences in them could move the cursor, retitle the window or hide lines, so every line the CLI prints
goes through `printable`: control characters (C0 and C1, escape included) become visible `\\xNN` marks,
lone surrogates (from undecodable file names) become U+FFFD, and tabs and line breaks are kept.
"""

from __future__ import annotations

import re
import sys

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def printable(text: object) -> str:
    """`text` safe to write to a terminal (see the module docstring)."""
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return _SURROGATE.sub("\ufffd", shown)


def say(*parts: object, file=None, end: str = "\n") -> None:
    """`print` for anything that may hold diary text, to stderr unless `file` is given."""
    print(" ".join(printable(p) for p in parts), file=file or sys.stderr, end=end)
