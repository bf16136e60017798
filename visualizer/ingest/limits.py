"""The ceilings ingest works under, declared once: every size check and every message about one reads from here.

A diary is small, but the same reader takes whatever a user (or a script) hands it: a 50 MB single entry, a
zip whose 600 MB member hides in a 2 MB archive, a device such as /dev/zero. Past these ceilings the input is
refused or skipped with a message naming the environment variable that raises the ceiling, so a real journal
that is larger than foreseen is one setting away, and a mistaken one costs seconds instead of an hour and
gigabytes. The defaults are far above any diary we have seen.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from visualizer.errors import UserError


def _knob(default: int, variable: str, unit: str) -> int:
    """A ceiling's field: its default, the environment variable that replaces it, and the unit messages name."""
    return field(default=default, metadata={"variable": variable, "unit": unit})


@dataclass(frozen=True)
class Limits:
    """One reading's ceilings; `from_environment()` applies the VISUALIZER_MAX_* variables over the defaults."""

    # Longest entry that is analysed, in characters. 1,000,000 is about 500 printed pages, far past any diary
    # entry (the CSV reader's own test keeps a 200,000-character entry); a longer one is skipped with a problem,
    # not read for an hour.
    max_entry_chars: int = _knob(1_000_000, "VISUALIZER_MAX_ENTRY_CHARS", "characters")
    # Largest journal file (or stdin) read, in MB, checked before reading; for a zip export it also caps all its
    # journals together once unpacked. Twenty years of daily entries fit in a few MB.
    max_file_mb: int = _knob(256, "VISUALIZER_MAX_FILE_MB", "MB")
    # Largest journal inside a zip export, in MB of real unpacked size (the size a zip declares can lie, so the
    # member is read in chunks and reading stops at the ceiling).
    max_archive_member_mb: int = _knob(64, "VISUALIZER_MAX_ARCHIVE_MEMBER_MB", "MB")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Limits:
        """The defaults, each replaced by its environment variable when set; UserError names a bad value."""
        chosen = {}
        for knob in fields(cls):
            raw = environ.get(knob.metadata["variable"], "").strip()
            if not raw:
                continue
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value < 1:
                raise UserError(f"{knob.metadata['variable']}={raw!r}: give a whole number of "
                                f"{knob.metadata['unit']} above 0")
            chosen[knob.name] = value
        return cls(**chosen)

    def in_bytes(self, name: str) -> int:
        """A ceiling given in MB, in bytes."""
        return getattr(self, name) * 1024 * 1024

    def advice(self, name: str) -> str:
        """'the limit is N unit; set VARIABLE to raise it': the tail of every message about ceiling `name`."""
        knob = next(k for k in fields(self) if k.name == name)
        return f"the limit is {getattr(self, name):,} {knob.metadata['unit']}; set {knob.metadata['variable']} to " \
               f"raise it"
