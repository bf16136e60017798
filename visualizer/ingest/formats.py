"""Every journal format, declared once: its name, aliases, the file suffixes that break a tie, what it is, its parser.

`normalise_format`, the suffix tie-break of `detect_format`, the `--format` help of `analyze` and `render` and the
UI's upload help are all built from `JOURNAL_FORMATS`, so a new format is one entry here (and its detection rule in
`read.py`). Parsers import on first use: the CLI reads this module at start to write its help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from visualizer.errors import UserError

if TYPE_CHECKING:
    from visualizer.ingest.entry import Entry, Problem

Parsed = tuple[list["Entry"], list["Problem"], list[str]]  # the entries, the problems met, every author named
FALLBACK_FORMAT = "text"  # what a file is read as when neither its content nor its suffix says otherwise


@dataclass(frozen=True)
class JournalFormat:
    """One format: `parse(text, source, author, order)` reads decoded text (`order` "dm"/"md" forces numeric
    dates; `author` groups a chat per author)."""

    name: str
    description: str                                        # how --help and the UI name it
    parse: Callable[[str, str, str | None, str | None], Parsed]
    aliases: tuple[str, ...] = ()                           # other names --format accepts
    suffixes: tuple[str, ...] = ()                          # file suffixes that decide when the content does not


def _authored(entries: list[Entry], problems: list[Problem]) -> Parsed:
    return entries, problems, sorted({e.author for e in entries if e.author})


def _dated_text(text: str, source: str, author: str | None, order: str | None, *, markdown: bool) -> Parsed:
    from visualizer.ingest.dated_text import parse_dated_text

    return _authored(*parse_dated_text(text, source, markdown, order))


def _jsonl(text: str, source: str, author: str | None, order: str | None) -> Parsed:
    from visualizer.ingest.records import parse_jsonl

    return _authored(*parse_jsonl(text, source, order))


def _json(text: str, source: str, author: str | None, order: str | None) -> Parsed:
    """A JSON list of entries or a Day One export: one parser reads both shapes."""
    from visualizer.ingest.records import parse_json

    return _authored(*parse_json(text, source, order))


def _csv(text: str, source: str, author: str | None, order: str | None) -> Parsed:
    from visualizer.ingest.records import parse_csv

    return _authored(*parse_csv(text, source, order))


def _whatsapp(text: str, source: str, author: str | None, order: str | None) -> Parsed:
    from visualizer.ingest.whatsapp import parse_whatsapp

    return parse_whatsapp(text, source, author, order)


JOURNAL_FORMATS: dict[str, JournalFormat] = {spec.name: spec for spec in (
    JournalFormat("text", "plain text", partial(_dated_text, markdown=False), ("txt", "plain")),
    JournalFormat("markdown", "Markdown with dated headings", partial(_dated_text, markdown=True), ("md",),
                  (".md", ".markdown")),
    JournalFormat("jsonl", "JSONL", _jsonl, ("ndjson",), (".jsonl",)),
    JournalFormat("json", "a JSON list of entries", _json, (), (".json",)),
    JournalFormat("csv", "CSV", _csv, ("tsv",), (".csv", ".tsv")),
    JournalFormat("dayone", "a Day One JSON export", _json, ("day-one", "day_one")),
    JournalFormat("whatsapp", "a WhatsApp chat export (.txt)", _whatsapp, ("chat",)),
)}
FORMATS = tuple(JOURNAL_FORMATS)
_BY_ALIAS = {alias: spec.name for spec in JOURNAL_FORMATS.values() for alias in spec.aliases}
_BY_SUFFIX = {suffix: spec.name for spec in JOURNAL_FORMATS.values() for suffix in spec.suffixes}


def normalise_format(name: str | None) -> str | None:
    """The format `name` (or an alias, any case) stands for; None for auto, to detect it from the content."""
    if name is None or name == "auto":
        return None
    key = _BY_ALIAS.get(name.lower(), name.lower())
    if key not in JOURNAL_FORMATS:
        raise UserError(f"unknown format {name!r}; known formats: {', '.join(FORMATS)} (or auto)")
    return key


def format_by_suffix(file_name: str) -> str:
    """The format a file name's suffix suggests, FALLBACK_FORMAT when none does: the tie-break after the content."""
    return _BY_SUFFIX.get(Path(file_name).suffix.lower(), FALLBACK_FORMAT)


def format_help() -> str:
    """The `--format` help of `analyze` and `render`: every format's name and what it is."""
    named = "; ".join(f"{spec.name} = {spec.description}" for spec in JOURNAL_FORMATS.values())
    return f"journal format (default: auto, judged from the content): {named}"


def describe_formats() -> str:
    """'plain text, Markdown with dated headings, … or a WhatsApp chat export (.txt)': the formats as a sentence."""
    *most, last = (spec.description for spec in JOURNAL_FORMATS.values())
    return f"{', '.join(most)} or {last}"
