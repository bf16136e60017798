"""What ingest hands on: dated entries, the problems met on the way, and the format that was read."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One diary entry, or one day of a chat. `line` is where it starts in `source` (for messages)."""

    date: dt.date | None
    text: str
    source: str
    author: str | None = None
    title: str | None = None
    line: int | None = field(default=None, compare=False)
    tags: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """Stable identity: the same day, author and text give the same key on every run (resume, dedupe)."""
        raw = "\x1f".join((self.date.isoformat() if self.date else "", self.author or "", self.text))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class Problem:
    """A part of the input that was skipped or read with a caveat; the rest of the file is still used."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}" if self.line else f"{self.source}: {self.message}"


@dataclass
class IngestResult:
    entries: list[Entry]
    problems: list[Problem]
    format: str
    authors: list[str] = field(default_factory=list)  # everyone who wrote in the input (a chat's people), sorted
