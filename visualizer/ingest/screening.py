"""Checks every parsed entry passes, whatever its format, so that no parser has to remember them.

- An entry longer than the entry limit (`limits.py`) is skipped: reading it would take hours, and it is far more
  likely a pasted dump than a diary entry.
- Lone surrogates (a JSON `"\\ud800"` escape, an argument the shell could not decode) are not text: the store
  cannot encode them and the tokenizer refuses them. Each becomes U+FFFD, once, here, in the text, title, author
  and tags (`read.py` does the same to the file name before parsing, as it is stored beside the entry).
- An entry identical to an earlier one (same `Entry.key`: date, author and text) is kept once, and said, instead of
  being merged without a word further on.
- A date in the future is kept but reported: it is usually a typo.

Each problem names the entry's line, or for formats without lines (a JSON array) its date and first words.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from visualizer.ingest.entry import Entry, Problem
from visualizer.ingest.json_values import shown
from visualizer.ingest.limits import Limits

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (valid pairs never reach a Python str as two)."""
    return _SURROGATE.sub("\ufffd", text)


def screen(entries: list[Entry], limits: Limits) -> tuple[list[Entry], list[Problem]]:
    """The entries that pass (cleaned, first of each duplicate) and what was found, in the entries' order."""
    kept: list[Entry] = []
    problems: list[Problem] = []
    first_seen: dict[str, Entry] = {}
    today = dt.date.today()
    for entry in entries:
        if len(entry.text) > limits.max_entry_chars:
            problems.append(_problem(entry, f"is {len(entry.text):,} characters long; skipped "
                                            f"({limits.advice('max_entry_chars')})"))
            continue
        entry, replaced = _cleaned(entry)
        if replaced:
            problems.append(_problem(entry, f"has {replaced} invalid character(s) (lone surrogates, such as a "
                                            "\\ud800 escape); each replaced with U+FFFD"))
        first = first_seen.setdefault(entry.key, entry)
        if first is not entry:
            again = "appears again" if not first.line and first.source == entry.source else \
                f"repeats {_named(first, entry.source)}"
            problems.append(_problem(entry, f"{again} word for word (same date, author and text); kept once"))
            continue
        if entry.date and entry.date > today:
            problems.append(_problem(entry, f"is dated {entry.date.isoformat()}, in the future (kept; a typo?)"))
        kept.append(entry)
    return kept, problems


def _cleaned(entry: Entry) -> tuple[Entry, int]:
    """The entry with lone surrogates replaced in its text, title, author and tags, and how many there were."""
    fields = {"text": entry.text, "title": entry.title, "author": entry.author}
    found = sum(len(_SURROGATE.findall(value)) for value in [*fields.values(), *entry.tags] if value)
    if not found:
        return entry, 0
    cleaned = {name: without_surrogates(value) if value else value for name, value in fields.items()}
    return dataclasses.replace(entry, **cleaned, tags=tuple(without_surrogates(tag) for tag in entry.tags)), found


def _named(entry: Entry, beside: str) -> str:
    """How a problem about an entry of `beside` refers to `entry`: its line, or its date and first words."""
    if entry.line:
        return f"line {entry.line}" if entry.source == beside else entry.where
    day = entry.date.isoformat() if entry.date else "undated"
    return f"the {day} entry {shown(entry.text)}" + ("" if entry.source == beside else f" of {entry.source}")


def _problem(entry: Entry, message: str) -> Problem:
    subject = "entry" if entry.line else _named(entry, entry.source)
    return Problem(entry.source, entry.line, f"{subject} {message}")
